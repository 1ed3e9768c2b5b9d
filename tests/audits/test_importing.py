"""A site audit's results.json into the CMS: every row, finding and screenshot, or nothing."""

import datetime

import pytest

from a11y_tests.config import DESKTOP, MOBILE
from a11y_tests.documents import DocumentResult
from a11y_tests.report.schema import DocumentRow
from audits.importing import DocumentRejected, import_document
from audits.models import AuditFinding, AuditRun, AuditScreenshot, PageAuditResult
from tests.audits.documents import (
    JPEG,
    PNG,
    STARTED,
    accepted,
    both_viewports,
    document,
    result,
    rule,
)

REVIEW = "/serious-case-reviews/child-b/"
OTHER_REVIEW = "/serious-case-reviews/family-a/"


def site_audit(**overrides):
    """A complete run: the home page passes, a review has an image without alt text on both
    viewports (with a screenshot on mobile), the index has a view, plus the 404 page."""
    failing = result(REVIEW, MOBILE, violations=[rule(nodes=("img", "#chart"))], screenshot=JPEG)
    return document(
        [
            *both_viewports("/"),
            result(REVIEW, DESKTOP, violations=[rule()], warnings=[rule("link-text-generic")]),
            failing,
            result("/serious-case-reviews/?year=2017", kind="listing-view"),
            result("/a11y-audit-no-such-page/", kind="not-found"),
        ],
        **overrides,
    )


def screenshots_of(doc):
    return {row["screenshot"]: JPEG for row in doc["results"] if row["screenshot"]}


def test_a_site_audit_is_stored_row_by_row_with_its_pages_findings_and_screenshot(demo):
    doc = site_audit()
    run = import_document(doc, screenshots_of(doc), source=AuditRun.Source.IMPORT)

    assert run.state == AuditRun.State.FINISHED and run.complete
    assert (run.axe_version, run.frontend_url) == ("4.14.1", "http://frontend.test")
    assert run.started_at == datetime.datetime.fromisoformat(STARTED)
    assert (run.result_count, run.page_count, run.passed_count, run.failed_count) == (6, 4, 4, 2)
    assert (run.violation_count, run.warning_count) == (2, 1)

    rows = {(r.path, r.viewport): r for r in run.results.all()}
    review = rows[(REVIEW, "mobile")]
    assert review.page == demo["child_b"].page_ptr and review.status == "failed"
    assert rows[("/serious-case-reviews/?year=2017", "desktop")].page == demo["index"].page_ptr
    assert rows[("/a11y-audit-no-such-page/", "desktop")].page is None
    assert all(r.is_latest and r.audited_at == run.started_at for r in rows.values())

    findings = AuditFinding.objects.filter(result=review)
    assert [(f.rule_id, f.selector, f.category) for f in findings] == [
        ("image-alt", "img", "violation"),
        ("image-alt", "#chart", "violation"),
    ]
    finding = findings[1]
    assert (finding.impact, finding.wcag, finding.help) == ("critical", ["1.1.1"], "Fix image-alt")
    assert finding.help_url.endswith("/image-alt") and finding.html == "<#chart>"
    assert rows[(REVIEW, "desktop")].findings.get(category="warning").rule_id == (
        "link-text-generic"
    )

    shot = AuditScreenshot.objects.get()
    assert (shot.result, bytes(shot.image), shot.content_type) == (review, JPEG, "image/jpeg")


def test_baseline_accepted_findings_keep_their_reason_and_date(demo):
    doc = document([result(REVIEW, accepted=[accepted(rule())])])
    run = import_document(doc, {}, source=AuditRun.Source.IMPORT)
    finding = AuditFinding.objects.get(result__run=run)
    assert finding.category == "accepted"
    assert finding.accepted_reason == "Chart alt text being written"
    assert finding.accepted_until == datetime.date(2099, 12, 31)
    assert run.results.get().status == "passed" and run.accepted_count == 1


def test_document_rows_are_accepted_and_left_to_the_cms_own_document_checks(demo):
    """The CMS checks documents when they are uploaded; an audit's document rows are not
    stored, and a document with them is stored like one without."""
    doc = site_audit()
    doc["documents"] = [
        DocumentRow.of(
            DocumentResult(
                url="http://cms.test/documents/1/child-b-serious-case-review.pdf",
                linked_from=[REVIEW],
                error="could not check: it needs a password to open",
            )
        ).to_json()
    ]
    doc["summary"]["documents"] = {"checked": 1, "passed": 0, "failed": 0, "errors": 1}
    run = import_document(doc, screenshots_of(doc), source=AuditRun.Source.IMPORT)
    assert run.result_count == 6
    assert not run.results.filter(url__contains="/documents/").exists()


def test_the_newest_result_of_each_page_and_viewport_is_the_latest(demo):
    import_document(site_audit(), {}, source=AuditRun.Source.IMPORT)
    fixed = document(both_viewports(REVIEW), started_at="2026-03-09T09:00:00+00:00")
    import_document(fixed, {}, source=AuditRun.Source.CLI_PUBLISH)

    latest = PageAuditResult.objects.newest().filter(page=demo["child_b"])
    assert sorted((r.viewport, r.status) for r in latest) == [
        ("desktop", "passed"),
        ("mobile", "passed"),
    ]
    assert PageAuditResult.objects.filter(page=demo["child_b"]).count() == 4
    # The home page was not in the later run: its result stays the latest.
    assert PageAuditResult.objects.newest().filter(path="/").count() == 2


