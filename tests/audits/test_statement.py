"""The accessibility statement's facts, worked out from the latest complete site audit: the
compliance status, the non-compliances with their criteria and pages, and the evidence; what
the API serves of it, and what the admin tells editors."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from a11y_tests.config import DESKTOP, MOBILE
from audits import statement
from audits.document_checks import check_and_store
from audits.importing import import_document
from audits.models import AuditRun
from pages.models import AccessibilityStatementPage, ReportDocument
from tests.audits.documents import accepted, both_viewports, document, rule

REVIEW = "/serious-case-reviews/child-b/"
OTHER_REVIEW = "/serious-case-reviews/family-a/"
GUIDANCE = "/serious-case-reviews/about-serious-case-reviews/"
INDEX = "/serious-case-reviews/"
CONTRAST = rule(
    "color-contrast",
    wcag=("1.4.3",),
    impact="serious",
    nodes=("p.lede",),
    tags=["cat.color", "wcag2aa", "wcag143"],
)
BEST_PRACTICE = rule("region", wcag=(), tags=["cat.keyboard", "best-practice"])
AAA_ONLY = rule("color-contrast-enhanced", wcag=("1.4.6",), tags=["cat.color", "wcag2aaa"])


def days_ago(days: int) -> str:
    moment = timezone.now() - datetime.timedelta(days=days)
    return moment.replace(hour=9, minute=0, second=0, microsecond=0).isoformat()


def store(results, *, days_old=1, complete=True):
    doc = document(results, started_at=days_ago(days_old), complete=complete)
    return import_document(doc, {}, source=AuditRun.Source.IMPORT)


def site(**found_on):
    """Every demo page at both viewports; ``found_on`` maps a path to what was found there."""
    paths = ["/", INDEX, REVIEW, OTHER_REVIEW, GUIDANCE]
    return [row for path in paths for row in both_viewports(path, **found_on.get(path, {}))]


def test_with_no_complete_audit_the_site_is_not_assessed(demo):
    store(site(), complete=False)  # a partial run answers for some pages only

    facts = statement.statement_compliance()

    assert facts.status == statement.NOT_ASSESSED
    assert facts.caveats == [statement.NEVER_AUDITED]
    assert facts.audit is None


def test_a_fresh_complete_audit_with_nothing_failing_is_full_compliance(demo):
    store(site(**{REVIEW: {"warnings": [BEST_PRACTICE]}}), days_old=3)

    facts = statement.statement_compliance()

    assert facts.status == statement.FULLY
    assert facts.caveats == [] and facts.non_compliances == []
    assert facts.audit.page_count == 5
    assert facts.audit.viewport_widths == [DESKTOP.width, MOBILE.width] == [1280, 320]
    assert facts.audit.tested_on == timezone.localdate() - datetime.timedelta(days=3)
    assert (facts.audit.age_days, facts.audit.max_age_days) == (3, 30)


def test_problems_on_some_pages_are_partial_compliance_listed_by_criterion(demo):
    store(
        site(
            **{
                REVIEW: {"violations": [rule(), CONTRAST, BEST_PRACTICE, AAA_ONLY]},
                GUIDANCE: {"violations": [CONTRAST]},
            }
        )
    )

    facts = statement.statement_compliance()

    assert facts.status == statement.PARTIALLY
    # Best practice and AAA are no legal requirement; the rest in the standard's order.
    assert [entry.rule_id for entry in facts.non_compliances] == ["image-alt", "color-contrast"]
    image_alt, contrast = facts.non_compliances
    assert image_alt.problem == "Fix image-alt"
    assert [(c.number, c.name, c.level) for c in image_alt.criteria] == [
        ("1.1.1", "Non-text content", "A")
    ]
    assert [(page.title, page.path) for page in image_alt.pages] == [
        ("Child B: serious case review", REVIEW)
    ]
    assert [page.path for page in contrast.pages] == [GUIDANCE, REVIEW]
    assert contrast.criteria[0].name == "Contrast (minimum)"
    assert contrast.fix_by is None


def test_problems_on_half_the_pages_or_more_are_non_compliance(demo):
    failing = {"violations": [CONTRAST]}
    store(site(**{REVIEW: failing, OTHER_REVIEW: failing, GUIDANCE: failing}))

    assert statement.statement_compliance().status == statement.NOT_COMPLIANT


def test_an_accepted_baseline_entry_is_still_a_non_compliance_with_its_fix_date(demo):
    store(
        site(
            **{
                REVIEW: {
                    "accepted": [
                        accepted(CONTRAST, reason="The new palette ships", expires="2027-03-31")
                    ]
                }
            }
        )
    )

    facts = statement.statement_compliance()

    assert facts.status == statement.PARTIALLY
    (entry,) = facts.non_compliances
    assert (entry.fix_by, entry.fix_plan) == (datetime.date(2027, 3, 31), "The new palette ships")


def test_pages_the_audit_could_not_test_stop_a_claim_of_full_compliance(demo):
    store(site(**{GUIDANCE: {"error": "HTTP 500"}}))

    facts = statement.statement_compliance()

    assert facts.status == statement.NOT_ASSESSED
    assert facts.caveats == [statement.PAGES_NOT_AUDITED]
    assert facts.audit.untested_paths == [GUIDANCE]
    assert "could not test 1 page(s)" in statement.caveat_messages(facts)[0]


def test_an_audit_older_than_the_configured_age_is_out_of_date(demo, settings):
    store(site(), days_old=31)
    facts = statement.statement_compliance()
    assert facts.status == statement.NOT_ASSESSED
    assert facts.caveats == [statement.AUDIT_OUT_OF_DATE]
    assert "31 days old (more than 30)" in statement.caveat_messages(facts)[0]

    settings.AUDIT_STATEMENT_MAX_AGE_DAYS = 60
    assert statement.statement_compliance().status == statement.FULLY


def test_the_latest_complete_audit_decides_not_a_newer_partial_one(demo):
    store(site(**{REVIEW: {"violations": [rule()]}}), days_old=2)
    store(site(), days_old=1, complete=False)

    assert statement.statement_compliance().status == statement.PARTIALLY


# The API: every page links to the statement; the statement carries the facts.


@pytest.fixture
def api():
    return Client()


@pytest.fixture
def statement_page(demo):
    return AccessibilityStatementPage.objects.get()


def test_the_statement_is_served_with_its_compliance_facts(api, statement_page):
    store(site(**{REVIEW: {"violations": [CONTRAST]}}))

    body = api.get(f"/api/v3/pages/{statement_page.pk}/").json()

    assert body["meta"]["type"] == "pages.AccessibilityStatementPage"
    assert body["contact_email"] == "accessibility@example.com"
    assert "<li>" in body["using_this_website"]
    compliance = body["compliance"]
    assert compliance["status"] == "partially-compliant"
    assert compliance["standard"] == "WCAG 2.2 AA"
    assert compliance["audit"]["page_count"] == 5
    assert compliance["non_compliances"][0]["criteria"] == [
        {"number": "1.4.3", "name": "Contrast (minimum)", "level": "AA"}
    ]
    assert compliance["non_compliances"][0]["pages"] == [
        {"title": "Child B: serious case review", "path": REVIEW}
    ]


def test_every_page_links_to_the_statement_and_the_home_page_does_not_list_it(
    api, demo, statement_page
):
    link = {
        "id": statement_page.pk,
        "title": "Accessibility statement",
        "path": "/accessibility-statement/",
    }
    for page in demo.values():
        assert api.get(f"/api/v3/pages/{page.pk}/").json()["accessibility_statement"] == link
    sections = api.get(f"/api/v3/pages/{demo['home'].pk}/").json()["sections"]
    assert [section["title"] for section in sections] == ["Serious case reviews"]


def test_a_private_statement_is_not_linked(api, demo, statement_page):
    PageViewRestriction.objects.create(page=statement_page, restriction_type="login")
    assert api.get(f"/api/v3/pages/{demo['index'].pk}/").json()["accessibility_statement"] is None


def test_storing_a_complete_audit_changes_the_statements_etag(api, statement_page):
    url = f"/api/v3/pages/{statement_page.pk}/"
    before = api.get(url)["ETag"]
    store(site(), complete=False)
    assert api.get(url)["ETag"] == before  # a partial run changes nothing the statement says
    store(site())
    after = api.get(url)
    assert after["ETag"] != before
    assert after.json()["compliance"]["status"] == "fully-compliant"


# The admin: warnings where editors look, and a way to run the audit the statement needs.


def test_the_dashboard_says_what_the_statement_claims_and_why_not_more(admin_client, demo):
    store(site(), days_old=45)
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "The accessibility statement says the site is: <strong>not assessed</strong>" in html
    assert "The latest complete audit is 45 days old (more than 30)" in html
    assert "Audit the whole site now" in html


def test_the_statement_editor_is_warned(admin_client, statement_page):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[statement_page.pk]))
    assert response.status_code == 200
    assert "No complete accessibility audit of the site is stored" in response.content.decode()


def test_the_dashboard_button_queues_one_site_audit(admin_client, demo):
    url = reverse("audits_queue_site_audit")
    assert admin_client.get(url).status_code == 405
    first = admin_client.post(url)
    second = admin_client.post(url, follow=True)
    assert first.status_code == 302
    run = AuditRun.objects.get(source=AuditRun.Source.SITE_TASK)
    assert run.state == AuditRun.State.QUEUED
    html = second.content.decode()
    assert "An audit of the whole site is waiting for the worker" in html
    assert "An audit of the whole site is queued" in html


def test_queue_site_audit_unless_audited(demo):
    out = io.StringIO()
    call_command("queue_site_audit", "--unless-audited", stdout=out)
    assert AuditRun.objects.filter(source=AuditRun.Source.SITE_TASK).count() == 1
    AuditRun.objects.all().delete()
    store(site())
    call_command("queue_site_audit", "--unless-audited", stdout=out)
    assert not AuditRun.objects.filter(source=AuditRun.Source.SITE_TASK).exists()
    assert "A complete site audit is stored already" in out.getvalue()


# PDFs: a failing document that published pages link to is non-accessible content.


@pytest.fixture
def checked_report(demo):
    """The demo's Child B report (an untagged stand-in PDF), checked as the worker checks it."""
    document = ReportDocument.objects.get(title="Child B serious case review report")
    check_and_store(document.pk, document.file.name)
    document.refresh_from_db()
    assert document.accessibility_status == "failed"
    return document


