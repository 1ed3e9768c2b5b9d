"""Load step: size the viewport, navigate, and wait until the page has settled."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selenium.common.exceptions import UnexpectedAlertPresentException, WebDriverException

from a11y_tests.browser import supports_cdp
from a11y_tests.config import Viewport
from a11y_tests.model import Target

# Navigation returns before the page has loaded (at DOMContentLoaded over WebDriver, sooner over
# DevTools), so this is what waits for it: document complete and no fetch/XHR in flight or ended
# in the last QUIET_MS (a response settles before the page's own callbacks have put its content
# in the document). Then it reads the HTTP status, or sees that the browser showed its own error
# page (the chrome-error: scheme). A JS function expression, so it can open the page script.
QUIET_MS = 100

WAIT_FOR_SETTLED_FN = """
(timeoutMs => new Promise(resolve => {
  const deadline = performance.now() + timeoutMs;
  const quiet = () => !window.__a11yLastSettled
    || performance.now() - window.__a11yLastSettled >= QUIET_MS;
  const settled = () => document.readyState === "complete" && !(window.__a11yPending > 0)
    && quiet();
  (function poll() {
    if (settled() || performance.now() > deadline) {
      const navigation = performance.getEntriesByType("navigation")[0];
      resolve({ settled: settled(), status: navigation ? navigation.responseStatus : null,
                errorPage: location.protocol === "chrome-error:", url: location.href });
    } else {
      setTimeout(poll, 5);
    }
  })();
}))
""".strip().replace("QUIET_MS", str(QUIET_MS))

WAIT_FOR_SETTLED = f"""
const done = arguments[arguments.length - 1];
{WAIT_FOR_SETTLED_FN}(arguments[0]).then(done);
"""

NETWORK_ERROR = re.compile(r"net::ERR_[A-Z_]+")

# Page load timeout in spirit: the wait now covers what the browser's own load wait used to.
SETTLE_TIMEOUT_S = 30


class PageLoadError(RuntimeError):
    """The page could not be audited (HTTP error, never settled)."""


def dialog_opened(url: str, kind: str, text: str | None) -> str:
    """A page that opens a dialog while loading waits for someone to answer it: not auditable."""
    return f"{url} opened a JavaScript {kind} ({(text or '')!r}): dismissed, page not audited"


class WebDriverTab:
    """Navigation and page scripts as WebDriver commands: works with any WebDriver, e.g. a
    Selenium Grid; a local Chromium gets the faster :class:`a11y_tests.devtools.DevToolsTab`."""

    def __init__(self, driver):
        self.driver = driver

    def goto(self, url: str) -> None:
        try:
            self.driver.get(url)
        except WebDriverException as error:
            # chromedriver reports a failed request as "unknown error: net::ERR_…".
            reason = NETWORK_ERROR.search(error.msg or "")
            if reason is None:
                raise
            raise PageLoadError(f"{url} did not load: {reason.group()}") from error

    def run_async(self, script: str, *args):
        try:
            return self.driver.execute_async_script(script, *args)
        except UnexpectedAlertPresentException as error:  # chromedriver has dismissed it
            raise PageLoadError(
                dialog_opened(self.driver.current_url, "alert", error.alert_text)
            ) from error

    def close(self) -> None:
        """The session, and so the tab, belongs to the worker."""


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
    if outcome.get("errorPage"):
        raise PageLoadError(f"{target.url} did not load (the browser showed its error page)")
    landed = outcome.get("url")
    if landed and _origin(landed) != _origin(target.url):
        # E.g. a CMS URL given as the frontend: its pages redirect to the real site.
        raise PageLoadError(
            f"{target.url} redirected to another site ({landed}): audit that site's own URLs"
        )
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


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def load_page(tab, target: Target, *, settle_timeout_s: float = SETTLE_TIMEOUT_S) -> None:
    """Navigate and wait, for callers that run axe separately (the engine folds both together)."""
    tab.goto(target.url)
    outcome = tab.run_async(WAIT_FOR_SETTLED, settle_timeout_s * 1000)
    check_settled(outcome, target, settle_timeout_s)
