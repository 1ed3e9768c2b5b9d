"""Load step: what counts as a loaded page, judged on what ``waitForSettled.js`` saw.

The tab (:mod:`a11y_tests.tabs`) navigates; the page script then waits in the page for the
document to complete with no fetch/XHR in flight or just ended, and reports the HTTP status.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from a11y_tests.model import Target

# Page load timeout in spirit: the wait in the page covers what the browser's own load wait used to.
SETTLE_TIMEOUT_S = 30


class PageLoadError(RuntimeError):
    """The page could not be audited (HTTP error, never settled)."""


def dialog_opened(url: str, kind: str, text: str | None) -> str:
    """A page that opens a dialog while loading waits for someone to answer it: not auditable."""
    return f"{url} opened a JavaScript {kind} ({(text or '')!r}): dismissed, page not audited"


def check_settled(load: dict, target: Target, settle_timeout_s: float) -> None:
    """Raise PageLoadError unless the wait saw the expected status and a settled page."""
    if load.get("errorPage"):
        raise PageLoadError(f"{target.url} did not load (the browser showed its error page)")
    landed = load.get("url")
    if landed and _origin(landed) != _origin(target.url):
        # E.g. a CMS URL given as the frontend: its pages redirect to the real site.
        raise PageLoadError(
            f"{target.url} redirected to another site ({landed}): audit that site's own URLs"
        )
    status = load["status"]
    # Status 0 means the browser could not tell (e.g. a cached or file: document).
    if status and status != target.expected_status:
        raise PageLoadError(f"HTTP {status} for {target.url} (expected {target.expected_status})")
    if not load["settled"]:
        raise PageLoadError(
            f"{target.url} did not settle within {settle_timeout_s:g}s "
            "(document not complete or network requests still pending)"
        )


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
