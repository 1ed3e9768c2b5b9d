"""POST /audits/results/: token-authenticated, size-limited, whole or nothing, problem+json."""

import io
import json
import zipfile

import pytest
from django.test import Client

from audits import views
from audits.models import AuditRun, AuditScreenshot, PageAuditResult
from tests.audits.documents import JPEG, both_viewports, document, result, rule

URL = "/audits/results/"
REVIEW = "/serious-case-reviews/child-b/"


@pytest.fixture
def client():
    # As a CI job calls it: no session, no CSRF token.
    return Client(enforce_csrf_checks=True)


def site_audit():
    return document([*both_viewports("/"), result(REVIEW, violations=[rule()], screenshot=JPEG)])


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def post_json(client, body, token, **headers):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(
        URL, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", **headers
    )


def post_multipart(client, doc, token, screenshots=None):
    parts = {"results": _file("results.json", json.dumps(doc).encode())}
    if screenshots is not None:
        parts["screenshots"] = _file("screenshots.zip", zip_of(screenshots))
    return client.post(URL, parts, HTTP_AUTHORIZATION=f"Bearer {token}")


def _file(name, data):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def problem(response):
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_results_and_screenshots_posted_by_the_audit_are_stored(demo, client, publish_token):
    entry, token = publish_token
    doc = site_audit()
    name = doc["results"][2]["screenshot"]
    response = post_multipart(client, doc, token, {name: JPEG})

    assert response.status_code == 201, response.content
    run = AuditRun.objects.get()
    assert response.json() == {"run": run.pk, "results": 3, "complete": True}
    assert run.source == AuditRun.Source.CLI_PUBLISH
    assert bytes(AuditScreenshot.objects.get().image) == JPEG
    entry.refresh_from_db()
    assert entry.last_used_at is not None


def test_results_json_alone_may_be_posted_as_json(demo, client, publish_token):
    response = post_json(client, site_audit(), publish_token[1])
    assert response.status_code == 201
    assert PageAuditResult.objects.count() == 3 and not AuditScreenshot.objects.exists()


def test_the_token_from_the_environment_is_accepted(demo, client, settings):
    settings.AUDIT_PUBLISH_TOKEN = "environment-token-0123456789"
    assert post_json(client, site_audit(), "environment-token-0123456789").status_code == 201


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer wrong-token", "Basic YWRtaW46YWRtaW4=", "Token {token}"],
)
def test_without_a_valid_token_nothing_is_read_or_stored(
    db, client, publish_token, settings, authorization
):
    settings.AUDIT_PUBLISH_TOKEN = ""
    headers = {}
    if authorization:
        headers["HTTP_AUTHORIZATION"] = authorization.format(token=publish_token[1])
    response = client.post(URL, "{}", content_type="application/json", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "publishing token" in problem(response)["detail"]
    assert not AuditRun.objects.exists()


def test_a_deleted_token_no_longer_works(db, client, publish_token):
    entry, token = publish_token
    entry.delete()
    assert post_json(client, site_audit(), token).status_code == 401


def test_too_large_a_body_is_refused_by_its_content_length_before_reading(
    db, client, publish_token, settings, monkeypatch
):
    settings.AUDIT_PUBLISH_MAX_BYTES = 1000

    def read_body(request):
        raise AssertionError("the body was read")

    # The declared length alone decides: the body is never read.
    monkeypatch.setattr(views, "_read_body", read_body)
    response = post_json(client, b"{}", publish_token[1], CONTENT_LENGTH="5000000")
    assert response.status_code == 413
    assert "at most 1000" in problem(response)["detail"]


def test_a_body_without_a_length_is_refused(db, client, publish_token):
    response = post_json(client, b"{}", publish_token[1], CONTENT_LENGTH="")
    assert response.status_code == 411


def test_screenshots_unpacking_beyond_the_limit_are_refused(demo, client, publish_token, settings):
    settings.AUDIT_PUBLISH_MAX_BYTES = 200_000
    doc = site_audit()
    name = doc["results"][2]["screenshot"]
    # Compresses to a few hundred bytes, unpacks to far more than the limit.
    response = post_multipart(client, doc, publish_token[1], {name: JPEG + bytes(1_000_000)})
    assert response.status_code == 413
    assert not AuditRun.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "status", "detail"),
    [
        (b'{"schema": "a11y-audit/1", "resu', "application/json", 400, "is not JSON"),
        (b"{}", "text/plain", 415, "Send application/json"),
        (
            json.dumps({"schema": "a11y-audit/1"}).encode(),
            "application/json",
            422,
            "not a valid a11y-audit/1 results document",
        ),
    ],
    ids=["cut-short", "wrong-type", "incomplete"],
)
def test_a_bad_document_is_a_4xx_with_the_reason_and_nothing_is_stored(
    db, client, publish_token, body, content_type, status, detail
):
    response = client.post(
        URL, body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {publish_token[1]}"
    )
    assert response.status_code == status
    assert detail in problem(response)["detail"]
    assert not AuditRun.objects.exists()


def test_schema_errors_are_listed_where_they_are(db, client, publish_token):
    doc = site_audit()
    doc["results"][1]["status"] = "fine"
    response = post_json(client, doc, publish_token[1])
    assert response.status_code == 422
    errors = [error["detail"] for error in problem(response)["errors"]]
    assert errors == ["results/1/status: 'fine' is not one of ['passed', 'failed', 'error']"]
    assert not AuditRun.objects.exists()


def test_a_multipart_body_needs_its_results_part_and_a_real_zip(demo, client, publish_token):
    token = publish_token[1]
    missing = client.post(
        URL, {"other": _file("x.json", b"{}")}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert missing.status_code == 422 and "no results part" in problem(missing)["detail"]
    not_zip = client.post(
        URL,
        {
            "results": _file("results.json", json.dumps(site_audit()).encode()),
            "screenshots": _file("screenshots.zip", b"not a zip"),
        },
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert not_zip.status_code == 400 and "not a zip" in problem(not_zip)["detail"]
    assert not AuditRun.objects.exists()


def test_only_post_is_allowed(db, client):
    response = client.get(URL)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert problem(response)["status"] == 405
