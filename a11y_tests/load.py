"""Load step: size the viewport, navigate, and wait until the page has settled."""

from __future__ import annotations

from a11y_tests.browser import supports_cdp
from a11y_tests.config import Viewport
from a11y_tests.model import Target

# The browser returns from navigation at DOMContentLoaded (page load strategy "eager"), so this
# is what waits for the load event too: document complete and no fetch/XHR in flight, then the
# document's HTTP status. A JS function expression, so the engine can run it in its page script.
WAIT_FOR_SETTLED_FN = """
(timeoutMs => new Promise(resolve => {
  const deadline = performance.now() + timeoutMs;
  const settled = () => document.readyState === "complete" && !(window.__a11yPending > 0);
  (function poll() {
    if (settled() || performance.now() > deadline) {
      const navigation = performance.getEntriesByType("navigation")[0];
      resolve({ settled: settled(), status: navigation ? navigation.responseStatus : null });
    } else {
      setTimeout(poll, 5);
    }
  })();
}))
""".strip()

WAIT_FOR_SETTLED = f"""
const done = arguments[arguments.length - 1];
{WAIT_FOR_SETTLED_FN}(arguments[0]).then(done);
"""

# Page load timeout in spirit: the wait now covers what the browser's own load wait used to.
SETTLE_TIMEOUT_S = 30


class PageLoadError(RuntimeError):
    """The page could not be audited (HTTP error, never settled)."""


def set_viewport(driver, viewport: Viewport) -> None:
    """Emulate the exact CSS viewport; window sizes would include browser chrome."""
    if supports_cdp(driver):
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": viewport.width, "height": viewport.height, "deviceScaleFactor": 1,
             "mobile": False},
        )
    else:
        driver.set_window_size(viewport.width, viewport.height)


def check_settled(outcome: dict, target: Target, settle_timeout_s: float) -> None:
    """Raise PageLoadError unless the wait above saw the expected status and a settled page."""
    status = outcome["status"]
    # Status 0 means the browser could not tell (e.g. a cached or file: document).
    if status and status != target.expected_status:
        raise PageLoadError(
            f"HTTP {status} for {target.url} (expected {target.expected_status})"
        )
    if not outcome["settled"]:
        raise PageLoadError(
            f"{target.url} did not settle within {settle_timeout_s:g}s "
            "(document not complete or network requests still pending)"
        )


def load_page(driver, target: Target, *, settle_timeout_s: float = SETTLE_TIMEOUT_S) -> None:
    """Navigate and wait, for callers that run axe separately (the engine folds both together)."""
    driver.get(target.url)
    outcome = driver.execute_async_script(WAIT_FOR_SETTLED, settle_timeout_s * 1000)
    check_settled(outcome, target, settle_timeout_s)
