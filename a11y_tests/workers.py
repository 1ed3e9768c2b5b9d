"""Runs the load and analyse steps over many pages: one browser per worker, reused across pages."""

from __future__ import annotations

import contextlib
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable

from selenium.common.exceptions import WebDriverException

from a11y_tests.analyse import CheckFailed, classify, load_and_check, outlined_screenshot
from a11y_tests.axe import AxeRunFailed, PinnedAxe
from a11y_tests.browser import start_browser
from a11y_tests.config import AuditSettings, Viewport
from a11y_tests.load import PageLoadError
from a11y_tests.model import AuditResult, Target
from a11y_tests.tabs import WebDriverTab, open_tab

# wcag2a, wcag21aa, wcag22aa…: the tags that select a WCAG version and level.
WCAG_LEVEL_TAG = re.compile(r"^wcag\d+a+$")


class UnknownTags(ValueError):
    """--tags names a tag that no rule of this axe-core carries."""


class AuditWorker:
    """Owns one browser session. A page that breaks the session gets a fresh one for the next."""

    def __init__(self, settings: AuditSettings):
        self.settings = settings
        self.driver = None
        self.axe: PinnedAxe | None = None
        self.tab: WebDriverTab | None = None

    def _ensure_session(self) -> PinnedAxe:
        if self.driver is None:
            self.driver = start_browser(self.settings.browser)
            try:
                self.axe = PinnedAxe(self.driver)
                self.tab = open_tab(self.driver, self.settings.browser)
                self.axe.register(self.tab)
            except Exception:
                self.close()
                raise
        return self.axe

    def axe_version(self) -> str:
        axe = self._ensure_session()
        self.driver.get("about:blank")
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
        axe = self._ensure_session()
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
            result.error = f"browser failed on {target.url}: {(error.msg or str(error)).strip()}"
            if not self._session_alive():
                self.close()
        result.duration_s = time.perf_counter() - started
        return result

    def _session_alive(self) -> bool:
        try:
            self.driver.execute_script("return 1")
            return True
        except WebDriverException:
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
    results: list[AuditResult | None] = [None] * len(jobs)
    pending: queue.Queue[int] = queue.Queue()
    # Handed out viewport by viewport so a worker rarely has to resize; reported page by page.
    viewport_count = len(settings.viewports)
    for index in sorted(range(len(jobs)), key=lambda i: (i % viewport_count, i)):
        pending.put(index)
    done_count = 0
    lock = threading.Lock()
    failures: list[BaseException] = []
    versions: list[str] = []

    first = AuditWorker(settings)
    try:  # fails fast, before any thread, if nothing can run
        versions.append(first.axe_version())
        first.check_tags(settings.axe_tags)
    except BaseException:
        first.close()
        raise

    def work(worker: AuditWorker) -> None:
        nonlocal done_count
        try:
            while not failures:
                try:
                    index = pending.get_nowait()
                except queue.Empty:
                    return
                result = worker.audit(*jobs[index])
                with lock:
                    results[index] = result
                    done_count += 1
                    if on_result:
                        on_result(done_count, len(jobs), result)
        except BaseException as error:  # a browser that cannot be restarted stops the whole run
            failures.append(error)
        finally:
            worker.close()

    pool = [first] + [AuditWorker(settings) for _ in range(max(1, min(workers, len(jobs))) - 1)]
    threads = [threading.Thread(target=work, args=(worker,), daemon=True) for worker in pool]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return [result for result in results if result is not None], versions[0]
