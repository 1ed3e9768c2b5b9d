"""Serves GOV.UK Frontend's CSS, JavaScript, fonts and images straight from the npm package.

The paths match what GOV.UK's template and stylesheet expect (``/assets/fonts/…``,
``/assets/images/…``). Files are cached by browsers for a year; their URLs carry
the package version, so an upgrade is fetched at once.
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


@assets.route("/assets/<path:filename>")
def govuk_asset(filename):
    return _send(Path(current_app.config["GOVUK_FRONTEND_DIST"]) / "assets", filename)


@assets.route("/govuk-frontend/<any('govuk-frontend.min.css', 'govuk-frontend.min.js'):filename>")
def govuk_bundle(filename):
    return _send(Path(current_app.config["GOVUK_FRONTEND_DIST"]), filename)
