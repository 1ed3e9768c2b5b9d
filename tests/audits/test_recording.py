"""History: the newest results of each page are kept, the statement's audit whole, the latest
result follows a page that moves."""

import pytest

from audits.importing import import_document
from audits.models import AuditRun, PageAuditResult
from tests.audits.documents import both_viewports, document, result, rule

REVIEW = "/serious-case-reviews/child-b/"


def audit_on(day: int, results, *, complete=False):
    started = f"2026-03-{day:02d}T09:00:00+00:00"
    return import_document(
        document(results, started_at=started, complete=complete),
        {},
        source=AuditRun.Source.CLI_PUBLISH,
    )


@pytest.fixture
def keep_three(settings):
    settings.AUDIT_HISTORY_LENGTH = 3


def test_only_the_newest_results_of_each_page_and_viewport_are_kept(demo, keep_three):
    runs = [audit_on(day, both_viewports(REVIEW)) for day in range(1, 7)]
    kept = PageAuditResult.objects.filter(path=REVIEW)
    assert sorted({r.run_id for r in kept}) == [run.pk for run in runs[3:]]
    assert kept.count() == 6  # three runs × two viewports
    # A run left with no results is gone too.
    assert list(AuditRun.objects.order_by("pk")) == runs[3:]


def test_the_latest_complete_site_audit_is_never_pruned(demo, keep_three):
    site_audit = audit_on(1, both_viewports(REVIEW) + both_viewports("/"), complete=True)
    for day in range(2, 8):
        audit_on(day, both_viewports(REVIEW))
    assert AuditRun.objects.latest_complete() == site_audit
    assert site_audit.results.count() == 4
    assert PageAuditResult.objects.filter(path=REVIEW).count() == 3 * 2 + 2


def test_history_is_kept_per_page_not_per_run(demo, keep_three):
    audit_on(1, both_viewports("/"))
    for day in range(2, 8):
        audit_on(day, both_viewports(REVIEW))
    assert PageAuditResult.objects.filter(path="/").count() == 2


def test_a_moved_page_keeps_its_results_and_its_latest_follows_it(demo):
    audit_on(1, [result(REVIEW, violations=[rule()])])
    page = demo["child_b"]
    page.move(demo["home"], pos="last-child")
    page.refresh_from_db()
    assert PageAuditResult.objects.newest().get(page=page).path == REVIEW

    audit_on(2, [result("/child-b/")])
    latest = PageAuditResult.objects.newest().filter(page=page)
    assert [(r.path, r.status) for r in latest] == [("/child-b/", "passed")]
    assert PageAuditResult.objects.filter(page=page).count() == 2


def test_a_page_at_the_address_of_a_deleted_one_takes_its_place(demo):
    address = "/serious-case-reviews/family-a/"
    audit_on(1, [result(address, violations=[rule()])])
    demo["family_a"].delete()
    assert PageAuditResult.objects.newest().get(path=address).page is None

    guidance = demo["guidance"]
    guidance.slug = "family-a"
    guidance.save()
    audit_on(2, [result(address)])
    latest = PageAuditResult.objects.newest().get(path=address)
    assert (latest.page_id, latest.status) == (guidance.pk, "passed")
