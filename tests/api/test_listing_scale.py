"""Review listings that do not slow as the site grows (``ReviewListing``).

The listing rows must always say what the pages say: after every kind of change
the rows equal those worked out from ``ReviewPage.objects.live().public()``.
And a listing's cost must not depend on the number of reviews: the same queries
at any size, counting and paging read only the listing's own index, and the
index's filters seek rather than read every review.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from api import serializers
from api.reviews import ReviewQuery, filtered_reviews
from pages.models import NEWEST_FIRST, ReviewIndexPage, ReviewListing, ReviewPage

from .conftest import make_review


def listed_rows():
    return set(
        ReviewListing.objects.values_list(
            "review_id",
            "index_id",
            "date_published",
            "latest_statement_date",
            "review_type",
            "board_key",
        )
    )


def rows_from_the_pages():
    """What the listing must hold: every live, public review, with its parent."""
    return {
        (
            review.pk,
            review.get_parent().pk,
            review.date_published,
            review.latest_statement_date,
            review.review_type,
            review.board.casefold(),
        )
        for review in ReviewPage.objects.live().public()
    }


def assert_listing_matches_the_pages():
    assert listed_rows() == rows_from_the_pages()


def listing(api, **params):
    response = api.get("/api/v3/reviews/", params)
    assert response.status_code == 200, response.content
    return response.json()


def listed_ids(api, **params):
    return [item["id"] for item in listing(api, **{"limit": 20, **params})["items"]]


@pytest.fixture
def second_index(demo):
    index = demo["home"].add_child(
        instance=ReviewIndexPage(
            title="Adult reviews", slug="adult-reviews", intro="<p>Reviews about adults.</p>"
        )
    )
    index.save_revision().publish()
    return index


def test_the_listing_follows_publishing_editing_and_unpublishing(api, demo):
    assert_listing_matches_the_pages()  # the demo content, listed as it was published
    review = make_review(demo["index"], "child-d", date_published=datetime.date(2021, 6, 1))
    assert_listing_matches_the_pages()
    assert listed_ids(api)[0] == review.pk

    # A draft changes nothing readers see, the listing included.
    review.date_published = datetime.date(2011, 1, 1)
    review.save_revision()
    assert ReviewListing.objects.get(pk=review.pk).date_published == datetime.date(2021, 6, 1)
    assert listed_ids(api)[0] == review.pk
    ReviewPage.objects.get(pk=review.pk).get_latest_revision().publish()
    assert_listing_matches_the_pages()
    assert listed_ids(api)[-1] == review.pk

    ReviewPage.objects.get(pk=review.pk).unpublish()
    assert_listing_matches_the_pages()
    assert review.pk not in listed_ids(api)
    # Unpublished through a plain Page object, as Wagtail's bulk actions may.
    demo["child_b"].page_ptr.unpublish()
    assert_listing_matches_the_pages()
    assert listing(api)["count"] == 1


def test_the_listing_follows_moves_privacy_and_deletion(api, demo, second_index):
    review = make_review(demo["index"], "child-e")
    review.move(second_index, pos="last-child")
    assert_listing_matches_the_pages()
    assert listed_ids(api, child_of=second_index.pk) == [review.pk]
    assert review.pk not in listed_ids(api, child_of=demo["index"].pk)

    # A restriction above the reviews hides all of them, and lifting it shows them again.
    restriction = PageViewRestriction.objects.create(
        page=demo["index"], restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert_listing_matches_the_pages()
    assert listed_ids(api) == [review.pk]
    restriction.delete()
    assert_listing_matches_the_pages()
    assert listing(api)["count"] == 3

    # Moving a private review's index out from under the restriction makes it public.
    PageViewRestriction.objects.create(
        page=second_index, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert review.pk not in listed_ids(api)
    Page.objects.get(pk=review.pk).move(demo["index"], pos="last-child")
    assert_listing_matches_the_pages()
    assert review.pk in listed_ids(api, child_of=demo["index"].pk)

    Page.objects.get(pk=review.pk).delete()
    assert_listing_matches_the_pages()
    assert listing(api)["count"] == 2


def test_the_listing_orders_like_newest_first_of_the_pages(api, demo):
    same_day = datetime.date(2019, 5, 5)
    make_review(demo["index"], "no-statements", statements=0, date_published=same_day)
    make_review(demo["index"], "two-statements", statements=2, date_published=same_day)
    make_review(demo["index"], "one-statement", statements=1, date_published=same_day)
    make_review(demo["index"], "another-one", statements=1, date_published=same_day)
    expected = list(
        ReviewPage.objects.live().public().order_by(*NEWEST_FIRST).values_list("pk", flat=True)
    )
    assert listed_ids(api) == expected
    assert [listed_ids(api, limit=2, offset=offset) for offset in (0, 2, 4)] == [
        expected[0:2],
        expected[2:4],
        expected[4:6],
    ]


def test_rebuild_review_listing_repairs_changes_made_around_the_orm(demo):
    Page.objects.filter(pk=demo["child_b"].pk).update(live=False)
    ReviewPage.objects.filter(pk=demo["family_a"].pk).update(board="Renamed board")
    assert listed_rows() != rows_from_the_pages()
    call_command("rebuild_review_listing", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert_listing_matches_the_pages()


def test_the_migration_lists_the_reviews_already_there(demo, second_index):
    hidden = make_review(second_index, "hidden")
    PageViewRestriction.objects.create(
        page=second_index, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    make_review(demo["index"], "draft", publish=False)
    migration = importlib.import_module("pages.migrations.0004_review_listing")
    ReviewListing.objects.all().delete()
    migration.list_live_public_reviews(apps, None)
    assert_listing_matches_the_pages()
    assert not ReviewListing.objects.filter(pk=hidden.pk).exists()


def test_the_index_filters_name_only_years_and_types_present(api, demo):
    index = demo["index"]
    oldest = make_review(index, "oldest", date_published=datetime.date(2011, 3, 1))
    make_review(index, "national", review_type="national", date_published=datetime.date(2020, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        filters = serializers.review_filters(index)
    assert len(queries) == 4  # years, types, boards, themes: however many reviews and years
    assert filters["years"] == [2020, 2017, 2015, 2011]
    assert filters["review_types"] == [
        {"value": "scr", "label": "Serious case review"},
        {"value": "national", "label": "National review"},
    ]
    ReviewPage.objects.get(pk=oldest.pk).unpublish()
    assert serializers.review_filters(index)["years"] == [2020, 2017, 2015]


def generate(count):
    call_command("generate_reviews", str(count), "--seed", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115


# A page's own content (documents, links) can change its count by a query, so each listing
# here has results at both sizes.
LISTINGS = [
    {"limit": 20},
    {"limit": 20, "offset": 20},
    {"limit": 20, "review_type": "scr"},
    {"limit": 20, "board": "Kingston LSCB"},
    {"limit": 20, "theme": "neglect"},
]


def query_counts(api, demo):
    """Queries each listing (and the index page) costs, after a warm-up request."""
    assert api.get(f"/api/v3/pages/{demo['guidance'].pk}/").status_code == 200
    counts = []
    for params in [*LISTINGS, {"child_of": demo["index"].pk, **LISTINGS[0]}]:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v3/reviews/", params).status_code == 200
        counts.append(len(queries))
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/api/v3/pages/{demo['index'].pk}/").status_code == 200
    return [*counts, len(queries)]


def test_listings_cost_the_same_queries_at_any_size(api, demo):
    generate(40)
    small = query_counts(api, demo)
    generate(400)
    assert listing(api)["count"] == 442
    assert query_counts(api, demo) == small


def plan_of(queryset):
    """The database's plan for ``queryset``, with sorting made a last resort on PostgreSQL (a
    small table would otherwise be sorted, as cheaper, whatever indexes it has)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row) for row in cursor.fetchall())


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"year": 2017},
        {"review_type": "scr"},
        {"child_of": "index"},
        {"child_of": "index", "year": 2017, "review_type": "scr"},
    ],
)
def test_counting_and_paging_read_only_the_listing_in_its_order(api, demo, params):
    generate(60)
    if params.get("child_of") == "index":
        params = {**params, "child_of": demo["index"].pk}
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v3/reviews/", {"limit": 20, "offset": 20, **params}).status_code == 200
    listing_queries = [q["sql"] for q in queries if "pages_reviewlisting" in q["sql"]]
    assert len(listing_queries) == 2  # the count and the page of ids
    for sql in listing_queries:
        assert "wagtailcore_page" not in sql and "pages_reviewpage" not in sql, sql

    page_of_ids = filtered_reviews(ReviewQuery(**params)).values_list("pk")[20:40]
    plan = plan_of(page_of_ids)
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
    assert "listing_" in plan, plan  # one of ReviewListing's indexes gives the order
