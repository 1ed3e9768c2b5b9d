"""The OpenAPI document tells the truth: only public reads, every answer, every bound.

schemathesis checks that against a real CMS over HTTP: no 5xx, no answer outside its
documented schema, no undocumented status code.
"""

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.test import Client

from tests.stack import free_port, start_cms

PUBLIC_READS = {
    "pages_list",
    "pages_find",
    "pages_detail",
    "reviews_list",
    "sitemap_list",
    "page_preview",
    "redirects_list",
    "redirects_find",
    "redirects_detail",
    "documents_list",
    "documents_detail",
    "images_list",
    "images_detail",
}
ST = str(Path(sys.executable).with_name("st"))
# Server errors, answers outside their schema, undocumented status codes, wrong media types.
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "response_schema_conformance",
        "content_type_conformance",
    ]
)


@pytest.fixture
def openapi(db):
    return Client().get("/api/v3/openapi.json").json()


def operations(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_only_public_reads_are_documented(openapi):
    assert {op["operationId"] for _, _, op in operations(openapi)} == PUBLIC_READS
    assert {method for method, _, _ in operations(openapi)} == {"get"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v3/pages/"),
        ("patch", "/api/v3/pages/5/"),
        ("delete", "/api/v3/pages/5/"),
        ("post", "/api/v3/pages/5/actions/publish/"),
        ("post", "/api/v3/documents/"),
        ("get", "/api/v3/whoami/"),
        ("get", "/api/v3/sites/"),
        ("get", "/api/v3/schema/"),
        ("get", "/api/v3/pages/5/revisions/"),
        ("get", "/api/v3/snippets/pages.reviewpagetag/"),
    ],
)
def test_the_write_and_token_only_api_is_off(method, path):
    response = getattr(Client(), method)(path, HTTP_AUTHORIZATION="Bearer anything")
    assert response.status_code in (404, 405)
    assert response["Content-Type"] == "application/problem+json"


def test_every_error_answer_is_documented_with_its_problem_body(openapi):
    for _, path, operation in operations(openapi):
        responses = operation["responses"]
        has_parameters = bool(operation.get("parameters"))
        assert ("422" in responses) == has_parameters, path
        if "{" in path or operation["operationId"].endswith("_find"):
            assert "404" in responses, path
        for status, response in responses.items():
            if status.startswith("4") and status != "414":
                assert response["content"]["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }, (path, status)
    preview = openapi["paths"]["/api/v3/page_preview/"]["get"]["responses"]
    assert {"400", "403", "404", "422"} <= preview.keys() and "304" not in preview


def test_every_bound_is_documented(openapi):
    bounds = {}
    for _, path, operation in operations(openapi):
        for parameter in operation.get("parameters", []):
            if parameter["name"] in ("limit", "offset"):
                schema = parameter["schema"]
                bounds[(path, parameter["name"])] = (schema["minimum"], schema["maximum"])
    assert bounds[("/api/v3/pages/", "limit")] == (1, 20)
    assert bounds[("/api/v3/reviews/", "limit")] == (1, 20)
    assert bounds[("/api/v3/sitemap/", "limit")] == (1, 1000)
    assert bounds[("/api/v3/redirects/", "offset")] == (0, 1_000_000)
    assert all(
        bounds[(path, "offset")] == (0, 1_000_000) for path, name in bounds if name == "offset"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v3/redirects/", "/api/v3/pages/", "/api/v3/reviews/"])
def test_an_offset_past_the_bound_is_a_400_not_a_database_error(path):
    response = Client(raise_request_exception=False).get(path, {"offset": 10**30})
    assert response.status_code == 400
    assert response.json()["detail"] == "offset cannot be higher than 1000000"


@pytest.mark.integration
def test_schemathesis_finds_nothing_against_a_real_cms(tmp_path):
    cms = start_cms(tmp_path / "cms", port=free_port())
    try:
        page_id = httpx.get(
            f"{cms.url}/api/v3/pages/find/",
            params={"html_path": "/serious-case-reviews/child-b/"},
            follow_redirects=True,
        ).json()["id"]
        document_id = httpx.get(f"{cms.url}/api/v3/documents/").json()["items"][0]["id"]
        # Real ids, so detail answers are checked against their schemas too, not only 404s.
        config = tmp_path / "schemathesis.toml"
        config.write_text(
            "[[operations]]\n"
            'include-name = "GET /api/v3/pages/{page_id}/"\n'
            f"parameters = {{ page_id = {page_id} }}\n\n"
            "[[operations]]\n"
            'include-name = "GET /api/v3/documents/{document_id}/"\n'
            f"parameters = {{ document_id = {document_id} }}\n\n"
            "[[operations]]\n"
            'include-name = "GET /api/v3/pages/find/"\n'
            'parameters = { html_path = "/serious-case-reviews/child-b/" }\n'
        )
        run = subprocess.run(
            [
                ST,
                "--config-file",
                str(config),
                "--no-color",
                "run",
                f"{cms.url}/api/v3/openapi.json",
                "--url",
                cms.url,
                "--checks",
                CHECKS,
                "--max-examples",
                "25",
                "--seed",
                "20261201",
                "--request-timeout",
                "10",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=400,
        )
        summary = run.stdout[run.stdout.rfind("SUMMARY") :]
        assert run.returncode == 0, run.stdout[-6000:]
        assert "Tested: 13" in summary, summary
        assert " passed" in summary and "failures" not in summary, summary
    finally:
        cms.stop()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/v3/pages/find/", {"html_path": "/", "site": "-g:"}, 400),
        ("/api/v3/pages/", {"site": "localhost:http"}, 400),
        ("/api/v3/reviews/", {"child_of": 4182484735237256696767184896}, 422),
        ("/api/v3/reviews/", {"child_of": 2**31}, 422),
    ],
)
def test_values_the_database_cannot_take_are_4xx(path, params, status):
    """Found by schemathesis: each was a 500."""
    response = Client(raise_request_exception=False).get(path, params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
