"""GET /api/v3/reviews/: summaries newest first, every filter, pagination and bad input."""

import datetime

import pytest
from django.db import OperationalError, connection
from django.test import Client

from pages.models import ReviewPage

from .conftest import make_review


def listing(api, **params):
    response = api.get("/api/v3/reviews/", params)
    assert response.status_code == 200, response.content
    return response.json()


def paths(data):
    return [item["path"].rstrip("/").rsplit("/", 1)[-1] for item in data["items"]]


@pytest.fixture
def reviews(demo):
    index = demo["index"]
    older = make_review(
        index,
        "older",
        date_published=datetime.date(2012, 5, 1),
        review_type="lcspr",
        board="Kingston LSCB",
        summary="A review about neglect in a large family.",
    )
    newer = make_review(
        index, "newer", date_published=datetime.date(2019, 3, 4), review_type="national"
    )
    tagged = ReviewPage.objects.get(pk=newer.pk)
    tagged.themes.add("Information sharing")
    tagged.save_revision().publish()
    return {**demo, "older": older, "newer": newer}


def test_newest_first_with_the_summary_shape(api, reviews):
    data = listing(api)
    assert data["count"] == 4
    assert paths(data) == ["newer", "child-b", "family-a", "older"]
    item = data["items"][1]
    assert set(item) >= {
        "id",
        "title",
        "path",
        "subject",
        "review_type",
        "review_type_label",
        "date_published",
        "board",
        "themes",
        "summary",
        "latest_statement_date",
        "statements",
        "reports",
    }
    assert item["review_type_label"] == "Serious case review"
    assert item["statements"][0]["date"] == "2017-02-20"
    assert item["reports"][0]["kind"] == "document"


def test_filter_by_year(api, reviews):
    assert paths(listing(api, year=2015)) == ["family-a"]


def test_filter_by_review_type(api, reviews):
    assert paths(listing(api, review_type="lcspr")) == ["older"]
    assert listing(api, review_type="lcspr")["items"][0]["review_type_label"] == (
        "Local child safeguarding practice review"
    )


def test_filter_by_board_ignores_case(api, reviews):
    assert paths(listing(api, board="kingston lscb")) == ["family-a", "older"]


def test_filter_by_theme_name_or_slug(api, reviews):
    assert paths(listing(api, theme="Information sharing")) == ["newer"]
    assert paths(listing(api, theme="information-sharing")) == ["newer"]
    assert listing(api, theme="neglect")["count"] == 0


def test_search_uses_the_search_backend(api, reviews):
    assert paths(listing(api, search="neglect")) == ["older"]
    assert paths(listing(api, search="Child B")) == ["child-b"]


def test_child_of_limits_to_one_index(api, reviews):
    assert listing(api, child_of=reviews["index"].pk)["count"] == 4


def test_child_of_a_page_that_is_not_an_index_is_404(api, reviews):
    response = api.get("/api/v3/reviews/", {"child_of": reviews["home"].pk})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_limit_and_offset(api, reviews):
    data = listing(api, limit=2, offset=1)
    assert data["count"] == 4
    assert paths(data) == ["child-b", "family-a"]


@pytest.mark.parametrize(
    "params, status",
    [
        ({"colour": "red"}, 400),
        ({"fields": "title"}, 400),
        ({"limit": 21}, 400),
        ({"limit": 0}, 422),
        ({"year": "last"}, 422),
        ({"review_type": "made-up"}, 422),
    ],
)
def test_bad_parameters_are_problem_json(api, reviews, params, status):
    response = api.get("/api/v3/reviews/", params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["detail"]


@pytest.mark.parametrize("url", ["/api/v3/reviews/", "/api/v3/pages/"])
@pytest.mark.parametrize("search", ['"', 'child "b', "  "])
def test_search_text_the_backend_cannot_parse_is_problem_json_400(reviews, url, search):
    client = Client(raise_request_exception=False)
    response = client.get(url, {"search": search})
    if search.strip() and connection.vendor == "postgresql":
        # PostgreSQL's parser takes a lone quotation mark as punctuation: an ordinary search.
        assert response.status_code == 200, response.content
        return
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("The search text could not be parsed")
    assert "no-store" in response["Cache-Control"]


def test_a_database_failure_during_a_search_stays_a_500(reviews, monkeypatch):
    def locked(params):
        raise OperationalError("database is locked")

    monkeypatch.setattr("api.reviews.filtered_reviews", locked)
    response = Client(raise_request_exception=False).get("/api/v3/reviews/", {"search": "child"})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
