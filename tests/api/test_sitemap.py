"""GET /api/v3/sitemap/: every live public page, paginated, for sitemap.xml and page discovery."""

from .conftest import make_review


def test_lists_every_live_public_page_in_tree_order(api, demo):
    data = api.get("/api/v3/sitemap/").json()
    assert data["count"] == 6
    assert [item["path"] for item in data["items"]] == [
        "/",
        "/serious-case-reviews/",
        "/serious-case-reviews/child-b/",
        "/serious-case-reviews/family-a/",
        "/serious-case-reviews/about-serious-case-reviews/",
        "/accessibility-statement/",
    ]
    index = data["items"][1]
    assert index["type"] == "pages.ReviewIndexPage"
    assert index["title"] == "Serious case reviews"
    assert index["last_updated"] == "2017-02-21"
    assert index["last_published_at"].endswith("Z")


def test_paginates(api, demo):
    data = api.get("/api/v3/sitemap/", {"limit": 2, "offset": 2}).json()
    assert data["count"] == 6
    assert [item["id"] for item in data["items"]] == [demo["child_b"].pk, demo["family_a"].pk]


def test_leaves_out_pages_that_are_not_live(api, demo):
    make_review(demo["index"], "draft", publish=False)
    paths = [item["path"] for item in api.get("/api/v3/sitemap/").json()["items"]]
    assert "/serious-case-reviews/draft/" not in paths


def test_unknown_parameter_and_large_limit_are_400(api, demo):
    assert api.get("/api/v3/sitemap/", {"page": 2}).status_code == 400
    response = api.get("/api/v3/sitemap/", {"limit": 1001})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
