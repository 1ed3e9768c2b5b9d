"""Serves the site's stylesheet and GOV.UK Frontend's JavaScript and images.

The stylesheet is built from GOV.UK Frontend's Sass without the GOV.UK brand
(frontend/styles/site.scss); its URL carries a hash of the file. The package's
files are served straight from npm, their URLs carrying the package version.
Either way browsers cache them for a year. GOV.UK's fonts are not served: the
site is not on GOV.UK, so it does not use the GDS Transport typeface.
"""

from pathlib import Path

from flask import Blueprint, current_app, send_from_directory

assets = Blueprint("assets", __name__)


def _send(folder: Path, filename: str):
    response = send_from_directory(
        folder, filename, max_age=current_app.config["STATIC_MAX_AGE_SECONDS"]
    )
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@assets.route("/assets/images/<path:filename>")
def govuk_image(filename):
    # Where the stylesheet's $govuk-assets-path expects them.
    return _send(Path(current_app.config["GOVUK_FRONTEND_DIST"]) / "assets" / "images", filename)


@assets.route("/govuk-frontend/govuk-frontend.min.js")
def govuk_script():
    return _send(Path(current_app.config["GOVUK_FRONTEND_DIST"]), "govuk-frontend.min.js")


@assets.route("/styles/site.css")
def site_stylesheet():
    css = Path(current_app.config["SITE_CSS"])
    return _send(css.parent, css.name)
