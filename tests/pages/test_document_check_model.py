"""What the content model keeps of a document's PDF accessibility check, and what the report
block makes of it: the API's ``accessibility`` object and the editor's warning. The check itself
runs in the audits app (tests/audits/test_document_checks*.py)."""

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Site

from a11y_tests.pdf import PdfCheckResult, PdfFinding
from pages.blocks import FAILED_DOCUMENT_WARNING, ReportLinkBlock
from pages.demo_pdf import build_pdf
from pages.models import ReportDocument
from pages.site_settings import AccessibleFormatSettings

pytestmark = pytest.mark.django_db

Status = ReportDocument.AccessibilityStatus
UNTAGGED = "The document is not tagged: it has no structure tree."


def pdf(name="report.pdf", title="Report"):
    return ContentFile(build_pdf(title, [["A line of text."]]), name=name)


def new_document(file=None, title="Child B report"):
    document = ReportDocument(title=title, file=file or pdf())
    document.save()
    return document


def failed_check() -> dict:
    finding = PdfFinding.of("pdf-tagged", UNTAGGED)
    return PdfCheckResult.of_findings([finding], checked=["pdf-tagged"], pages=1).to_json()


def test_a_new_pdf_waits_for_its_check_until_its_file_changes():
    document = new_document()
    assert document.accessibility_status == Status.NOT_CHECKED
    assert document.accessibility_check_due

    # What the check stored stays while only the title changes.
    ReportDocument.objects.filter(pk=document.pk).update(
        accessibility_status=Status.FAILED, accessibility_result=failed_check()
    )
    document.refresh_from_db()
    document.title = "Child B serious case review report"
    document.save()
    assert not document.accessibility_check_due
    document.refresh_from_db()
    assert document.accessibility_status == Status.FAILED
    assert document.accessibility_problems == [UNTAGGED]

    # A replaced file is a new document to check.
    document.file = pdf("report-v2.pdf")
    document.save()
    assert document.accessibility_check_due
    document.refresh_from_db()
    assert document.accessibility_status == Status.NOT_CHECKED
    assert document.accessibility_result is None and document.accessibility_problems == []


def test_other_files_are_not_checked():
    document = new_document(ContentFile(b"year,reviews\n2017,1\n", name="figures.csv"))
    assert document.accessibility_status == Status.NOT_APPLICABLE
    assert not document.accessibility_check_due and not document.accessibility_failed


def test_a_file_that_could_not_be_checked_says_why_and_counts_as_failed():
    document = new_document()
    document.accessibility_status = Status.COULD_NOT_CHECK
    document.accessibility_result = PdfCheckResult.not_checked(
        "it needs a password to open, so only people who have the password can read it"
    ).to_json()
    assert document.accessibility_failed
    assert document.accessibility_problems == [
        "It could not be checked: it needs a password to open, so only people who have the "
        "password can read it."
    ]


def api_value(document, request):
    block = ReportLinkBlock()
    value = block.to_python({"document": document.pk, "link_text": "Report for Child B"})
    return block.get_api_representation(value, {"request": request})


def test_the_api_gives_the_check_and_the_sites_request_email(django_assert_num_queries):
    document = new_document()
    ReportDocument.objects.filter(pk=document.pk).update(
        accessibility_status=Status.FAILED, accessibility_result=failed_check()
    )
    document.refresh_from_db()
    request = RequestFactory().get("/api/v3/pages/5/")
    assert api_value(document, request)["accessibility"] == {
        "status": "failed",
        "problems": [UNTAGGED],
        "request_email": None,  # not set yet
    }

    AccessibleFormatSettings.objects.create(
        site=Site.objects.get(is_default_site=True), request_email="formats@merton.gov.uk"
    )
    request = RequestFactory().get("/api/v3/pages/5/")
    assert api_value(document, request)["accessibility"]["request_email"] == (
        "formats@merton.gov.uk"
    )
    # Read once per request, however many reports the page has.
    with django_assert_num_queries(1):  # the document itself
        assert api_value(document, request)["accessibility"]["status"] == "failed"


def test_the_editor_sees_a_warning_beside_a_chosen_document_that_failed():
    block = ReportLinkBlock()
    document = new_document()

    def chooser_title():
        value = block.to_python({"document": document.pk, "link_text": "Report for Child B"})
        return block.get_form_state(value)["document"]["title"]

    assert chooser_title() == "Child B report"  # not checked yet: nothing to say
    ReportDocument.objects.filter(pk=document.pk).update(accessibility_status=Status.FAILED)
    assert chooser_title() == f"Child B report {FAILED_DOCUMENT_WARNING}"
    assert "Publish the report as a web page too" in FAILED_DOCUMENT_WARNING
    ReportDocument.objects.filter(pk=document.pk).update(accessibility_status=Status.PASSED)
    assert chooser_title() == "Child B report"

    external = block.to_python({"url": "https://example.org/r", "link_text": "Report"})
    assert block.get_form_state(external)["document"] is None


def test_editors_set_the_request_email_in_settings(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "pw"))
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["pages", "accessibleformatsettings", site.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "Accessible formats email" in form.content.decode()

    response = client.post(url, {"request_email": "formats@merton.gov.uk"})
    assert response.status_code == 302
    assert AccessibleFormatSettings.for_site(site).request_email == "formats@merton.gov.uk"
    refused = client.post(url, {"request_email": "not an address"})
    assert "Enter a valid email address" in refused.content.decode()
