"""Load step: size the viewport, navigate, and wait until the page has settled."""

from __future__ import annotations

from a11y_tests.browser import supports_cdp
from a11y_tests.config import Viewport
from a11y_tests.model import Target

# One round trip: wait in the browser for readiness, then report the document's HTTP status.
WAIT_FOR_SETTLED = """
const done = arguments[arguments.length - 1];
const deadline = performance.now() + arguments[0];
const settled = () => document.readyState === "complete" && !(window.__a11yPending > 0);
(function poll() {
  if (settled() || performance.now() > deadline) {
    const navigation = performance.getEntriesByType("navigation")[0];
    done({ settled: settled(), status: navigation ? navigation.responseStatus : null });
  } else {
    setTimeout(poll, 20);
  }
})();
"""


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


def load_page(driver, target: Target, *, settle_timeout_s: float = 10) -> None:
    driver.get(target.url)
    outcome = driver.execute_async_script(WAIT_FOR_SETTLED, settle_timeout_s * 1000)
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
