"""The public website: a Flask app that renders every page from the CMS's headless API.

It talks to the CMS only over HTTP (see docs/api.md) and imports nothing from
the CMS's own packages, so it can be deployed, scaled and cached on its own.
"""

import hashlib
import json
import logging
from pathlib import Path

from flask import Flask, jsonify
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from markupsafe import Markup

from .api_client import CmsClient
from .assets import assets
from .config import Config
from .formatting import FILTERS
from .resilience import end_budget, start_budget
from .security import add_security_headers, new_nonce
from .storage import SharedStateUnavailable, open_storage
from .views import register_error_pages, site

log = logging.getLogger(__name__)


def create_app(config=None) -> Flask:
    """Build the app from ``config``: a settings class or a mapping (``Config`` by default)."""
    app = Flask(__name__, static_folder=None)
    # Werkzeug's own slash-merging redirect builds its Location from the Host header; the
    # page view merges slashes itself, through the one function that builds every redirect.
    app.url_map.merge_slashes = False
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)

    # GOV.UK's templates and macros come from govuk-frontend-jinja, under its own prefix.
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("frontend"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals["govuk_frontend_version"] = _govuk_frontend_version(app)
    app.jinja_env.globals["site_css_version"] = _site_css_version(app)
    app.jinja_env.globals["govuk_chrome"] = _render_chrome(app)

    storage = app.extensions["storage"] = open_storage(app.config)
    app.extensions["cms"] = CmsClient(
        app.config["CMS_URL"],
        storage=storage,
        default_max_age=app.config["API_DEFAULT_MAX_AGE_SECONDS"],
        timeout=app.config["API_TIMEOUT_SECONDS"],
        breaker_fail_max=app.config["CMS_BREAKER_FAIL_MAX"],
        breaker_reset_seconds=app.config["CMS_BREAKER_RESET_SECONDS"],
        userbar_path=app.config["USERBAR_PATH"],
        transport=app.config["API_TRANSPORT"],
    )

    app.before_request(lambda: start_budget(app.config["CMS_REQUEST_BUDGET_SECONDS"]))
    app.teardown_request(end_budget)
    app.before_request(new_nonce)
    app.after_request(add_security_headers)
    app.register_blueprint(assets)
    app.register_blueprint(site)
    register_error_pages(app)
    app.register_error_handler(SharedStateUnavailable, _revalidation_not_recorded)

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        # httpx logs every request, cached or not; the client logs what matters (stale, errors).
        logging.getLogger("httpx").setLevel(logging.WARNING)
    return app


def _revalidation_not_recorded(error: SharedStateUnavailable):
    """Only a revalidation call needs the shared state (Redis) to answer at all: pages are
    served from the CMS without it. A 503 tells the CMS that nothing was recorded."""
    log.warning("Revalidation refused: %s", error)
    return jsonify(error="the shared cache is unavailable: nothing was revalidated"), 503


def _render_chrome(app: Flask) -> dict:
    """The skip link and service navigation never vary: render them once. (The footer links
    to the page's accessibility statement, so base.html renders it with each page.)"""
    chrome = app.jinja_env.get_template("chrome.html").make_module({"config": app.config})
    return {name: Markup(getattr(chrome, name)()) for name in ("skip_link", "service_navigation")}


def _govuk_frontend_version(app: Flask) -> str:
    """Asset URLs carry the package version, so a long browser cache never serves old files."""
    package = Path(app.config["GOVUK_FRONTEND_DIST"]).parent.parent / "package.json"
    return json.loads(package.read_text())["version"]


def _site_css_version(app: Flask) -> str:
    """The stylesheet's URL carries a hash of it, so a long browser cache never serves an old one.

    Refuses to start without it: every page would be unstyled.
    """
    path = Path(app.config["SITE_CSS"])
    try:
        css = path.read_bytes()
    except FileNotFoundError:
        raise RuntimeError(
            f"The site's stylesheet {path} has not been built: run `npm run build:css`."
        ) from None
    return hashlib.sha256(css).hexdigest()[:12]
