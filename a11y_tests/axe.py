"""axe-core as pinned in package-lock.json, driven through axe-selenium-python's ``Axe``.

:class:`PinnedAxe` registers axe-core once per browser session, where the tab can, so the 600 kB
source is not re-sent for every page; elsewhere it falls back to the library's per-page
injection. It never uses the library's ``run()``: that pastes options into the script with
Python's ``%s``, so a ``True`` reaches the browser as an undefined name. axe runs inside the
audit's page script instead (``browser_js/runAxe.js``), its options passed as JSON.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from axe_selenium_python import Axe
from selenium.common.exceptions import JavascriptException

from a11y_tests import browser_js
from a11y_tests.config import axe_script_path


class AxeUnavailable(RuntimeError):
    """axe-core is missing or broken: the audit cannot run."""


class AxeRunFailed(RuntimeError):
    """axe.run rejected on this page."""


@functools.cache
def read_axe_source(path: Path) -> str:
    """Read once per process; every browser session registers the same text."""
    try:
        return path.read_text(encoding="utf8")
    except OSError as error:
        raise AxeUnavailable(
            f"axe-core not found at {path}: run `npm ci` in the repository "
            f"or set A11Y_AXE_SCRIPT to an axe.min.js ({error.strerror})"
        ) from error


class PinnedAxe(Axe):
    """The library's ``Axe`` pointed at the npm axe-core, not the 2018 copy it bundles.

    Its own scripts run through the tab it is registered with: over DevTools where the tab has
    them, as chromedriver waits for navigations it did not make before each of its commands.
    """

    def __init__(self, selenium, script_url: str | os.PathLike | None = None):
        super().__init__(selenium, script_url=str(script_url or axe_script_path()))
        self.source = read_axe_source(Path(self.script_url))
        self.registered_on_new_document = False
        self.fallback_injections = 0
        self.tab = None

    def register(self, tab) -> None:
        """Ask the tab's browser to evaluate axe-core in every new document of this session,
        after the network tracker the page script's wait relies on."""
        self.tab = tab
        self.registered_on_new_document = tab.register_on_new_documents(
            browser_js.on_new_document("trackNetwork") + self.source
        )

    def inject(self) -> None:
        """Fall back to the library's per-page injection only where the document lacks axe."""
        if not self.tab.run("return typeof window.axe === 'object'"):
            super().inject()
            self.fallback_injections += 1

    def version(self) -> str:
        """axe-core's version, which also proves the script is axe-core."""
        try:
            self.inject()
            version = self.tab.run("return typeof window.axe === 'object' ? axe.version : null")
        except JavascriptException as error:
            version, reason = None, f": {error.msg}"
        else:
            reason = ""
        if not version:
            raise AxeUnavailable(
                f"{self.script_url} did not define axe{reason}; it must be axe-core's axe.min.js "
                "(run `npm ci` in the repository or fix A11Y_AXE_SCRIPT)"
            )
        return version

    def known_tags(self) -> set[str]:
        """Every tag some rule of this axe-core carries, to refuse a tag no rule has."""
        return set(self.tab.run("return [...new Set(axe.getRules().flatMap(rule => rule.tags))]"))
