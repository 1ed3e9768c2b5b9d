"""``last_updated`` is the date a page's content last changed for readers, not its last publish.

The demo content carries the dates of the council page it replaces; a publish that changes
nothing readers read keeps the date; an index is never older than its newest live review;
an editor's later "last reviewed" date wins. The page detail and the sitemap agree.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pages.models import ReviewIndexPage, ReviewPage

from .conftest import make_review

SEED_DATES = {
    "home": "2017-02-21",
    "index": "2017-02-21",
    "child_b": "2017-02-20",
    "family_a": "2015-11-23",
    "guidance": "2017-02-21",
}


def last_updated(api, page):
    return api.get(f"/api/v3/pages/{page.pk}/").json()["last_updated"]


def sitemap_dates(api):
    items = api.get("/api/v3/sitemap/", {"limit": 1000}).json()["items"]
    return {item["id"]: item["last_updated"] for item in items}


def today():
    return timezone.localdate().isoformat()


def publish_changed(page, **changes):
    """Publish the page's latest version with ``changes``, as an editor would."""
    page = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_demo_pages_carry_the_dates_of_the_council_page(api, demo):
    # Loaded (and published) today, yet dated as on the council's page.
    assert timezone.localdate(demo["child_b"].last_published_at) == timezone.localdate()
    assert {name: last_updated(api, demo[name]) for name in SEED_DATES} == SEED_DATES
    sitemap = sitemap_dates(api)
    assert {name: sitemap[demo[name].pk] for name in SEED_DATES} == SEED_DATES


def test_republishing_unchanged_content_keeps_the_date(api, demo):
    publish_changed(demo["family_a"])
    published = ReviewPage.objects.get(pk=demo["family_a"].pk).last_published_at
    assert timezone.localdate(published) == timezone.localdate()
    assert last_updated(api, demo["family_a"]) == "2015-11-23"
    assert last_updated(api, demo["index"]) == "2017-02-21"


def test_changed_content_is_dated_today_and_so_is_its_index(api, demo):
    publish_changed(demo["family_a"], summary="What agencies learnt about Family A.")
    assert last_updated(api, demo["family_a"]) == today()
    assert last_updated(api, demo["index"]) == today()
    assert sitemap_dates(api)[demo["index"].pk] == today()


def test_blocks_saved_again_with_new_ids_but_the_same_words_are_no_change(api, demo):
    page = demo["child_b"].get_latest_revision_as_object()
    page.body = [
        {"type": child.block_type, "value": child.block.get_prep_value(child.value)}
        for child in page.body
    ]
    page.save_revision().publish()
    assert last_updated(api, demo["child_b"]) == "2017-02-20"


def test_a_draft_changes_nothing_until_it_is_published(api, demo):
    page = demo["child_b"].get_latest_revision_as_object()
    page.title = "Child B: serious case review (draft)"
    page.save_revision()
    assert last_updated(api, demo["child_b"]) == "2017-02-20"
    page.get_latest_revision().publish()
    assert last_updated(api, demo["child_b"]) == today()


def test_the_later_of_last_reviewed_and_the_content_date_is_shown(api, demo):
    publish_changed(demo["child_b"], last_reviewed=datetime.date(2020, 5, 6))
    assert last_updated(api, demo["child_b"]) == "2020-05-06"
    # Setting the date is not a change to the content itself.
    assert ReviewPage.objects.get(pk=demo["child_b"].pk).content_changed_on.isoformat() == (
        "2017-02-20"
    )
    publish_changed(demo["child_b"], last_reviewed=datetime.date(2016, 1, 1))
    assert last_updated(api, demo["child_b"]) == "2017-02-20"
    assert sitemap_dates(api)[demo["child_b"].pk] == "2017-02-20"


def test_the_index_is_never_older_than_its_newest_live_review(api, demo):
    # An old review put online today is news on the index today.
    make_review(demo["index"], "child-c", date_published=datetime.date(2016, 1, 1))
    assert last_updated(api, demo["index"]) == today()
    assert sitemap_dates(api)[demo["index"].pk] == today()


def test_a_draft_review_leaves_the_index_alone(api, demo):
    make_review(demo["index"], "child-c", publish=False)
    assert last_updated(api, demo["index"]) == "2017-02-21"


def test_a_review_taken_off_the_index_dates_it_today(api, demo):
    demo["family_a"].unpublish()
    assert last_updated(api, demo["index"]) == today()
    assert ReviewIndexPage.objects.get().content_changed_on == timezone.localdate()


def test_a_review_moved_away_dates_the_index_it_left(api, demo):
    other = ReviewIndexPage(title="Older reviews", slug="older-reviews", intro="<p>Old.</p>")
    demo["home"].add_child(instance=other)
    other.save_revision().publish()
    ReviewIndexPage.objects.filter(pk=other.pk).update(content_changed_on="2018-01-01")
    demo["family_a"].move(other, pos="last-child")
    assert last_updated(api, demo["index"]) == today()
    assert last_updated(api, other) == today()
    sitemap = sitemap_dates(api)
    assert (sitemap[demo["index"].pk], sitemap[other.pk]) == (today(), today())


def test_pages_stored_without_a_content_date_go_by_their_last_publish(api, demo):
    """As rows from before content dates were kept, or made in bulk by generate_reviews."""
    published = datetime.datetime(2019, 5, 5, 12, tzinfo=datetime.UTC)
    ReviewPage.objects.filter(pk=demo["family_a"].pk).update(
        content_changed_on=None, last_published_at=published
    )
    assert last_updated(api, demo["family_a"]) == "2019-05-05"
    assert sitemap_dates(api)[demo["family_a"].pk] == "2019-05-05"
    # Published again unchanged, it keeps that date rather than taking today's.
    publish_changed(ReviewPage.objects.get(pk=demo["family_a"].pk))
    assert last_updated(api, demo["family_a"]) == "2019-05-05"


def test_the_sitemap_dates_any_number_of_pages_in_the_same_queries(api, demo):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v3/sitemap/", {"limit": 1000}).status_code == 200
        return len(captured)

    queries()  # content types and site root paths cached, as on a running server
    before = queries()
    for number in range(5):
        make_review(demo["index"], f"child-{number}")
    assert queries() == before
