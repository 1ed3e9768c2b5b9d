"""results.json's JSON Schema describes what the audit really writes, and says where a document
goes wrong."""

from __future__ import annotations

import json

import pytest

from a11y_tests.report.json_schema import MAX_ERRORS, document_errors
from tests.a11y.site import FixtureSite
from tests.a11y.test_cli import results_of, run_cli


@pytest.mark.browser
def test_documents_the_audit_writes_match_the_schema(tmp_path):
    site = FixtureSite().start()
    try:
        # Violations with screenshots, warnings, the 404 page; then a partial run carrying
        # rows over, with a baseline accepting a finding.
        site.publish("image-alt", "reflow", "link-text", at="2020-01-01T00:00:00+00:00")
        run_cli(site.url, tmp_path)
        full = results_of(tmp_path)
        baseline = tmp_path / "baseline.toml"
        baseline.write_text(
            '[[accepted]]\nrule = "image-alt"\npage = "/image-alt/"\n'
            'reason = "Alt text being written"\nexpires = 2099-12-31\n'
        )
        run_cli(site.url, tmp_path, "--changed-since", "last-run", "--baseline", str(baseline))
        partial = results_of(tmp_path)
    finally:
        site.stop()

    assert {row["status"] for row in full["results"]} == {"passed", "failed"}
    assert any(row["screenshot"] for row in full["results"])
    assert any(row["warnings"] for row in full["results"])
    assert all(row.get("carried_over_from") for row in partial["results"])
    assert partial["summary"]["accepted"] == 2
    assert document_errors(full) == []
    assert document_errors(partial) == []


def minimal_document() -> dict:
    row = {
        "id": "/@desktop",
        "path": "/",
        "url": "http://site.test/",
        "kind": "page",
        "viewport": {"name": "desktop", "width": 1280, "height": 1024},
        "status": "passed",
        "error": None,
        "duration_s": 0.4,
        "axe_ms": 100.0,
        "violations": [],
        "warnings": [],
        "needs_review": [],
        "accepted": [],
        "screenshot": None,
    }
    return {
        "schema": "a11y-audit/1",
        "axe_version": "4.14.1",
        "started_at": "2026-03-02T09:00:00+00:00",
        "finished_at": "2026-03-02T09:01:00Z",
        "cms_url": None,
        "frontend_url": "http://site.test",
        "changed_since": None,
        "unchanged_pages": [],
        "viewports": [{"name": "desktop", "width": 1280, "height": 1024}],
        "fail_tags": ["wcag2a"],
        "best_practice_fails": False,
        "summary": {"pages": 1, "audits": 1, "passed": 1, "failed": 0, "errors": 0, "exit_code": 0},
        "baseline": {"path": None, "expired": [], "stale": [], "stale_checked": True},
        "results": [row],
    }


def test_a_minimal_document_is_valid():
    assert document_errors(minimal_document()) == []


def test_each_error_names_where_it_is_in_document_order():
    document = minimal_document()
    document["results"] = [json.loads(json.dumps(document["results"][0])) for _ in range(12)]
    for number, row in enumerate(document["results"]):
        row["id"] = row["path"] = f"/{number}/"
        row["id"] += "@desktop"
    document["results"][2]["viewport"]["width"] = "wide"
    document["results"][10]["kind"] = "pdf"
    del document["summary"]["pages"]
    assert document_errors(document) == [
        "results/2/viewport/width: 'wide' is not of type 'integer'",
        "results/10/kind: 'pdf' is not one of ['page', 'not-found', 'listing-view']",
        "summary: 'pages' is a required property",
    ]


def test_a_screenshot_name_cannot_leave_the_screenshots_folder():
    document = minimal_document()
    document["results"][0]["screenshot"] = "screenshots/../../../etc/passwd.png"
    [error] = document_errors(document)
    assert error.startswith("results/0/screenshot: ")


def test_rows_are_named_by_path_and_viewport_once_each():
    document = minimal_document()
    document["results"] *= 2
    assert document_errors(document) == ["results/1/id: '/@desktop' repeats results/0"]


def test_at_most_a_screenful_of_errors():
    document = minimal_document()
    document["results"] = [{"id": number} for number in range(50)]
    assert len(document_errors(document)) == MAX_ERRORS
