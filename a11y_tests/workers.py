"""Runs the load and analyse steps over many pages: one browser per worker, reused across pages.

A page whose browser session is lost under it (a Grid node or the browser gone, not the page's
own crash) is audited again on a fresh session, whichever worker gets it; after
``MAX_ATTEMPTS`` lost sessions it is an error row. No page is ever dropped or passed unaudited.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

import urllib3
from selenium.common.exceptions import WebDriverException

from a11y_tests.analyse import CheckFailed, classify, load_and_check, outlined_screenshot
from a11y_tests.axe import AxeRunFailed, AxeUnavailable, PinnedAxe
from a11y_tests.browser import BrowserUnavailable, start_browser
from a11y_tests.config import AuditSettings, Viewport
from a11y_tests.load import PageLoadError
from a11y_tests.model import AuditResult, Target
from a11y_tests.tabs import WebDriverTab, open_tab

# wcag2a, wcag21aa, wcag22aa…: the tags that select a WCAG version and level.
WCAG_LEVEL_TAG = re.compile(r"^wcag\d+a+$")
# Sessions a page may lose before it becomes an error row.
MAX_ATTEMPTS = 3
# How both chromedriver and the DevTools tab report a renderer that died on the page: that is
# the page's own result, and auditing it again would only crash another browser.
TAB_CRASHED = "tab crashed"

logger = logging.getLogger(__name__)


class UnknownTags(ValueError):
    """--tags names a tag that no rule of this axe-core carries."""


class SessionLost(RuntimeError):
    """The browser session went away while a page was audited, through no fault of the page."""


class AuditWorker:
    """Owns one browser session. A page that breaks the session gets a fresh one for the next;
    a session lost through no fault of the page raises SessionLost, for the page to be audited
    again."""

    def __init__(self, settings: AuditSettings):
        self.settings = settings
        self.driver = None
        self.axe: PinnedAxe | None = None
        self.tab: WebDriverTab | None = None

    def ensure_session(self) -> PinnedAxe:
        """Start this worker's browser session unless it has one; raises BrowserUnavailable or
        AxeUnavailable when none can be had."""
        if self.driver is None:
            self.driver = start_browser(self.settings.browser)
            try:
                self.axe = PinnedAxe(self.driver)
                self.tab = open_tab(self.driver, self.settings.browser)
                self.axe.register(self.tab)
            except (WebDriverException, urllib3.exceptions.HTTPError) as error:
                self.close()
                reason = getattr(error, "msg", None) or error
                message = f"the new browser session failed at once: {reason}"
                raise BrowserUnavailable(message) from error
            except Exception:
                self.close()
                raise
        return self.axe

    def axe_version(self) -> str:
        axe = self.ensure_session()
        # A new document, in which axe-core is registered (the tab's first one predates that).
        self.tab.goto("about:blank")
        return axe.version()

    def check_tags(self, tags: list[str]) -> None:
        """A tag no rule carries would silently select nothing: refuse it before auditing."""
        known = self.axe.known_tags()
        unknown = [tag for tag in tags if tag not in known]
        if unknown:
            levels = sorted(tag for tag in known if WCAG_LEVEL_TAG.match(tag))
            raise UnknownTags(
                f"no axe-core rule is tagged {', '.join(unknown)}; "
                f"tags for WCAG levels: {', '.join(levels)}; also best-practice"
            )

    def audit(self, target: Target, viewport: Viewport) -> AuditResult:
        axe = self.ensure_session()
        result = AuditResult(target=target, viewport=viewport)
        started = time.perf_counter()
        try:
            self.tab.set_viewport(viewport)
            results, result.axe_ms = load_and_check(self.tab, axe, target, viewport, self.settings)
            result.violations, result.warnings, result.needs_review = classify(
                results, self.settings
            )
            if self.settings.screenshots and (result.violations or result.warnings):
                result.screenshot = outlined_screenshot(
                    self.tab, result.violations + result.warnings
                )
        except (PageLoadError, AxeRunFailed, CheckFailed) as error:
            result.error = str(error)
        except WebDriverException as error:
            reason = (error.msg or str(error)).strip()
            if not self._session_alive():
                self.close()
                if TAB_CRASHED not in reason:
                    raise SessionLost(f"browser session lost on {target.url}: {reason}") from error
            result.error = f"browser failed on {target.url}: {reason}"
        except urllib3.exceptions.HTTPError as error:  # the Grid stopped answering
            self.close()
            raise SessionLost(f"remote WebDriver lost on {target.url}: {error}") from error
        result.duration_s = time.perf_counter() - started
        return result

    def _session_alive(self) -> bool:
        try:
            self.driver.execute_script("return 1")
            return True
        except (WebDriverException, urllib3.exceptions.HTTPError):
            return False

    def close(self) -> None:
        if self.tab is not None:
            self.tab.close()
        if self.driver is not None:
            # A crashed browser may refuse to quit; there is nothing left to release then.
            with contextlib.suppress(WebDriverException):
                self.driver.quit()
        self.driver = None
        self.axe = None
        self.tab = None


class JobBoard:
    """The page × viewport jobs of one run, shared by its worker threads: handed out in order,
    put back when a session is lost, done once each has its result."""

    def __init__(
        self,
        jobs: list[tuple[Target, Viewport]],
        order: Iterable[int],
        workers: int,
        on_result: Callable[[int, int, AuditResult], None] | None,
    ):
        self.jobs = jobs
        self.results: list[AuditResult | None] = [None] * len(jobs)
        self.attempts = [0] * len(jobs)
        self.pending = deque(order)
        self.unfinished = len(jobs)
        self.workers = workers
        self.failures: list[BaseException] = []
        self.on_result = on_result
        self.changed = threading.Condition()

    def take(self, worker: AuditWorker) -> int | None:
        """The next job, or None once every job has its result (or the run failed)."""
        while True:
            with self.changed:
                if self.failures or not self.unfinished:
                    return None
                if self.pending:
                    return self.pending.popleft()
                if worker.driver is None:
                    # Another worker's page is in flight and may come back if its session is lost.
                    self.changed.wait()
                    continue
            # Nothing to take for now: free this worker's browser (on a Grid, its slot, which a
            # worker that lost its session may be waiting for) until something comes back.
            worker.close()

    def done(self, index: int, result: AuditResult) -> None:
        with self.changed:
            self.results[index] = result
            self.unfinished -= 1
            if self.on_result:
                self.on_result(len(self.jobs) - self.unfinished, len(self.jobs), result)
            self.changed.notify_all()

    def session_lost(self, index: int, lost: SessionLost) -> None:
        """Audit the page again on a fresh session, or, after MAX_ATTEMPTS, make it an error."""
        self.attempts[index] += 1
        target, viewport = self.jobs[index]
        if self.attempts[index] >= MAX_ATTEMPTS:
            error = f"{lost} (the browser session was lost {MAX_ATTEMPTS} times on this page)"
            self.done(index, AuditResult(target=target, viewport=viewport, error=error))
            return
        logger.warning(
            "%s@%s: %s; auditing it again in a fresh session (attempt %d of %d)",
            target.path,
            viewport.name,
            lost,
            self.attempts[index] + 1,
            MAX_ATTEMPTS,
        )
        self.put_back(index)

    def put_back(self, index: int) -> None:
        with self.changed:
            self.pending.appendleft(index)
            self.changed.notify_all()

    def retire(self, index: int) -> bool:
        """A worker that cannot start a browser leaves its job to the others; False when it is
        the last one, whose failure is then the run's."""
        with self.changed:
            if self.workers == 1:
                return False
            self.workers -= 1
        self.put_back(index)
        return True

    def fail(self, error: BaseException) -> None:
        with self.changed:
            self.failures.append(error)
            self.changed.notify_all()


