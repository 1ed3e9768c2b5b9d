"""axe-selenium-python driven with the current axe-core, without the library's two defects.

The library formats ``run()`` options with Python's ``%s`` (so ``True`` reaches the browser as an
undefined name) and ``write_results()`` without a name calls ``os.path.getcwd``, which does not
exist. :class:`CurrentAxe` keeps the library's injection and reporting but passes options as real
WebDriver arguments and writes to a default file name. It also registers axe-core once per browser
session through the DevTools protocol, so the 600 kB source is not re-sent for every page.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

from axe_selenium_python import Axe
from selenium.common.exceptions import JavascriptException

from a11y_tests.browser import supports_cdp
from a11y_tests.config import axe_script_path

# Counts fetch/XHR calls in flight, and notes when the last one ended, so "loaded" can mean
# "no network for a moment", not just onload (see load.WAIT_FOR_SETTLED_FN).
NETWORK_TRACKER = """
(() => {
  if (window.__a11yPending !== undefined) return;
  window.__a11yPending = 0;
  const settle = () => {
    window.__a11yPending -= 1;
    window.__a11yLastSettled = performance.now();
  };
  if (window.fetch) {
    const originalFetch = window.fetch;
    window.fetch = function (...args) {
      window.__a11yPending += 1;
      return originalFetch.apply(this, args).finally(settle);
    };
  }
  const originalSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    window.__a11yPending += 1;
    this.addEventListener("loadend", settle, { once: true });
    return originalSend.apply(this, args);
  };
})();
"""

# With options.resultTypes, only those groups travel back: the rest would just be serialised.
# A JS function expression, so the engine can run it in its one script per page.
RUN_AXE_FN = """
((context, options) => {
  if (typeof window.axe !== "object") return Promise.resolve({ missing: true });
  options = options || {};
  const started = performance.now();
  return axe.run(context || document, options).then(results => {
    const elapsed_ms = performance.now() - started;
    if (options.resultTypes) {
      for (const group of ["violations", "incomplete", "passes", "inapplicable"]) {
        if (!options.resultTypes.includes(group)) delete results[group];
      }
    }
    return { results, elapsed_ms };
  });
})
""".strip()

RUN_SCRIPT = f"""
const done = arguments[arguments.length - 1];
{RUN_AXE_FN}(arguments[0], arguments[1])
  .then(done)
  .catch(error => done({{ error: String((error && error.message) || error) }}));
"""

DEFAULT_RESULTS_FILE = "axe-results.json"


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


@dataclass(frozen=True)
class AxeRun:
    results: dict
    # Time axe.run itself took inside the browser: the yardstick for the audit's overhead.
    elapsed_ms: float


class CurrentAxe(Axe):
    """The library's ``Axe`` pointed at the npm axe-core, with options passed as JSON."""

    def __init__(self, selenium, script_url: str | os.PathLike | None = None):
        super().__init__(selenium, script_url=str(script_url or axe_script_path()))
        self.source = read_axe_source(Path(self.script_url))
        self.registered_on_new_document = False
        self.fallback_injections = 0

    def register(self) -> None:
        """Ask the browser to evaluate axe-core in every new document of this session."""
        if not supports_cdp(self.selenium):
            return
        self.selenium.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": NETWORK_TRACKER + self.source},
        )
        self.registered_on_new_document = True

    def inject(self) -> None:
        """Fall back to the library's per-page injection only where the document lacks axe."""
        if not self.selenium.execute_script("return typeof window.axe === 'object'"):
            super().inject()
            self.fallback_injections += 1

    def run(self, context=None, options=None) -> dict:
        return self.run_timed(context, options).results

    def run_timed(self, context=None, options=None) -> AxeRun:
        outcome = self.selenium.execute_async_script(RUN_SCRIPT, context, options)
        if outcome.get("missing"):  # registration unavailable or the document opted out of it
            self.inject()
            outcome = self.selenium.execute_async_script(RUN_SCRIPT, context, options)
        if "error" in outcome:
            raise AxeRunFailed(f"axe.run failed: {outcome['error']}")
        return AxeRun(outcome["results"], outcome["elapsed_ms"])

    def version(self) -> str:
        """axe-core's version, which also proves the script is axe-core."""
        try:
            self.inject()
            version = self.selenium.execute_script(
                "return typeof window.axe === 'object' ? axe.version : null"
            )
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
        return set(self.selenium.execute_script(
            "return [...new Set(axe.getRules().flatMap(rule => rule.tags))]"
        ))

    def write_results(self, data, name=None) -> str:
        filepath = os.path.abspath(name or DEFAULT_RESULTS_FILE)
        with open(filepath, "w", encoding="utf8") as handle:
            json.dump(data, handle, indent=4)
        return filepath
