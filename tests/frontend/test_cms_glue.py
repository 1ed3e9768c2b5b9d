"""The CMS side of the frontend: revalidation on publish and the headless userbar."""

import io
import json
import logging

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from wagtail.admin.userbar import ContentCheckerItem, apply_userbar_hooks

from api import revalidate
from api.userbar import FrontendContentCheckerItem
from frontend.revalidation import verify
from pages.models import ReviewIndexPage, ReviewPage

SECRET = "shared-test-secret"


@pytest.fixture
def demo_site(db):
    call_command("load_demo_content", stdout=io.StringIO())


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
    demo_site, sent, settings, django_capture_on_commit_callbacks
):
    page = ReviewPage.objects.get(slug="child-b")
    page.title = "Child B: serious case review (updated)"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert len(sent) == 1
    assert sent[0]["url"] == f"{settings.FRONTEND_URL}/_revalidate"
    assert paths_in(sent[0]) == ["/serious-case-reviews/", "/serious-case-reviews/child-b/"]
    assert_signed_for_the_frontend(sent[0])


def test_nothing_is_sent_before_the_transaction_commits(demo_site, sent):
    page = ReviewPage.objects.get(slug="child-b")
    page.save_revision().publish()
    assert sent == []  # the test's transaction never commits


def test_unpublish_posts_the_paths(demo_site, sent, django_capture_on_commit_callbacks):
    page = ReviewPage.objects.get(slug="family-a")
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert paths_in(sent[-1]) == ["/serious-case-reviews/", "/serious-case-reviews/family-a/"]
    assert_signed_for_the_frontend(sent[-1])


def test_move_posts_old_and_new_places(demo_site, sent, django_capture_on_commit_callbacks):
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
    demo_site, sent, django_capture_on_commit_callbacks
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


def test_delete_posts_the_paths(demo_site, sent, django_capture_on_commit_callbacks):
    page = ReviewPage.objects.get(slug="family-a")
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert paths_in(sent[-1]) == ["/serious-case-reviews/", "/serious-case-reviews/family-a/"]


def test_publishing_succeeds_when_the_frontend_is_down(
    demo_site, settings, caplog, django_capture_on_commit_callbacks
):
    settings.REVALIDATE_SECRET = SECRET
    settings.FRONTEND_REVALIDATE_URL = "http://127.0.0.1:9/_revalidate"  # nothing listens
    page = ReviewPage.objects.get(slug="child-b")
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert ReviewPage.objects.get(slug="child-b").live
    assert "Could not revalidate /serious-case-reviews/" in caplog.text


def test_userbar_view_serves_the_content_checker_to_the_frontend_origin(db, settings):
    response = Client().get("/api/userbar/", HTTP_ORIGIN=settings.FRONTEND_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<wagtail-userbar></wagtail-userbar>" in html
    assert "wagtailadmin/js/vendor.js" in html and "wagtailadmin/js/userbar.js" in html
    assert 'id="checker-axe-configuration"' in html
    # The CMS allows the frontend's origin (CORS) ...
    assert response["Access-Control-Allow-Origin"] == settings.FRONTEND_URL
    # ... and axe in the preview may report to it and to the editor.
    configuration = json.loads(
        html.split('id="checker-axe-configuration" type="application/json">')[1].split(
            "</script>"
        )[0]
    )
    assert settings.FRONTEND_URL in configuration["spec"]["allowedOrigins"]


def test_userbar_view_does_not_allow_other_origins(db):
    response = Client().get("/api/userbar/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in response


def test_editor_checks_panel_gets_the_frontend_checker(db, settings):
    request = RequestFactory().get("/admin/pages/1/edit/")
    items = [ContentCheckerItem(in_editor=True)]
    apply_userbar_hooks(request, items, None)
    assert isinstance(items[0], FrontendContentCheckerItem)
    assert items[0].in_editor
    assert settings.FRONTEND_URL in items[0].get_axe_spec(request)["allowedOrigins"]