def test_a_changed_since_run_updates_only_the_pages_it_audited(demo):
    import_document(site_audit(), {}, source=AuditRun.Source.IMPORT)
    # The review changed and is fixed; the home page is carried over from the first run.
    later = "2026-03-09T09:00:00+00:00"
    partial = document(
        [
            *both_viewports(REVIEW),
            *both_viewports("/", carried_over_from=STARTED),
        ],
        started_at=later,
        changed_since="2026-03-05T00:00:00+00:00",
        unchanged=["/"],
    )
    run = import_document(partial, {}, source=AuditRun.Source.CLI_PUBLISH)

    assert run.complete and run.carried_over_count == 2
    assert run.changed_since == datetime.datetime(2026, 3, 5, tzinfo=datetime.UTC)
    carried = run.results.filter(path="/")
    assert all(r.carried_over and r.audited_at.isoformat() == STARTED for r in carried)
    # The first run's own results of the home page stay the latest: nothing new was learnt.
    assert {r.run_id for r in PageAuditResult.objects.newest().filter(path="/")} != {run.pk}
    assert {r.run_id for r in PageAuditResult.objects.newest().filter(path=REVIEW)} == {run.pk}


def test_carried_over_results_the_cms_never_saw_become_the_latest(demo):
    partial = document(
        [*both_viewports(REVIEW), *both_viewports("/", carried_over_from=STARTED)],
        started_at="2026-03-09T09:00:00+00:00",
        changed_since="2026-03-05T00:00:00+00:00",
        unchanged=["/"],
    )
    run = import_document(partial, {}, source=AuditRun.Source.IMPORT)
    home = PageAuditResult.objects.newest().filter(path="/")
    assert {r.run_id for r in home} == {run.pk}
    assert {r.audited_at.isoformat() for r in home} == {STARTED}


def test_a_partial_run_is_not_a_complete_site_audit(demo):
    partial = document(
        both_viewports(REVIEW),
        complete=False,
        changed_since="2026-03-05T00:00:00+00:00",
        unchanged=["/"],
    )
    import_document(partial, {}, source=AuditRun.Source.IMPORT)
    assert AuditRun.objects.latest_complete() is None
    complete = import_document(site_audit(), {}, source=AuditRun.Source.IMPORT)
    assert AuditRun.objects.latest_complete() == complete


def corrupt(path, value):
    """site_audit() with one value replaced at ``path`` (keys and indexes)."""
    doc = site_audit()
    *parents, last = path
    target = doc
    for key in parents:
        target = target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        (corrupt(["results", 2, "status"], ...), "results/2: 'status' is a required property"),
        (corrupt(["results", 0, "viewport", "width"], "wide"), "results/0/viewport/width"),
        (corrupt(["schema"], "a11y-audit/0"), "schema: 'a11y-audit/1' was expected"),
        (corrupt(["started_at"], "yesterday"), "started_at: 'yesterday' does not match"),
        (corrupt(["results", 1, "id"], "/@desktop"), "results/1/id: '/@desktop' should be"),
        (corrupt(["results", 3, "screenshot"], "../../etc/passwd"), "results/3/screenshot"),
        (
            corrupt(["results", 2, "violations", 0, "nodes", 0, "target"], ...),
            "results/2/violations/0/nodes/0: 'target' is a required property",
        ),
        ([site_audit()], "(document): "),
    ],
    ids=[
        "row-missing-status",
        "bad-width",
        "other-schema",
        "bad-time",
        "wrong-id",
        "screenshot-outside",
        "node-without-target",
        "not-an-object",
    ],
)
def test_a_bad_or_partial_document_is_refused_with_where_and_stores_nothing(demo, doc, reason):
    with pytest.raises(DocumentRejected) as rejected:
        import_document(doc, {}, source=AuditRun.Source.IMPORT)
    assert rejected.value.status == 422
    assert any(error.startswith(reason) for error in rejected.value.errors), rejected.value.errors
    assert not AuditRun.objects.exists() and not PageAuditResult.objects.exists()


def test_a_repeated_row_is_refused():
    doc = document([result("/"), result("/")])
    with pytest.raises(DocumentRejected, match="results/1/id: '/@desktop' repeats results/0"):
        import_document(doc, {}, source=AuditRun.Source.IMPORT)


def test_screenshots_must_be_named_by_a_row_and_be_images(demo):
    doc = site_audit()
    name = next(row["screenshot"] for row in doc["results"] if row["screenshot"])
    for screenshots, reason in (
        ({name: b"<html>not a picture"}, f"{name}: not a PNG or JPEG image"),
        ({name: JPEG, "screenshots/other--desktop.png": PNG}, "no result names this screenshot"),
    ):
        with pytest.raises(DocumentRejected) as rejected:
            import_document(doc, screenshots, source=AuditRun.Source.IMPORT)
        assert any(reason in error for error in rejected.value.errors)
    assert not AuditRun.objects.exists()


def test_a_failure_while_storing_leaves_nothing_behind(demo, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AuditScreenshot.objects, "create", broken)
    doc = site_audit()
    with pytest.raises(RuntimeError):
        import_document(doc, screenshots_of(doc), source=AuditRun.Source.IMPORT)
    assert not AuditRun.objects.exists() and not PageAuditResult.objects.exists()
