"""Settings shared by every environment.

Environment-specific modules (dev, test, production) import from here and
override only what differs. Everything that varies between deployments is
read from the environment.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "pages",
    "api",
    # After "api": its publish handlers revalidate the frontend before an audit is queued.
    "audits",
    "django_tasks_db",
    "wagtail_headless_preview",
    "wagtail.api.v3",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "corsheaders",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a locked-out login into the lock-out page; last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
    # Turns a rate-limited password guess into a 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite is the embedded default so `make run` needs no services;
# DATABASE_URL (e.g. postgres://user@host/db) switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Brute-force protection for the admin login (django-axes): after AXES_FAILURE_LIMIT wrong
# passwords from one IP address, or for one username, that IP or username is locked out for
# AXES_COOLOFF_TIME. Attempts are kept in the database, so every CMS process sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "too_many_attempts.html"

# Page and document passwords (Wagtail's password forms) are limited per client address and
# per restriction by django-ratelimit, in a cache every CMS process shares.
PASSWORD_GUESS_RATE = os.environ.get("PASSWORD_GUESS_RATE", "10/m")
RATELIMIT_USE_CACHE = "shared"
RATELIMIT_VIEW = "cms.views.too_many_attempts"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Without Redis, a folder every process on this machine shares. Its increments are not
    # atomic, so two guesses at the same instant may count once; production uses Redis.
    "shared": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("SHARED_CACHE_DIR", str(BASE_DIR / "var" / "shared-cache")),
    },
}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Wagtail
WAGTAIL_SITE_NAME = "Safeguarding case reviews"
# The CMS's public address: links in admin emails, the API's `meta.detail_url`, and the
# origin the preview's Checks panel accepts results from. CMS_URL is the one address
# `make run` sets and the frontend reads; CMS_BASE_URL, when set, overrides it for the
# CMS alone (the test and benchmark servers run the CMS on a port of their own).
WAGTAILADMIN_BASE_URL = (
    os.environ.get("CMS_BASE_URL") or os.environ.get("CMS_URL") or "http://localhost:8000"
).rstrip("/")
# Documents are only ever served through Wagtail's view, which applies collection privacy,
# sends `Content-Security-Policy: default-src 'none'` and `nosniff`, and serves only PDFs and
# plain text inline (everything else as an attachment). Only the types a council publishes
# may be uploaded, and each file's content must match its extension (pages/uploads.py).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "csv", "txt"]
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILDOCS_DOCUMENT_MODEL = "pages.ReportDocument"
# Rich text posted as anything but the editor's own JSON is cleaned, never a server error.
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "pages.rich_text.CleaningDraftailRichTextArea"}
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Headless: the separate frontend renders every page, including previews.
FRONTEND_URL = os.environ.get("FRONTEND_URL", "http://localhost:5000").rstrip("/")
WAGTAIL_HEADLESS_PREVIEW = {
    # Preview opens the frontend's /preview route straight away, inside Wagtail's preview panel.
    "CLIENT_URLS": {"default": f"{FRONTEND_URL}/preview"},
    "SERVE_BASE_URL": FRONTEND_URL,
    "REDIRECT_ON_PREVIEW": True,
    "ENFORCE_TRAILING_SLASH": False,
}
# Shared with the frontend: signs the "these paths changed" calls made on publish.
REVALIDATE_SECRET = os.environ.get("REVALIDATE_SECRET", "")

# Frontend: where the CMS tells it which paths changed on publish (api/revalidate.py).
FRONTEND_REVALIDATE_URL = f"{FRONTEND_URL}/_revalidate"
FRONTEND_REVALIDATE_TIMEOUT = float(os.environ.get("FRONTEND_REVALIDATE_TIMEOUT", "2"))

# Headless API (Wagtail API v3)
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# Seconds shared caches and the frontend may reuse a public API answer before revalidating.
API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "60"))
# Seconds a preview link keeps working; older preview rows are purged.
API_PREVIEW_MAX_AGE = int(os.environ.get("API_PREVIEW_MAX_AGE", "3600"))
# Largest page of /api/v3/sitemap/ (the frontend's sitemap.xml walks it page by page).
API_SITEMAP_LIMIT_MAX = 1000
# Browsers may call the API only from the frontend's own origins, and only under /api/.
CORS_ALLOWED_ORIGINS = [FRONTEND_URL] + [
    origin.strip().rstrip("/")
    for origin in os.environ.get("API_CORS_ALLOWED_ORIGINS", "").split(",")
    if origin.strip()
]
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag"]
# Browsers preflight a conditional GET: the ETag exposed above comes back as If-None-Match.
CORS_ALLOW_HEADERS = (*default_headers, "if-none-match")

# Background tasks (django-tasks). Wagtail's own tasks run at once, in the request, as ever;
# accessibility audits queue in the database for their worker
# (`manage.py db_worker --backend audits`, started by `make run`), so no request waits for one.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "audits": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# The accessibility statement's compliance facts, served by the API, come from the stored
# audits; after this many days without a complete audit it no longer claims full compliance.
API_ACCESSIBILITY_COMPLIANCE = "audits.statement.statement_compliance"
AUDIT_STATEMENT_MAX_AGE_DAYS = int(os.environ.get("AUDIT_STATEMENT_MAX_AGE_DAYS", "30"))

# Accessibility audits stored in the CMS (audits/): runs posted by `a11y-audit --publish-to`
# with a token made in the admin or this one, runs imported with `import_audit`, and the audit
# of each page queued as it is published.
AUDIT_PUBLISH_TOKEN = os.environ.get("AUDIT_PUBLISH_TOKEN", "")
AUDIT_PUBLISH_MAX_BYTES = int(os.environ.get("AUDIT_PUBLISH_MAX_BYTES", str(20 * 1024 * 1024)))
AUDIT_HISTORY_LENGTH = int(os.environ.get("AUDIT_HISTORY_LENGTH", "10"))