def run_audit(
    targets: Iterable[Target],
    settings: AuditSettings,
    *,
    workers: int = 1,
    on_result: Callable[[int, int, AuditResult], None] | None = None,
) -> tuple[list[AuditResult], str]:
    """Audit every target at every viewport; returns results in a stable order and axe's version.

    Raises BrowserUnavailable / AxeUnavailable when no browser can be started at all.
    """
    jobs = [(target, viewport) for target in targets for viewport in settings.viewports]
    pool = [AuditWorker(settings) for _ in range(max(1, min(workers, len(jobs))))]
    first = pool[0]
    # Handed out viewport by viewport so a worker rarely has to resize; reported page by page.
    viewport_count = len(settings.viewports)
    order = sorted(range(len(jobs)), key=lambda i: (i % viewport_count, i))
    board = JobBoard(jobs, order, len(pool), on_result)
    checked = threading.Event()

    def work(worker: AuditWorker) -> None:
        try:
            if worker is not first:
                # Starting a browser takes a second or more: the other workers start theirs
                # while the first checks axe-core and the tags, and audit once that has passed.
                # One that cannot start now tries again at its first page (see below).
                with contextlib.suppress(BrowserUnavailable, AxeUnavailable):
                    worker.ensure_session()
                checked.wait()
            while (index := board.take(worker)) is not None:
                try:
                    worker.ensure_session()
                except (BrowserUnavailable, AxeUnavailable):
                    # E.g. the Grid lost a node and has no slot for this worker in time.
                    if board.retire(index):
                        return
                    raise
                try:
                    result = worker.audit(*jobs[index])
                except SessionLost as lost:
                    board.session_lost(index, lost)
                    continue
                board.done(index, result)
        except BaseException as error:  # e.g. no browser could be started at all
            board.fail(error)
        finally:
            worker.close()

    threads = [threading.Thread(target=work, args=(worker,), daemon=True) for worker in pool]
    for thread in threads[1:]:
        thread.start()
    try:  # fails fast, before any page, if nothing can run
        axe_version = first.axe_version()
        first.check_tags(settings.axe_tags)
    except BaseException as error:
        first.close()
        board.fail(error)  # the other workers take no page and quit their browsers
        checked.set()
        for thread in threads[1:]:
            thread.join()
        raise
    checked.set()
    threads[0].start()
    for thread in threads:
        thread.join()
    if board.failures:
        raise board.failures[0]
    return list(board.results), axe_version
