"""Security headers, set by the app itself so every response (and every test) carries them."""

import secrets
from urllib.parse import urlsplit

from flask import current_app, g, request


def new_nonce() -> None:
    """A fresh nonce per request for the few inline scripts GOV.UK's template needs."""
    g.csp_nonce = secrets.token_urlsafe(18)


def cms_origin() -> str:
    parts = urlsplit(current_app.config["CMS_URL"])
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(nonce: str, *, preview: bool) -> str:
    # Previews load Wagtail's userbar (scripts, styles and fonts) from the CMS and are
    # shown inside the CMS's preview panel; live pages need nothing from elsewhere.
    cms = f" {cms_origin()}" if preview else ""
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'{cms}",
        f"style-src 'self'{cms}",
        f"img-src 'self' data:{cms}",
        f"font-src 'self'{cms}",
        f"connect-src 'self'{cms}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {cms.strip()}" if preview else "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def add_security_headers(response):
    preview = g.get("is_preview", False)
    # A document keeps the CMS's own, stricter policy (views.document): nothing in it may run.
    if "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = content_security_policy(
            g.get("csp_nonce", ""), preview=preview
        )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    if not preview:
        # Older browsers ignore frame-ancestors; previews must stay frameable by the CMS.
        response.headers["X-Frame-Options"] = "DENY"
    if request.path.startswith("/preview"):
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    # Only when the site is served over https: browsers ignore the header on http, and a
    # developer's http://localhost must not be pinned to https.
    if urlsplit(current_app.config["FRONTEND_URL"]).scheme == "https":
        max_age = current_app.config["HSTS_MAX_AGE_SECONDS"]
        response.headers["Strict-Transport-Security"] = f"max-age={max_age}"
    return response
