"""Settings for the frontend, read from the environment so one image runs anywhere.

``create_app`` takes one of these classes (or a mapping); tests use
``TestConfig`` and pass their own CMS URL and cache folder.
"""

import os
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class Config:
    CMS_URL = os.environ.get("CMS_URL", "http://localhost:8000").rstrip("/")
    # This site's public address, for the absolute URLs in robots.txt and sitemap.xml: never
    # the request's Host header, which any client can set. The CMS reads the same variable.
    FRONTEND_URL = os.environ.get("FRONTEND_URL", "http://localhost:5000").rstrip("/")
    # When FRONTEND_URL is https, browsers are told to use only https for this long (HSTS).
    HSTS_MAX_AGE_SECONDS = int(os.environ.get("HSTS_MAX_AGE_SECONDS", str(365 * 86400)))
    # Must match the CMS: it signs the "these paths changed" calls with it. No default: a
    # well-known one would let anyone flush the cache. Unset, /_revalidate is switched off.
    REVALIDATE_SECRET = os.environ.get("REVALIDATE_SECRET", "")
    # Calls signed further than this from now are refused; within it, each call is accepted
    # only once (its signature is remembered), so a captured call cannot be replayed.
    REVALIDATE_MAX_AGE_SECONDS = 300
    # Larger revalidation bodies are refused (413) before they are read: a list of paths.
    REVALIDATE_MAX_BODY_BYTES = int(os.environ.get("REVALIDATE_MAX_BODY_BYTES", str(64 * 1024)))
    # Cached API responses live here; a file database, so every gunicorn worker shares it.
    CACHE_DIR = os.environ.get(
        "FRONTEND_CACHE_DIR", str(Path(tempfile.gettempdir()) / "case-reviews-frontend-cache")
    )
    # Set (redis://host:6379/0), the cached API responses and the revalidation state live in
    # this Redis, shared by every instance of the frontend: a revalidation reaching one counts
    # for all, and a new instance starts warm. Unset, they live in CACHE_DIR (one machine).
    REDIS_URL = os.environ.get("REDIS_URL", "")
    # Every key the frontend keeps in Redis starts with this (and a colon).
    REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "case-reviews-frontend")
    # The longest one Redis command may wait to connect, or for its answer.
    REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5"))
    # After Redis fails, each worker leaves it alone this long (serving from the CMS uncached).
    REDIS_RETRY_SECONDS = float(os.environ.get("REDIS_RETRY_SECONDS", "10"))
    # How long an API response without its own Cache-Control counts as fresh. Publishing
    # revalidates the affected paths at once, so this only bounds missed notifications.
    API_DEFAULT_MAX_AGE_SECONDS = int(os.environ.get("API_DEFAULT_MAX_AGE_SECONDS", "300"))
    # How long a response is kept for serving stale while the CMS is down.
    API_STALE_IF_ERROR_SECONDS = int(os.environ.get("API_STALE_IF_ERROR_SECONDS", str(7 * 86400)))
    # The longest one call to the CMS may take (connecting, or waiting for each read).
    API_TIMEOUT_SECONDS = float(os.environ.get("API_TIMEOUT_SECONDS", "5"))
    # The longest all the CMS calls behind one page may take together; each call's timeout
    # shrinks to what is left, so a page never waits for several timeouts in a row.
    CMS_REQUEST_BUDGET_SECONDS = float(os.environ.get("CMS_REQUEST_BUDGET_SECONDS", "3"))
    # The circuit breaker (frontend/resilience.py): after this many failed calls in a row
    # (refused, timed out, or 502/503/504), the CMS is not asked at all: stored copies are
    # served, and pages without one get the 503 page, at once...
    CMS_BREAKER_FAIL_MAX = int(os.environ.get("CMS_BREAKER_FAIL_MAX", "3"))
    # ...for this long; then one trial call is let through, and closes the circuit if it
    # succeeds (or keeps it open for as long again).
    CMS_BREAKER_RESET_SECONDS = float(os.environ.get("CMS_BREAKER_RESET_SECONDS", "20"))
    # Told to readers' browsers on the 503 page.
    RETRY_AFTER_SECONDS = 30
    # The CMS sets the listing page size and says it in each index page's ``reviews.limit``;
    # this stands in only when an index comes without it.
    REVIEWS_PER_PAGE_FALLBACK = 20
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Safeguarding case reviews")
    # The footer's copyright line: the site is the council's, not on GOV.UK, so not Crown copyright.
    COPYRIGHT = os.environ.get("COPYRIGHT", "© Merton Council")
    # The footer links every page to the accessibility statement the page's data names; pages
    # without data (errors, the CMS down) link here, where the demo content puts it.
    ACCESSIBILITY_STATEMENT_PATH = os.environ.get(
        "ACCESSIBILITY_STATEMENT_PATH", "/accessibility-statement/"
    )
    # Where the GOV.UK Frontend package's dist folder is (installed by npm).
    GOVUK_FRONTEND_DIST = REPO_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
    # The site's stylesheet, built from frontend/styles/ by `npm run build:css`.
    SITE_CSS = REPO_ROOT / "var" / "frontend-assets" / "site.css"
    # Asset URLs carry the package version or the file's hash, so browsers may keep them a year.
    STATIC_MAX_AGE_SECONDS = 365 * 86400
    # Injected into previews so editors get Wagtail's content checks; empty disables it.
    USERBAR_PATH = "/api/userbar/"
    # Shown as "Request an accessible format" under reports when set.
    ACCESSIBLE_FORMAT_EMAIL = os.environ.get("ACCESSIBLE_FORMAT_EMAIL", "")
    # The httpx transport to the CMS; None is the network. Unit tests put a stub here.
    API_TRANSPORT = None
    TESTING = False


class TestConfig(Config):
    TESTING = True
    CMS_URL = "http://cms.test"
    FRONTEND_URL = "http://frontend.test"
    REVALIDATE_SECRET = "test-revalidate-secret"
    CACHE_DIR = None  # a fresh temporary folder per app, so tests never share cached responses
    REDIS_URL = ""  # the environment's Redis is never shared by accident
    API_TIMEOUT_SECONDS = 2
    ACCESSIBLE_FORMAT_EMAIL = "accessible.formats@example.org"
