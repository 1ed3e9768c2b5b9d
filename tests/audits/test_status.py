"""What a page panel will say: queued, running, passed, N problems, not audited, with a time."""

from django.utils import timezone

from a11y_tests.config import DESKTOP, MOBILE
from audits.importing import import_document
from audits.models import AuditRun
from audits.status import page_audit_status
from tests.audits.documents import document, result, rule

REVIEW = "/serious-case-reviews/child-b/"


def test_a_page_never_audited_says_so(demo):
    status = page_audit_status(demo["child_b"])
    assert (status.state, status.label, status.at, status.results) == (
        "never",
        "Not audited yet",
        None,
        [],
    )


def test_problems_are_failing_rules_counted_once_across_viewports(demo):
    failing = [rule(), rule("color-contrast", wcag=("1.4.3",), nodes=("p", "a"))]
    run = import_document(
        document(
            [
                result(REVIEW, DESKTOP, violations=failing),
                result(REVIEW, MOBILE, violations=failing[:1]),
            ]
        ),
        {},
        source=AuditRun.Source.IMPORT,
    )
    status = page_audit_status(demo["child_b"])
    assert (status.state, status.label, status.at) == ("failed", "2 problems", run.started_at)
    assert [r.viewport for r in status.results] == ["desktop", "mobile"]


def test_a_page_that_passed_everywhere_passed(demo):
    import_document(
        document([result(REVIEW, DESKTOP), result(REVIEW, MOBILE)]), {}, source="import"
    )
    assert page_audit_status(demo["child_b"]).label == "Passed"


def test_an_audit_waiting_or_running_is_shown_with_the_last_result_beneath(demo):
    import_document(document([result(REVIEW, DESKTOP)]), {}, source="import")
    run = AuditRun.objects.create(
        source=AuditRun.Source.ON_PUBLISH, state=AuditRun.State.QUEUED, page=demo["child_b"]
    )
    queued = page_audit_status(demo["child_b"])
    assert (queued.state, queued.label, queued.at) == ("queued", "Audit queued", run.queued_at)
    assert [r.status for r in queued.results] == ["passed"]

    run.state, run.started_at = AuditRun.State.RUNNING, timezone.now()
    run.save()
    running = page_audit_status(demo["child_b"])
    assert (running.label, running.at) == ("Audit running", run.started_at)
