"""The frontend is told which of its paths changed, signed, once each change commits."""

import json
import logging

import pytest
from wagtail.models import PageViewRestriction

from api import revalidate
from frontend.revalidation import verify
from pages.models import ReviewIndexPage, ReviewPage

SECRET = "shared-test-secret"


@pytest.fixture
def sent(settings, monkeypatch):
    """Revalidation calls the CMS makes, recorded instead of sent."""
    settings.REVALIDATE_SECRET = SECRET
    calls = []

    class Recorded:
        def raise_for_status(self):
            return None

    def record(url, *, content, headers, timeout):
        calls.append({"url": url, "body": content, "headers": headers})
        return Recorded()

    monkeypatch.setattr(revalidate.httpx, "post", record)
    return calls


def paths_in(call):
    return json.loads(call["body"])["paths"]


def assert_signed_for_the_frontend(call):
    headers = call["headers"]
    verify(
        SECRET,
        headers["X-Revalidate-Timestamp"],
        headers["X-Revalidate-Signature"],
        call["body"],
        max_age=300,
    )


def test_publish_posts_the_page_and_its_index_signed(
    demo, sent, settings, django_capture_on_commit_callbacks
):
    page = ReviewPage.objects.get(slug="child-b")
    page.title = "Child B: serious case review (updated)"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert len(sent) == 1
    assert sent[0]["url"] == f"{settings.FRONTEND_URL}/_revalidate"
    assert paths_in(sent[0]) == ["/serious-case-reviews/", "/serious-case-reviews/child-b/"]
    assert_signed_for_the_frontend(sent[0])


def test_nothing_is_sent_before_the_transaction_commits(demo, sent):
    page = ReviewPage.objects.get(slug="child-b")
    page.save_revision().publish()
    assert sent == []  # the test's transaction never commits


def test_unpublish_posts_the_paths(demo, sent, django_capture_on_commit_callbacks):
    page = ReviewPage.objects.get(slug="family-a")
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert paths_in(sent[-1]) == ["/serious-case-reviews/", "/serious-case-reviews/family-a/"]
    assert_signed_for_the_frontend(sent[-1])


def test_move_posts_old_and_new_places(demo, sent, django_capture_on_commit_callbacks):
    home = ReviewIndexPage.objects.get().get_parent()
    archive = home.add_child(
        instance=ReviewIndexPage(title="Older reviews", slug="older-reviews", intro="<p>Old.</p>")
    )
    page = ReviewPage.objects.get(slug="family-a")
    with django_capture_on_commit_callbacks(execute=True):
        page.move(archive, pos="last-child")
    assert paths_in(sent[-1]) == [
        "/older-reviews/",
        "/older-reviews/family-a/",
        "/serious-case-reviews/",
        "/serious-case-reviews/family-a/",
    ]


def test_slug_change_posts_old_and_new_addresses_of_everything_below(
    demo, sent, django_capture_on_commit_callbacks
):
    index = ReviewIndexPage.objects.get()
    index.slug = "case-reviews"
    with django_capture_on_commit_callbacks(execute=True):
        index.save_revision().publish()
    posted = {path for call in sent for path in paths_in(call)}
    assert {
        "/",
        "/serious-case-reviews/",
        "/case-reviews/",
        "/serious-case-reviews/child-b/",
        "/case-reviews/child-b/",
        "/serious-case-reviews/about-serious-case-reviews/",
        "/case-reviews/about-serious-case-reviews/",
    } <= posted


def test_delete_posts_the_paths(demo, sent, django_capture_on_commit_callbacks):
    page = ReviewPage.objects.get(slug="family-a")
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert paths_in(sent[-1]) == ["/serious-case-reviews/", "/serious-case-reviews/family-a/"]


def test_publishing_succeeds_when_the_frontend_is_down(
    demo, settings, caplog, django_capture_on_commit_callbacks
):
    settings.REVALIDATE_SECRET = SECRET
    settings.FRONTEND_REVALIDATE_URL = "http://127.0.0.1:9/_revalidate"  # nothing listens
    page = ReviewPage.objects.get(slug="child-b")
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert ReviewPage.objects.get(slug="child-b").live
    assert "Could not revalidate /serious-case-reviews/" in caplog.text


# Privacy changes reach the frontend at once, like publishing does.

INDEX_AND_BELOW = [
    "/",
    "/serious-case-reviews/",
    "/serious-case-reviews/about-serious-case-reviews/",
    "/serious-case-reviews/child-b/",
    "/serious-case-reviews/family-a/",
]


def restrict(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def test_making_a_page_private_posts_it_its_descendants_and_its_index(
    demo, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        restrict(demo["index"])
    assert [paths_in(call) for call in sent] == [INDEX_AND_BELOW]


def test_changing_a_view_restriction_posts_the_paths(
    demo, sent, django_capture_on_commit_callbacks
):
    restriction = restrict(demo["child_b"])
    with django_capture_on_commit_callbacks(execute=True):
        restriction.restriction_type = PageViewRestriction.LOGIN
        restriction.save()
    assert [paths_in(call) for call in sent] == [
        ["/serious-case-reviews/", "/serious-case-reviews/child-b/"]
    ]


def test_making_a_page_public_again_posts_the_paths(demo, sent, django_capture_on_commit_callbacks):
    restriction = restrict(demo["index"])
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert [paths_in(call) for call in sent] == [INDEX_AND_BELOW]


def test_privacy_set_in_the_admin_is_posted(
    demo, sent, admin_client, django_capture_on_commit_callbacks
):
    url = f"/admin/pages/{demo['family_a'].pk}/privacy/"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"restriction_type": "login"})
    assert response.status_code == 200, response.content[:2000]
    assert PageViewRestriction.objects.filter(page=demo["family_a"]).exists()
    assert [paths_in(call) for call in sent] == [
        ["/serious-case-reviews/", "/serious-case-reviews/family-a/"]
    ]


def test_two_calls_for_the_same_paths_in_one_second_are_both_distinct(sent):
    """The frontend refuses a replayed signed body, so each call's body must be unique."""
    revalidate.post_paths(["/serious-case-reviews/"])
    revalidate.post_paths(["/serious-case-reviews/"])
    assert len(sent) == 2
    assert sent[0]["body"] != sent[1]["body"]
    assert paths_in(sent[0]) == paths_in(sent[1]) == ["/serious-case-reviews/"]
