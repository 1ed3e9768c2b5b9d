"""Security headers, previews, and the stylesheet, script and images pages use."""

import hashlib
import re
from pathlib import Path

import pytest

from frontend import create_app
from frontend.config import TestConfig
from tests.frontend.conftest import CMS, REVIEW
from tests.frontend.html_checks import assert_accessible_structure

PREVIEW_URL = "/preview?content_type=pages.reviewpage&token=abc"


def csp_directives(response):
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_live_pages_carry_security_headers_and_a_nonce_per_request(client):
    first = client.get("/serious-case-reviews/")
    directives = csp_directives(first)
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert first.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert first.headers["X-Frame-Options"] == "DENY"
    nonce = re.search(r"'nonce-([^']+)'", first.headers["Content-Security-Policy"]).group(1)
    html = first.get_data(as_text=True)
    # Every inline script carries the nonce; none runs without it.
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts and all(f'nonce="{nonce}"' in attrs for attrs in inline_scripts)
    second = client.get("/serious-case-reviews/")
    assert nonce not in second.headers["Content-Security-Policy"]


def test_error_pages_carry_security_headers_too(client):
    response = client.get("/nowhere/")
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_browsers_recheck_live_pages_because_each_carries_its_own_nonce(client):
    response = client.get("/serious-case-reviews/child-b/")
    assert response.headers["Cache-Control"] == "public, no-cache"
    assert "ETag" not in response.headers


def test_preview_renders_the_draft_with_banner_noindex_no_store_and_userbar(client, fake_cms):
    fake_cms.previews[("pages.reviewpage", "abc")] = {**REVIEW, "title": "Child B: draft"}
    response = client.get(PREVIEW_URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_accessible_structure(html, banner_first=True)
    assert "Child B: draft" in html
    assert "Preview — not published" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    # Wagtail's userbar, with its scripts from the CMS, for the editor's content checks.
    assert "<wagtail-userbar></wagtail-userbar>" in html
    assert f'<script src="{CMS}/static/wagtailadmin/js/userbar.js">' in html
    directives = csp_directives(response)
    assert CMS in directives["script-src"] and "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == [CMS]
    assert "X-Frame-Options" not in response.headers


def test_previews_are_never_cached(client, fake_cms):
    fake_cms.previews[("pages.reviewpage", "abc")] = {**REVIEW, "title": "Child B: draft 1"}
    client.get(PREVIEW_URL)
    fake_cms.previews[("pages.reviewpage", "abc")] = {**REVIEW, "title": "Child B: draft 2"}
    assert "Child B: draft 2" in client.get(PREVIEW_URL).get_data(as_text=True)


def test_preview_with_a_bad_or_missing_token_is_a_404(client):
    for url in (PREVIEW_URL, "/preview", "/preview?content_type=pages.reviewpage"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Preview not found" in response.get_data(as_text=True)


def test_preview_still_renders_if_the_userbar_is_unavailable(client, fake_cms):
    fake_cms.previews[("pages.reviewpage", "abc")] = REVIEW
    fake_cms.userbar_available = False
    response = client.get(PREVIEW_URL)
    assert response.status_code == 200
    assert "wagtail-userbar" not in response.get_data(as_text=True)


def test_page_links_the_assets_it_needs_and_they_are_served(client, app):
    html = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    built = Path(app.config["SITE_CSS"]).read_bytes()
    assert stylesheet == f"/styles/site.css?v={hashlib.sha256(built).hexdigest()[:12]}"
    css = client.get(stylesheet)
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert css.get_data() == built
    # Every image the stylesheet refers to is served where it expects.
    urls = set(re.findall(r"url\(\"?(/[^)\"]+)\"?\)", css.get_data(as_text=True)))
    assert urls and all(url.startswith("/assets/images/") for url in urls)
    for url in urls:
        assert client.get(url).status_code == 200, url
    script = re.search(r'import \{ initAll \} from "([^"]+)"', html).group(1)
    assert script == "/govuk-frontend/govuk-frontend.min.js?v=6.3.0"
    assert client.get(script).status_code == 200


def test_assets_are_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    script = "/govuk-frontend/govuk-frontend.min.js"
    for url in (stylesheet, script, "/assets/images/govuk-crest.svg"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
    # Only the images folder: not the package's other files, nor anything outside it.
    assert client.get("/assets/images/..%2fmanifest.json").status_code == 404
    assert client.get("/assets/../config.py", follow_redirects=True).status_code == 404


def test_the_gov_uk_typeface_is_neither_used_nor_served(client, app):
    html = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    css = client.get(stylesheet).get_data(as_text=True)
    assert "GDS Transport" not in css and "@font-face" not in css
    assert "font-family:arial,sans-serif" in css
    fonts = Path(app.config["GOVUK_FRONTEND_DIST"]) / "assets" / "fonts"
    for font in fonts.iterdir():
        response = client.get(f"/assets/fonts/{font.name}", follow_redirects=True)
        assert response.status_code == 404, font.name


def test_the_app_refuses_to_start_without_the_built_stylesheet(tmp_path):
    config = {"SITE_CSS": tmp_path / "site.css", "CACHE_DIR": str(tmp_path / "cache")}
    with pytest.raises(RuntimeError, match=r"site\.css has not been built: run `npm run build"):
        create_app(type("NoStylesheet", (TestConfig,), config))


def test_https_sites_tell_browsers_to_use_https_only(app, client):
    app.config["FRONTEND_URL"] = "https://reviews.example.org"
    for path in ("/", "/nowhere/", "/robots.txt"):
        assert client.get(path).headers["Strict-Transport-Security"] == "max-age=31536000"
    app.config["HSTS_MAX_AGE_SECONDS"] = 600
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=600"


def test_http_sites_send_no_hsts_header(client):
    # TestConfig's FRONTEND_URL is http, as in local development: browsers ignore HSTS there.
    assert "Strict-Transport-Security" not in client.get("/").headers
