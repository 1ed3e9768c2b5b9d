"""Privacy changes reach the frontend at once, like publishing does (api/revalidate.py)."""

import json

import pytest
from wagtail.models import PageViewRestriction

from api import revalidate


@pytest.fixture
def sent(settings, monkeypatch):
    """Revalidation calls the CMS makes, recorded instead of sent."""
    settings.REVALIDATE_SECRET = "shared-test-secret"
    calls = []

    class Recorded:
        def raise_for_status(self):
            return None

    def record(url, *, content, headers, timeout):
        calls.append(json.loads(content)["paths"])
        return Recorded()

    monkeypatch.setattr(revalidate.httpx, "post", record)
    return calls


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
    assert sent == [INDEX_AND_BELOW]


def test_changing_a_view_restriction_posts_the_paths(
    demo, sent, django_capture_on_commit_callbacks
):
    restriction = restrict(demo["child_b"])
    with django_capture_on_commit_callbacks(execute=True):
        restriction.restriction_type = PageViewRestriction.LOGIN
        restriction.save()
    assert sent == [["/serious-case-reviews/", "/serious-case-reviews/child-b/"]]


def test_making_a_page_public_again_posts_the_paths(demo, sent, django_capture_on_commit_callbacks):
    restriction = restrict(demo["index"])
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert sent == [INDEX_AND_BELOW]


def test_privacy_set_in_the_admin_is_posted(
    demo, sent, admin_client, django_capture_on_commit_callbacks
):
    url = f"/admin/pages/{demo['family_a'].pk}/privacy/"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"restriction_type": "login"})
    assert response.status_code == 200, response.content[:2000]
    assert PageViewRestriction.objects.filter(page=demo["family_a"]).exists()
    assert sent == [["/serious-case-reviews/", "/serious-case-reviews/family-a/"]]
