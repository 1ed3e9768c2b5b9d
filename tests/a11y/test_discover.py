"""Discovery: pages from the paginated CMS sitemap, the 404 page, and listing views from the
listing's own HTML; never a hand-kept list."""

from __future__ import annotations

import datetime as dt

import pytest

from a11y_tests import discover as discovery
from a11y_tests.discover import DiscoveryError, discover, listing_views, parse_since
from tests.a11y.site import FixtureSite, free_port_in_range


@pytest.fixture
def site():
    site = FixtureSite().start()
    yield site
    site.stop()


def test_every_sitemap_page_across_pagination_plus_404_and_listing_views(site, monkeypatch):
    monkeypatch.setattr(discovery, "SITEMAP_PAGE_SIZE", 2)
    site.publish("clean", "image-alt", "label", "reflow", "heading-order")
    site.publish("listing", page_type="pages.ReviewIndexPage")

    found = discover(site.url, site.url + "/")

    assert site.sitemap_requests == 3  # six pages, two per request
    by_path = {target.path: target for target in found.targets}
    for name in ("clean", "image-alt", "label", "reflow", "heading-order", "listing"):
        assert by_path[f"/{name}/"].url == site.page_url(name)
    views = {t.path for t in found.targets if t.kind == "listing-view"}
    # Links and the GET form of the listing itself; the empty "Any" option and the link to
    # another page are not views.
    assert views == {
        "/listing/?year=2015",
        "/listing/?year=2017",
        "/listing/?page=2",
        "/listing/?review_type=scr",
    }
    (not_found,) = [t for t in found.targets if t.kind == "not-found"]
    assert not_found.expected_status == 404
    assert found.complete


def test_listing_views_from_the_api_when_the_listing_hides_its_filters(site):
    site.publish("clean-listing", page_type="pages.ReviewIndexPage")
    site.details["1"] = {
        "id": 1,
        "filters": {"years": [2017, 2015], "review_types": [{"value": "scr", "label": "SCR"}]},
        "reviews": {"count": 45, "limit": 20, "items": []},
    }
    found = discover(site.url, site.url)
    views = [t.path for t in found.targets if t.kind == "listing-view"]
    assert views == [
        "/clean-listing/?year=2017",
        "/clean-listing/?year=2015",
        "/clean-listing/?review_type=scr",
        "/clean-listing/?page=2",
        "/clean-listing/?page=3",
    ]


def test_changed_since_keeps_changed_pages_and_the_listings_above_them(site):
    site.publish("listing", page_type="pages.ReviewIndexPage", at="2026-01-01T00:00:00+00:00")
    site.publish("clean", at="2026-01-01T00:00:00+00:00")
    site.pages["listing/child"] = ("pages.ReviewPage", "2026-03-01T12:00:00+00:00")

    found = discover(site.url, site.url, changed_since=parse_since("2026-02-01"))

    paths = {target.path for target in found.targets if target.kind == "page"}
    assert paths == {"/listing/child/", "/listing/"}
    assert found.unchanged == ["/clean/"]
    assert not found.complete
    assert not [t for t in found.targets if t.kind == "not-found"]


def test_listing_views_ignore_other_pages_and_fragments():
    html = (
        '<a href="?page=2#results">2</a><a href="/other/?page=2">x</a>'
        '<a href="https://elsewhere.example/list/?page=3">y</a><a href="#top">top</a>'
    )
    assert listing_views(html, "http://site.test/list/") == ["http://site.test/list/?page=2"]


def test_unreachable_cms_is_a_clear_error():
    port = free_port_in_range()
    with pytest.raises(DiscoveryError, match=f"CMS not reachable at http://127.0.0.1:{port}"):
        discover(f"http://127.0.0.1:{port}", "http://127.0.0.1:1")


def test_unreachable_frontend_is_a_clear_error(site):
    port = free_port_in_range(range(site.port + 1, 8400))
    with pytest.raises(DiscoveryError, match="frontend not reachable"):
        discover(site.url, f"http://127.0.0.1:{port}")


def test_sitemap_that_is_not_the_contract_is_a_clear_error(site):
    with pytest.raises(DiscoveryError, match=r"HTTP 404"):
        discover(site.url + "/no-api", site.url)


def test_bad_changed_since_is_explained():
    with pytest.raises(DiscoveryError, match="not an ISO date"):
        parse_since("yesterday")
    assert parse_since("2026-02-01T10:00:00") == dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC)
