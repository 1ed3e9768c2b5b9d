"""What editors see of the PDF accessibility checks in the admin: a status in Documents, the
findings and their fixes on a document's edit view, a badge in the document chooser, the page's
accessibility view and a warning in the editor of a page whose report fails."""

import html

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from audits import document_admin
from audits.tasks import check_document
from pages.blocks import FAILED_DOCUMENT_WARNING
from pages.models import ReportDocument


@pytest.fixture
def failed_report(demo):
    """The demo's Child B report, checked: an untagged PDF, as printing to PDF makes."""
    report = next(
        block.value["document"] for block in demo["child_b"].body if block.block_type == "report"
    )
    check_document.call(report.pk, report.file.name)
    report.refresh_from_db()
    assert report.accessibility_status == "failed"
    return report


def text(response):
    return html.unescape(response.content.decode())


def test_documents_list_each_documents_check(admin_client, failed_report):
    ReportDocument.objects.create(
        title="Figures", file=ContentFile(b"year,reviews\n2017,1\n", name="figures.csv")
    )
    response = admin_client.get(reverse("wagtaildocs:index"))
    assert response.resolver_match.func.view_class is document_admin.DocumentIndexView
    page = text(response)
    assert "PDF accessibility" in page
    assert "Failed" in page and "Not a PDF" in page
    # Searching and filtering reload the results alone, through the same view.
    results = admin_client.get(reverse("wagtaildocs:index_results"), {"q": "Child B"})
    assert "Failed" in text(results) and "Figures" not in text(results)


def test_a_documents_edit_view_explains_each_problem_and_how_to_fix_it(admin_client, failed_report):
    response = admin_client.get(reverse("wagtaildocs:edit", args=[failed_report.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "PDF accessibility check: failed" in page
    assert "This PDF has 3 problems that stop some people using it" in page
    assert "The document is not tagged" in page
    assert "Screen readers then read the page as one stream of text" in page  # who it affects
    assert "WCAG 2.2 success criterion 1.3.1" in page
    for program in ("Microsoft Word", "LibreOffice", "InDesign"):
        assert f"How to fix it in {program}" in page
    assert "tick 'Document structure tags for accessibility'" in page
    # Still Wagtail's form: the title can be changed there.
    saved = admin_client.post(
        reverse("wagtaildocs:edit", args=[failed_report.pk]),
        {"title": "Child B report", "collection": failed_report.collection_id},
    )
    assert saved.status_code == 302
    failed_report.refresh_from_db()
    assert failed_report.title == "Child B report" and failed_report.accessibility_failed


def test_the_edit_view_says_when_the_check_is_still_to_come(admin_client, db):
    document = ReportDocument.objects.create(
        title="Report", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="report.pdf")
    )
    page = text(admin_client.get(reverse("wagtaildocs:edit", args=[document.pk])))
    assert "PDF accessibility check: not checked yet" in page
    assert "The check runs in the background after each upload" in page


def test_the_document_chooser_shows_a_badge(admin_client, failed_report):
    modal = admin_client.get(reverse("wagtaildocs_chooser:choose"))
    assert modal.resolver_match.func.view_class is document_admin.DocumentChooseView
    results = admin_client.get(reverse("wagtaildocs_chooser:choose_results"), {"q": "Child B"})
    for listing in (modal.json()["html"], results.content.decode()):
        assert "PDF accessibility" in listing
        assert '<span class="w-status w-status--primary">' in listing and "Failed" in listing


def test_the_pages_accessibility_view_lists_its_failing_documents(
    admin_client, demo, failed_report
):
    page = text(admin_client.get(reverse("audits_page_accessibility", args=[demo["child_b"].pk])))
    assert "link to 1 document that did not pass the PDF accessibility check" in page
    assert f'href="{reverse("wagtaildocs:edit", args=[failed_report.pk])}"' in page
    assert "The document is not tagged" in page

    other = text(admin_client.get(reverse("audits_page_accessibility", args=[demo["family_a"].pk])))
    assert "No report on this page links to a PDF that did not pass" in other


def test_the_page_editor_warns_about_a_failing_report_without_refusing_it(
    admin_client, demo, failed_report
):
    edit_url = reverse("wagtailadmin_pages:edit", args=[demo["child_b"].pk])
    page = text(admin_client.get(edit_url))
    # At the top of the editor, with a link to what is wrong…
    assert "This page links to a document that did not pass the PDF accessibility check" in page
    assert f"‘{failed_report.title}’" in page
    assert reverse("audits_page_accessibility", args=[demo["child_b"].pk]) in page
    # …and in the report block, beside the chosen document.
    assert "Publish the report as a web page too" in page
    assert FAILED_DOCUMENT_WARNING.startswith("— ⚠ Warning")

    # Publishing still works.
    demo["child_b"].save_revision().publish()
    assert admin_client.get(edit_url).status_code == 200
