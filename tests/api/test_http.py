"""HTTP behaviour: caching headers, conditional GETs, CORS, problem+json errors, OpenAPI."""

import pytest
from django.conf import settings
from django.test import Client
from openapi_spec_validator import validate

from pages.blocks import StatementBlock


def test_public_detail_is_cacheable_with_a_strong_etag(api, demo):
    response = api.get(f"/api/v3/pages/{demo['child_b'].pk}/")
    assert response["Cache-Control"] == f"public, max-age={settings.API_CACHE_MAX_AGE}"
    etag = response["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert api.get(f"/api/v3/pages/{demo['child_b'].pk}/")["ETag"] == etag


def test_if_none_match_answers_304_without_building_the_page(
    api, demo, django_assert_max_num_queries
):
    url = f"/api/v3/pages/{demo['child_b'].pk}/"
    etag = api.get(url)["ETag"]
    with django_assert_max_num_queries(1):
        response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_publishing_changes_the_etag(api, demo):
    url = f"/api/v3/pages/{demo['child_b'].pk}/"
    etag = api.get(url)["ETag"]
    page = demo["child_b"]
    page.title = "Child B: serious case review (updated)"
    page.save_revision().publish()
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["title"].endswith("(updated)")
    assert response["ETag"] != etag


def test_publishing_a_child_changes_the_index_etag(api, demo):
    url = f"/api/v3/pages/{demo['index'].pk}/"
    etag = api.get(url)["ETag"]
    family_a = demo["family_a"]
    family_a.title = "Family A: renamed"
    family_a.save_revision().publish()
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Family A: renamed" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v3/reviews/", "/api/v3/sitemap/"])
def test_listings_answer_304_to_a_matching_etag(api, demo, url):
    response = api.get(url)
    assert response["Cache-Control"].startswith("public, max-age=")
    assert api.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_requests_with_credentials_are_never_stored_by_shared_caches(api, demo):
    response = api.get(
        f"/api/v3/pages/{demo['child_b'].pk}/", HTTP_AUTHORIZATION="Bearer not-a-real-token"
    )
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_errors_are_not_cached(api, demo):
    response = api.get("/api/v3/pages/999999/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_cors_allows_the_frontend_origin_on_the_api(api, demo):
    origin = settings.CORS_ALLOWED_ORIGINS[0]
    response = api.get("/api/v3/reviews/", HTTP_ORIGIN=origin)
    assert response["Access-Control-Allow-Origin"] == origin


def test_cors_refuses_other_origins(api, demo):
    response = api.get("/api/v3/reviews/", HTTP_ORIGIN="https://evil.example")
    assert not response.has_header("Access-Control-Allow-Origin")


def test_cors_only_applies_under_api(api, demo):
    origin = settings.CORS_ALLOWED_ORIGINS[0]
    response = api.get("/admin/login/", HTTP_ORIGIN=origin)
    assert not response.has_header("Access-Control-Allow-Origin")


def test_unknown_api_path_is_problem_json(api, demo):
    response = api.get("/api/v3/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "No API endpoint matches /api/v3/no-such-thing/."


@pytest.mark.parametrize("url", ["/api/v3/nope/", "/api/v2/pages/", "/api/"])
def test_unknown_api_paths_are_not_cached(api, demo, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


def test_cors_preflight_allows_if_none_match(api, demo):
    origin = settings.CORS_ALLOWED_ORIGINS[0]
    response = api.options(
        "/api/v3/pages/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == origin
    allowed = [name.strip() for name in response["Access-Control-Allow-Headers"].split(",")]
    assert "if-none-match" in allowed


def test_wrong_method_is_problem_json_405(api, demo):
    response = api.post("/api/v3/reviews/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET"


@pytest.mark.parametrize(
    "url", ["/api/v3/pages/", "/api/v3/reviews/", "/api/v3/sitemap/", "/api/v3/openapi.json"]
)
def test_head_answers_what_get_would_without_the_body(api, demo, url):
    got = api.get(url)
    head = api.head(url)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    for header in ("Content-Type", "Cache-Control", "ETag", "Content-Length"):
        assert head.get(header) == got.get(header), header
    assert int(head["Content-Length"]) == len(got.content)


def test_head_of_a_page_checks_its_etag_and_a_missing_page(api, demo):
    url = f"/api/v3/pages/{demo['child_b'].pk}/"
    etag = api.get(url)["ETag"]
    assert api.head(url)["ETag"] == etag
    assert api.head(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    missing = api.head("/api/v3/pages/999999/")
    assert missing.status_code == 404 and missing.content == b""


def test_unhandled_error_is_problem_json_500_without_details(demo, monkeypatch):
    def broken(self, value, context=None):
        raise ValueError("secret internals")

    monkeypatch.setattr(StatementBlock, "get_api_representation", broken)
    client = Client(raise_request_exception=False)
    response = client.get(f"/api/v3/pages/{demo['child_b'].pk}/")
    assert not settings.DEBUG
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Internal Server Error"
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_attribute_error_in_a_block_is_an_error_not_an_empty_body(demo, monkeypatch):
    # Pydantic takes an AttributeError from a resolver for "field not set" and would
    # quietly answer body: []; it must surface as a failure instead.
    def broken(self, value, context=None):
        return value.no_such_attribute

    monkeypatch.setattr(StatementBlock, "get_api_representation", broken)
    client = Client(raise_request_exception=False)
    response = client.get(f"/api/v3/pages/{demo['child_b'].pk}/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"


@pytest.fixture
def openapi(api, db):
    response = api.get("/api/v3/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_document_validates(openapi):
    validate(openapi)


def test_openapi_includes_the_custom_routers(openapi):
    for path in ("/api/v3/reviews/", "/api/v3/sitemap/", "/api/v3/page_preview/"):
        assert "get" in openapi["paths"][path]


def test_openapi_types_the_block_shapes(openapi):
    schemas = openapi["components"]["schemas"]
    assert set(schemas["StatementValue"]["required"]) == {"date", "speaker", "role", "quote"}
    # Previews of drafts may hold a statement with no date yet.
    assert {"type": "null"} in schemas["StatementValue"]["properties"]["date"]["anyOf"]
    assert "page_count" in schemas["DocumentReport"]["properties"]
    assert schemas["ExternalReport"]["properties"]["kind"]["const"] == "external"
    review = schemas["ReviewPageSchema"]["properties"]
    assert "discriminator" in review["body"]["items"]
    assert review["breadcrumbs"]["items"] == {"$ref": "#/components/schemas/Breadcrumb"}
    index = schemas["ReviewIndexPageSchema"]["properties"]
    assert index["reviews"] == {"$ref": "#/components/schemas/FirstReviews"}
    listing = openapi["paths"]["/api/v3/reviews/"]["get"]["responses"]["200"]
    assert listing["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReviewsListing"
    }


def test_attribute_error_in_a_field_with_a_default_is_not_swallowed(demo, monkeypatch):
    def broken(page):
        raise AttributeError("no such attribute")

    monkeypatch.setattr("api.serializers.breadcrumbs", broken)
    client = Client(raise_request_exception=False)
    response = client.get(f"/api/v3/pages/{demo['child_b'].pk}/")
    assert response.status_code == 500


def test_interactive_docs_are_served(api, db):
    assert api.get("/api/v3/docs/").status_code == 200


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("page_id", ["abc", "1.5", "٣"])
def test_a_page_id_that_is_not_a_number_is_problem_json_422(demo, method, page_id):
    # The ETag is worked out before ninja validates the path; it must not query "abc".
    client = Client(raise_request_exception=False)
    response = getattr(client, method)(f"/api/v3/pages/{page_id}/")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "no-store" in response["Cache-Control"]
    if method == "get":
        assert response.json()["errors"][0]["loc"] == ["path", "page_id"]


def test_a_page_id_too_large_for_the_database_is_404(api, demo):
    response = api.get(f"/api/v3/pages/{10**20}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
