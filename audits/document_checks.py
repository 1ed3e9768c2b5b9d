"""The PDF accessibility check of each uploaded document, run by the ``audits`` task worker.

Saving a document with a new PDF (an upload or a replaced file) queues ``tasks.check_document``
once the save commits (``signal_handlers.check_document_on_save``); the upload never waits for
it. The worker checks the file with :func:`a11y_tests.pdf.check_pdf` (a child process with time
and memory limits) and stores the outcome on the document itself, where the report block, the
API and the admin read it. Other files are "not applicable" from the moment they are saved
(``ReportDocument.save``).

A check stores its outcome only if the document still holds the file it checked: a file
replaced meanwhile has its own check queued. When the outcome changes what readers see, the
frontend is told to refresh the pages that link to the document.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex

from a11y_tests.pdf import FAILED, PASSED, PdfCheckResult, check_pdf
from a11y_tests.pdf.runner import DEFAULT_MAX_FILE_MB
from api.links import frontend_path
from api.revalidate import post_paths
from pages.blocks import ReportLinkBlock
from pages.models import ReportDocument

log = logging.getLogger(__name__)

Status = ReportDocument.AccessibilityStatus

STATUS_OF_OUTCOME = {PASSED: Status.PASSED, FAILED: Status.FAILED}

# Where the admin explains how to fix a finding, in this order.
FIX_PROGRAM_NAMES = {"word": "Microsoft Word", "libreoffice": "LibreOffice", "indesign": "InDesign"}


def check_file(file) -> PdfCheckResult:
    """Check one stored file (a document's ``file``): by its path where its storage has one,
    otherwise by its bytes."""
    try:
        return check_pdf(file.path)
    except NotImplementedError:  # storage without local paths (S3 and the like)
        pass
    try:
        if file.size > DEFAULT_MAX_FILE_MB * 1024 * 1024:
            return PdfCheckResult.not_checked(f"it is larger than {DEFAULT_MAX_FILE_MB:g} MB")
        with file.open("rb") as opened:
            return check_pdf(opened.read())
    except OSError as error:
        return PdfCheckResult.not_checked(f"the file cannot be read ({error})")


def check_and_store(document_id: int, file_name: str) -> str:
    """Check the document's file and store the outcome; returns what happened, for the
    task's record."""
    documents = ReportDocument.objects.filter(pk=document_id)
    document = documents.first()
    if document is None:
        return "document deleted"
    if document.file.name != file_name:
        return "file replaced since: its own check is queued"
    result = check_file(document.file)
    status = STATUS_OF_OUTCOME.get(result.status, Status.COULD_NOT_CHECK)
    # Only if the file is still the one checked: a replacement may have been saved meanwhile.
    stored = documents.filter(file=file_name).update(
        accessibility_status=status,
        accessibility_result=result.to_json(),
        accessibility_checked_at=timezone.now(),
    )
    if not stored:
        return "file replaced while it was checked: its own check is queued"
    if status != document.accessibility_status:
        refresh_pages_linking_to(document)
    return f"{document.title}: {result.message}"


def refresh_pages_linking_to(document) -> None:
    """Tell the frontend to refresh the live pages that link to the document, and the
    listings that show their reports: the notice under the link has changed."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    paths = []
    for page in Page.objects.live().filter(pk__in=[int(pk) for pk in page_ids]):
        parent_url_path = page.url_path.rstrip("/").rsplit("/", 1)[0] + "/"
        paths += [frontend_path(page.url_path), frontend_path(parent_url_path)]
    post_paths(paths)


def page_as_edited(page):
    """The page as its editors last saved it: the live page, or the newer draft."""
    page = page.specific
    if page.has_unpublished_changes or not page.live:
        return page.get_latest_revision_as_object()
    return page


def linked_documents(page) -> list:
    """The documents the page's report blocks link to, in page order, each once."""
    documents = {}
    for field in page._meta.get_fields():
        stream = getattr(page, field.name, None) if hasattr(field, "stream_block") else None
        for child in stream or []:
            if isinstance(child.block, ReportLinkBlock) and child.value["document"] is not None:
                documents.setdefault(child.value["document"].pk, child.value["document"])
    return list(documents.values())


def failed_documents(page) -> list:
    """The documents the page's report blocks link to that failed their check (or could not
    be checked), as the page's editors last saved it."""
    return [document for document in linked_documents(page) if document.accessibility_failed]


def check_details(document) -> dict:
    """What the admin shows of a document's check: its status, and each finding with the
    fixes in each program, problems first."""
    check = document.accessibility_check
    findings = []
    for finding in check.violations + check.information if check else []:
        findings.append(
            {
                "finding": finding,
                "fixes": [
                    (name, finding.fixes[program])
                    for program, name in FIX_PROGRAM_NAMES.items()
                    if finding.fixes.get(program)
                ],
            }
        )
    return {
        "document": document,
        "status": document.accessibility_status,
        "label": document.get_accessibility_status_display(),
        "failed": document.accessibility_failed,
        "problems": document.accessibility_problems,
        "check": check,
        "findings": findings,
    }
