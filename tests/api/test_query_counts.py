"""Constant query cost: a page's links and documents are fetched in batches, not per block.

Each measured request follows one warm-up request, as in a running server where
content types and site root paths are already cached.
"""

import datetime

import pytest

from .conftest import make_review


@pytest.fixture
def linked_targets(demo):
    return [demo["child_b"], demo["family_a"], demo["guidance"]]


@pytest.fixture
def document_report(demo):
    """The Child B report block: a report that points at an uploaded document."""
    block = next(block for block in demo["child_b"].body if block.block_type == "report")
    return ("report", block.block.get_prep_value(block.value))


def warm_up(api, demo):
    assert api.get(f"/api/v3/pages/{demo['guidance'].pk}/").status_code == 200


@pytest.mark.parametrize("statements", [1, 50])
def test_review_detail_costs_at_most_14_queries(
    api, demo, linked_targets, document_report, statements, django_assert_max_num_queries
):
    review = make_review(
        demo["index"],
        "linked",
        statements=statements,
        link_to=linked_targets,
        extra_blocks=[document_report],
    )
    warm_up(api, demo)
    # However many statements and links: one of them finds the footer's accessibility statement,
    # one the site's accessible formats email for the document's notice.
    with django_assert_max_num_queries(14):
        response = api.get(f"/api/v3/pages/{review.pk}/")
    assert response.status_code == 200
    body = response.json()["body"]
    quotes = [block["value"]["quote"] for block in body if block["type"] == "statement"]
    assert len(quotes) == statements
    assert all('href="/serious-case-reviews/' in quote for quote in quotes)
    assert body[-1]["value"]["kind"] == "document"


def test_reviews_listing_of_20_costs_at_most_10_queries(
    api, demo, linked_targets, document_report, django_assert_max_num_queries
):
    for number in range(20):
        review = make_review(
            demo["index"],
            f"review-{number}",
            statements=3,
            link_to=linked_targets,
            extra_blocks=[document_report],
            date_published=datetime.date(2018, 1, 1) + datetime.timedelta(days=number),
        )
        review.themes.add("neglect", f"theme {number}")
        review.save_revision().publish()
    warm_up(api, demo)
    with django_assert_max_num_queries(10):
        response = api.get("/api/v3/reviews/", {"limit": 20})
    data = response.json()
    assert data["count"] == 22
    assert len(data["items"]) == 20
    assert all(len(item["statements"]) == 3 for item in data["items"])
    assert all("neglect" in item["themes"] for item in data["items"])
    assert all(
        'href="/serious-case-reviews/' in item["statements"][0]["quote"] for item in data["items"]
    )
    assert all(item["reports"][-1]["kind"] == "document" for item in data["items"])
