"""GET /api/v3/page_preview/: drafts by signed, expiring token only."""

import datetime

import pytest
from django.core.management import call_command
from django.core.signing import TimestampSigner
from django.test import override_settings
from wagtail_headless_preview.models import PagePreview

from pages.models import ReviewPage


def preview_of_edit(page, **changes):
    """What Wagtail stores when an editor previews unsaved changes to ``page``."""
    page = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    return page.create_page_preview()


def preview_of_new_review(index, **fields):
    """What Wagtail stores when an editor previews a review that was never saved."""
    page = ReviewPage(
        title="Child C: serious case review",
        slug="child-c",
        subject="Child C",
        date_published=datetime.date(2020, 6, 1),
        board="Merton Safeguarding Children Partnership",
        body=[],
        **fields,
    )
    # As Wagtail's "preview on create" does: a realistic tree position without saving.
    page.depth = index.depth + 1
    page.path = index.get_last_child()._inc_path()
    page.set_url_path(index)
    return page.create_page_preview()


def fetch(api, preview, content_type="pages.reviewpage", token=None):
    return api.get(
        "/api/v3/page_preview/",
        {"content_type": content_type, "token": token or preview.token},
    )


def test_preview_of_an_edit_gives_the_draft_in_the_detail_shape(api, demo):
    preview = preview_of_edit(demo["child_b"], title="Child B: draft title")
    response = fetch(api, preview)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["id"] == demo["child_b"].pk
    assert data["title"] == "Child B: draft title"
    assert data["meta"]["type"] == "pages.ReviewPage"
    assert data["path"] == "/serious-case-reviews/child-b/"
    assert data["breadcrumbs"][-1]["path"] == "/serious-case-reviews/"
    assert data["body"][0]["type"] == "statement"
    assert "no-store" in response["Cache-Control"]
    # The live page is untouched.
    live = api.get(f"/api/v3/pages/{demo['child_b'].pk}/").json()
    assert live["title"] == "Child B: serious case review"


def test_preview_of_a_page_never_saved_has_id_zero(api, demo):
    preview = preview_of_new_review(demo["index"])
    response = fetch(api, preview)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["id"] == 0
    assert data["title"] == "Child C: serious case review"
    assert data["path"] == "/serious-case-reviews/child-c/"
    assert data["breadcrumbs"] == [
        {"title": "Merton Safeguarding Children Board", "path": "/"},
        {"title": "Serious case reviews", "path": "/serious-case-reviews/"},
    ]


def test_preview_of_an_index_lists_its_reviews(api, demo):
    preview = preview_of_edit(demo["index"], title="Reviews (draft)")
    data = fetch(api, preview, content_type="pages.reviewindexpage").json()
    assert data["title"] == "Reviews (draft)"
    assert data["reviews"]["count"] == 2


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == status
    assert "Child B" not in response.content.decode()


def test_tampered_token_is_403(api, demo):
    preview = preview_of_edit(demo["child_b"])
    assert_problem(fetch(api, preview, token=preview.token[:-2] + "xx"), 403)


def test_token_signed_with_another_key_is_403(api, demo):
    preview = preview_of_edit(demo["child_b"])
    forged = TimestampSigner(key="not-the-secret", salt="headlesspreview.token").sign(
        f"id={demo['child_b'].pk}"
    )
    assert_problem(fetch(api, preview, token=forged), 403)


@override_settings(API_PREVIEW_MAX_AGE=1)
def test_expired_token_is_403(api, demo, monkeypatch):
    preview = preview_of_edit(demo["child_b"])
    later = datetime.datetime.now().timestamp() + 5
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = fetch(api, preview)
    assert_problem(response, 403)
    assert "expired" in response.json()["detail"]


def test_token_for_another_content_type_is_404(api, demo):
    preview = preview_of_edit(demo["child_b"])
    assert_problem(fetch(api, preview, content_type="pages.guidancepage"), 404)


@pytest.mark.parametrize("content_type", ["pages.nothing", "auth.user", "nodot"])
def test_unknown_content_type_is_404(api, demo, content_type):
    preview = preview_of_edit(demo["child_b"])
    assert_problem(fetch(api, preview, content_type=content_type), 404)


def test_missing_token_is_422_and_unknown_parameter_400(api, demo):
    response = api.get("/api/v3/page_preview/", {"content_type": "pages.reviewpage"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    preview = preview_of_edit(demo["child_b"])
    response = api.get(
        "/api/v3/page_preview/",
        {"content_type": "pages.reviewpage", "token": preview.token, "id": 1},
    )
    assert response.status_code == 400


def test_each_preview_request_purges_rows_older_than_the_max_age(api, demo):
    stale = preview_of_edit(demo["family_a"])
    PagePreview.objects.filter(pk=stale.pk).update(
        created_at=datetime.date.today() - datetime.timedelta(days=2)
    )
    fresh = preview_of_edit(demo["child_b"])
    assert fetch(api, fresh).status_code == 200
    assert not PagePreview.objects.filter(pk=stale.pk).exists()
    assert PagePreview.objects.filter(pk=fresh.pk).exists()


@override_settings(API_PREVIEW_MAX_AGE=60)
def test_purge_command_removes_expired_previews_to_the_second(demo, monkeypatch):
    expired = preview_of_edit(demo["family_a"])
    monkeypatch.setattr(
        "django.core.signing.time.time", lambda: datetime.datetime.now().timestamp() + 120
    )
    fresh = preview_of_edit(demo["child_b"])  # signed "two minutes later"
    call_command("purge_page_previews", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not PagePreview.objects.filter(pk=expired.pk).exists()
    assert PagePreview.objects.filter(pk=fresh.pk).exists()


# What the admin stores for blocks an editor added to a draft but has not filled in yet
# (Wagtail defers required fields until publishing).
EMPTY_STATEMENT = {"date": None, "speaker": "", "role": "", "quote": '<p data-block-key="a"></p>'}


def test_preview_of_a_draft_with_empty_blocks_answers_200(api, demo):
    empty_report = {"document": None, "url": "", "link_text": "", "site_name": ""}
    body = [
        {"type": "heading", "value": {"text": "", "level": ""}},
        {"type": "paragraph", "value": ""},
        {"type": "statement", "value": EMPTY_STATEMENT},
        {"type": "statement", "value": {}},  # a block saved before its fields existed
        {"type": "report", "value": empty_report},
    ]
    response = fetch(api, preview_of_edit(demo["child_b"], body=body))
    assert response.status_code == 200, response.content
    values = [block["value"] for block in response.json()["body"]]
    assert values[0] == {"text": "", "level": 2}
    assert values[2] == {**EMPTY_STATEMENT, "date": None}
    assert values[3] == {"date": None, "speaker": "", "role": "", "quote": ""}
    assert values[4] == {"kind": "external", "url": "", "link_text": "", "site_name": ""}


def test_preview_of_a_guidance_draft_with_empty_blocks_answers_200(api, demo):
    body = [
        {"type": "criteria_list", "value": {"intro": "", "items": []}},
        {"type": "criteria_list", "value": {"items": [{"text": "", "sub_items": [""]}]}},
        {"type": "citation", "value": {"organisation": "", "title": "", "url": ""}},
    ]
    preview = preview_of_edit(demo["guidance"], body=body)
    response = fetch(api, preview, content_type="pages.guidancepage")
    assert response.status_code == 200, response.content
    assert [block["value"] for block in response.json()["body"]] == [
        {"intro": "", "items": []},
        {"intro": "", "items": [{"text": "", "sub_items": [""]}]},
        {"organisation": "", "title": "", "url": None},
    ]
