"""The queued audit of one page, run in this process: whatever happens, the run finishes and
says what became of the page."""

import datetime
import logging

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audits import tasks
from audits.conf import audits_settings
from audits.models import AuditFinding, AuditRun, AuditScreenshot, PageAuditResult
from audits.status import page_audit_status
from audits.tasks import audit_page
from pages.models import ReviewIndexPage
from tests.a11y.site import FixtureSite
from tests.stack import free_port


def queue(page):
    return AuditRun.objects.create(
        source=AuditRun.Source.ON_PUBLISH,
        state=AuditRun.State.QUEUED,
        page=page,
        trigger=AuditRun.Trigger.PUBLISHED,
    )


def results_of(run):
    return {result.viewport: result for result in run.results.all()}


def test_an_unpublished_page_is_recorded_as_no_longer_live(demo):
    page = demo["family_a"]
    page.unpublish()
    run = queue(page)
    assert audit_page.call(run.pk) == "not live: unpublished"

    run.refresh_from_db()
    assert run.state == AuditRun.State.FINISHED and run.finished_at
    results = results_of(run)
    assert sorted(results) == ["desktop", "mobile"]
    assert {r.status for r in results.values()} == {"not-live"}
    assert results["mobile"].viewport_width == 320
    assert page_audit_status(page).label == "Not live: unpublished"


def test_without_a_browser_the_page_is_recorded_as_not_audited(demo, settings, answering_frontend):
    settings.AUDIT_CHROMIUM = "/nonexistent/chromium"
    page = demo["child_b"]
    run = queue(page)
    assert audit_page.call(run.pk).startswith("not audited: no browser")

    run.refresh_from_db()
    assert run.state == AuditRun.State.FINISHED and run.error_count == 2
    result = results_of(run)["desktop"]
    assert result.status == "not-audited" and result.is_latest
    assert result.path == "/serious-case-reviews/child-b/"
    assert result.error.startswith("no browser: Chromium not found at /nonexistent/chromium")
    assert page_audit_status(page).label.startswith("Not audited: no browser")


def test_a_frontend_that_does_not_answer_is_tried_again_later(demo, settings):
    settings.FRONTEND_URL = f"http://127.0.0.1:{free_port()}"
    settings.AUDIT_FRONTEND_RETRY_DELAY = 30
    run = queue(demo["child_b"])
    assert audit_page.call(run.pk).startswith("frontend not reachable, attempt 1")

    run.refresh_from_db()
    assert run.state == AuditRun.State.QUEUED
    [retry] = DBTaskResult.objects.all()
    assert retry.args_kwargs == {"args": [run.pk, 2], "kwargs": {}}
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=20)

    last_attempt = audits_settings.AUDIT_FRONTEND_RETRIES
    assert audit_page.call(run.pk, last_attempt).startswith("not audited")
    result = results_of(run)["mobile"]
    assert result.status == "not-audited"
    assert result.error.startswith(f"the frontend did not answer at {settings.FRONTEND_URL}")


def test_a_page_deleted_before_its_audit_leaves_nothing(demo):
    run = queue(demo["family_a"])
    demo["family_a"].delete()
    assert audit_page.call(run.pk) == "page deleted"
    assert not AuditRun.objects.exists()


def test_an_unexpected_failure_still_finishes_the_run(
    demo, answering_frontend, monkeypatch, caplog
):
    def crash(*args, **kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr(tasks, "run_audit", crash)
    run = queue(demo["child_b"])
    with caplog.at_level(logging.ERROR):
        audit_page.call(run.pk)
    assert "Accessibility audit of" in caplog.text
    assert results_of(run)["desktop"].error == "the audit failed: no space left on device"


@pytest.fixture
def fixture_site(settings):
    """The audit's fixture pages as the frontend: a page with slug "image-alt" shows one."""
    site = FixtureSite().start()
    settings.FRONTEND_URL = site.url
    yield site
    site.stop()


@pytest.mark.browser
def test_a_published_page_is_audited_at_both_viewports_in_the_browser(demo, fixture_site):
    page = demo["home"].add_child(
        instance=ReviewIndexPage(title="Images", slug="image-alt", intro="<p>Images.</p>")
    )
    run = queue(page)
    assert audit_page.call(run.pk).endswith("2 of 2 viewports not passed")

    run.refresh_from_db()
    assert (run.axe_version, run.frontend_url) == ("4.14.1", fixture_site.url)
    assert [v["width"] for v in run.viewports] == [1280, 320]
    results = results_of(run)
    assert {r.status for r in results.values()} == {"failed"}
    assert results["desktop"].url == f"{fixture_site.url}/image-alt/"
    finding = AuditFinding.objects.filter(result=results["desktop"], rule_id="image-alt").get()
    assert (finding.category, finding.wcag, finding.selector) == ("violation", ["1.1.1"], "img")
    shot = AuditScreenshot.objects.get(result=results["mobile"])
    assert bytes(shot.image)[:2] == b"\xff\xd8" and shot.content_type == "image/jpeg"
    assert page_audit_status(page).label == "1 problem"


@pytest.mark.browser
def test_the_projects_baseline_applies_to_audits_on_publish(demo, fixture_site, settings, tmp_path):
    baseline = tmp_path / "baseline.toml"
    baseline.write_text(
        '[[accepted]]\nrule = "image-alt"\npage = "/image-alt/"\n'
        'reason = "Alt text being written"\nexpires = 2099-12-31\n'
    )
    settings.AUDIT_BASELINE = baseline
    page = demo["home"].add_child(
        instance=ReviewIndexPage(title="Images", slug="image-alt", intro="<p>Images.</p>")
    )
    run = queue(page)
    audit_page.call(run.pk)
    result = PageAuditResult.objects.get(run=run, viewport="desktop")
    assert result.status == "passed" and result.accepted_count == 1
    assert result.findings.get().accepted_reason == "Alt text being written"