def test_a_failing_pdf_that_pages_link_is_listed_with_criteria_pages_and_fix_date(
    demo, checked_report
):
    store(site())

    facts = statement.statement_compliance()

    # Every page passed, but a published PDF fails: partially compliant, not fully.
    assert facts.status == statement.PARTIALLY
    (document,) = facts.documents
    assert document.title == "Child B serious case review report"
    # Storage may add a suffix to the file name when the name is taken.
    assert document.path == f"/documents/{checked_report.pk}/{checked_report.filename}"
    assert [(page.title, page.path) for page in document.pages] == [
        ("Child B: serious case review", REVIEW)
    ]
    assert any("tag" in problem.lower() for problem in document.problems)
    assert "1.3.1" in [criterion.number for criterion in document.criteria]
    # The audit's own baseline accepts the demo PDF until a tagged one replaces it.
    assert document.fix_by == datetime.date(2027, 6, 30)
    assert document.fix_plan.startswith("Demo stand-in")


def test_a_failing_pdf_no_published_page_links_is_not_listed(demo, checked_report):
    store(site())
    demo["child_b"].unpublish()
    assert statement.statement_compliance().documents == []


def test_without_a_baseline_a_failing_pdf_has_no_fix_date(demo, checked_report, settings):
    settings.AUDIT_BASELINE = None
    store(site())
    (document,) = statement.statement_compliance().documents
    assert document.fix_by is None and document.fix_plan == ""
