"""API responses are cached by their HTTP headers; a down CMS is covered by stale copies."""

import logging

import httpx
import pytest

from tests.frontend.html_checks import assert_accessible_structure

REVIEW_PATH = "/serious-case-reviews/child-b/"


def test_uncached_render_makes_two_api_calls_and_a_fresh_cached_one_none(client, fake_cms):
    assert client.get(REVIEW_PATH).status_code == 200
    assert fake_cms.paths_called() == ["/api/v3/pages/find/", "/api/v3/pages/5/"]
    fake_cms.calls.clear()
    assert client.get(REVIEW_PATH).status_code == 200
    assert fake_cms.calls == []


def test_index_renders_its_first_page_of_reviews_without_a_listing_call(client, fake_cms):
    client.get("/serious-case-reviews/")
    assert len(fake_cms.calls) == 2


def test_stale_responses_are_revalidated_with_their_etag(client, fake_cms):
    fake_cms.cache_control = "public, max-age=0"
    client.get(REVIEW_PATH)
    fake_cms.calls.clear()
    response = client.get(REVIEW_PATH)
    assert response.status_code == 200
    detail = [c for c in fake_cms.calls if c.url.path == "/api/v3/pages/5/"]
    assert detail and detail[0].headers["If-None-Match"].startswith('"page-5-')
    # The CMS answered 304 Not Modified; the page came from the stored body.
    assert "Child B: serious case review" in response.get_data(as_text=True)


def test_changed_content_is_picked_up_once_stale(client, fake_cms):
    fake_cms.cache_control = "public, max-age=0"
    client.get(REVIEW_PATH)
    fake_cms.pages[REVIEW_PATH]["title"] = "Child B: updated title"
    assert "Child B: updated title" in client.get(REVIEW_PATH).get_data(as_text=True)


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("connection refused"), httpx.ReadTimeout("timed out"), 500, 502, "json"],
    ids=["refused", "timeout", "500", "502", "malformed-json"],
)
def test_cached_page_is_served_stale_when_the_cms_fails(client, fake_cms, caplog, failure):
    fake_cms.cache_control = "public, max-age=0"  # stale at once, so the CMS is asked again
    assert client.get(REVIEW_PATH).status_code == 200
    if failure == "json":
        fake_cms.malformed = True
    else:
        fake_cms.failure = failure
    with caplog.at_level(logging.WARNING):
        response = client.get(REVIEW_PATH)
    assert response.status_code == 200
    assert "Child B: serious case review" in response.get_data(as_text=True)
    assert "serving a stale copy" in caplog.text
    # The broken answer was not kept: with the CMS back, the page is fine again.
    fake_cms.failure, fake_cms.malformed = None, False
    assert client.get(REVIEW_PATH).status_code == 200


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("connection refused"), httpx.ReadTimeout("timed out"), 503, "json"],
    ids=["refused", "timeout", "503", "malformed-json"],
)
def test_uncached_page_is_a_503_with_retry_after_when_the_cms_fails(client, fake_cms, failure):
    if failure == "json":
        fake_cms.malformed = True
    else:
        fake_cms.failure = failure
    response = client.get(REVIEW_PATH)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    html = response.get_data(as_text=True)
    assert_accessible_structure(html)
    assert "Sorry, the service is unavailable" in html
    assert "Traceback" not in html


def test_revalidation_makes_the_next_render_ask_the_cms(app, client, fake_cms):
    client.get(REVIEW_PATH)
    fake_cms.pages[REVIEW_PATH]["title"] = "Child B: retitled"
    assert "Child B: retitled" not in client.get(REVIEW_PATH).get_data(as_text=True)
    app.extensions["cms"].revalidate([REVIEW_PATH])
    assert "Child B: retitled" in client.get(REVIEW_PATH).get_data(as_text=True)


def test_revalidating_an_index_refreshes_its_filtered_listings(app, client, fake_cms):
    fake_cms.set_review_count(25)
    client.get("/serious-case-reviews/?page=2")
    fake_cms.calls.clear()
    client.get("/serious-case-reviews/?page=2")
    assert fake_cms.calls == []
    app.extensions["cms"].revalidate(["/serious-case-reviews/"])
    client.get("/serious-case-reviews/?page=2")
    assert "/api/v3/reviews/" in fake_cms.paths_called()


def test_no_copy_from_before_a_revalidation_is_served_when_the_cms_is_down(app, client, fake_cms):
    """The revalidation may be an unpublish, delete or privacy change: old copies stay gone."""
    client.get(REVIEW_PATH)
    app.extensions["cms"].revalidate([REVIEW_PATH])
    fake_cms.failure = httpx.ConnectError("connection refused")
    response = client.get(REVIEW_PATH)
    assert response.status_code == 503
    assert "Child B: serious case review" not in response.get_data(as_text=True)


def test_a_copy_from_after_a_revalidation_is_still_served_stale(app, client, fake_cms):
    fake_cms.cache_control = "public, max-age=0"
    client.get(REVIEW_PATH)
    fake_cms.pages[REVIEW_PATH]["title"] = "Child B: retitled"
    app.extensions["cms"].revalidate([REVIEW_PATH])
    assert client.get(REVIEW_PATH).status_code == 200
    fake_cms.failure = httpx.ConnectError("connection refused")
    response = client.get(REVIEW_PATH)
    assert response.status_code == 200
    assert "Child B: retitled" in response.get_data(as_text=True)


def unpublish(fake_cms, path):
    fake_cms.pages.pop(path)


def test_an_unpublished_page_stays_a_404_when_the_cms_goes_down(app, client, fake_cms):
    assert client.get(REVIEW_PATH).status_code == 200
    unpublish(fake_cms, REVIEW_PATH)
    app.extensions["cms"].revalidate([REVIEW_PATH, "/serious-case-reviews/"])
    assert client.get(REVIEW_PATH).status_code == 404
    fake_cms.failure = httpx.ConnectError("connection refused")
    response = client.get(REVIEW_PATH)
    assert response.status_code == 404
    assert "Child B: serious case review" not in response.get_data(as_text=True)


def test_a_page_gone_without_a_revalidation_is_not_served_stale_either(client, fake_cms):
    """A missed notification: the CMS's latest answer, "not found", is what counts."""
    fake_cms.cache_control = "public, max-age=0"
    assert client.get(REVIEW_PATH).status_code == 200
    unpublish(fake_cms, REVIEW_PATH)
    assert client.get(REVIEW_PATH).status_code == 404
    fake_cms.failure = 502
    assert client.get(REVIEW_PATH).status_code == 404


def test_made_up_addresses_leave_no_not_found_record(app, client, fake_cms):
    for n in range(3):
        assert client.get(f"/made-up-{n}/").status_code == 404
    fake_cms.failure = httpx.ConnectError("connection refused")
    assert client.get("/made-up-0/").status_code == 503


def test_sitemap_is_refreshed_by_any_revalidation(app, client, fake_cms):
    client.get("/sitemap.xml")
    fake_cms.pages.pop("/serious-case-reviews/about-serious-case-reviews/")
    app.extensions["cms"].revalidate(["/serious-case-reviews/about-serious-case-reviews/"])
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    assert "about-serious-case-reviews" not in xml
