"""Security headers, previews and GOV.UK Frontend's assets."""

import re

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


def test_page_links_the_govuk_assets_it_needs_and_they_are_served(client):
    html = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    assert stylesheet == "/govuk-frontend/govuk-frontend.min.css?v=6.3.0"
    css = client.get(stylesheet)
    assert css.status_code == 200 and css.mimetype == "text/css"
    # Every font and image the stylesheet refers to is served where it expects.
    for url in set(re.findall(r"url\((/assets/[^)]+)\)", css.get_data(as_text=True))):
        assert client.get(url).status_code == 200, url
    for icon in re.findall(r'href="(/assets/[^"]+)"', html):
        assert client.get(icon).status_code == 200, icon
    assert client.get("/govuk-frontend/govuk-frontend.min.js").status_code == 200


def test_assets_are_cached_for_a_year(client):
    response = client.get("/assets/images/favicon.svg")
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/assets/../config.py").status_code == 404
