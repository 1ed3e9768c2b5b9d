"""Each PDF check passes the good document (tagged, printed by Chromium) and fails a copy of it
with that one defect, naming the right Matterhorn condition and pages."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pikepdf
import pytest

from a11y_tests.pdf import CHECKS, FAILED, INFORMATION, PASSED, VIOLATION, check_pdf
from a11y_tests.pdf.checks import BOOKMARKS_FROM_PAGES, HEADINGS_FROM_PAGES
from tests.a11y import pdfs

# variant → (check that fails, Matterhorn condition it names, pages it names)
DEFECTS = {
    "untagged": ("pdf-tagged", "01-005", ()),
    "suspect_tags": ("pdf-tagged", "01-007", ()),
    "no_title": ("pdf-title", "06-003", ()),
    "file_name_title": ("pdf-title", "06-004", ()),
    "title_not_shown": ("pdf-title-shown", "07-002", ()),
    "no_display_doc_title": ("pdf-title-shown", "07-001", ()),
    "no_language": ("pdf-language", "11-001", ()),
    "language_as_a_word": ("pdf-language", "11-001", ()),
    "scanned_page": ("pdf-real-text", "08", (pdfs.GOOD_PAGES + 1,)),
    "figure_without_alt": ("pdf-figure-alt", "13-004", (1,)),
    "no_headings": ("pdf-headings", "14-001", ()),
    "no_bookmarks": ("pdf-bookmarks", "27", ()),
    "font_not_embedded": ("pdf-fonts-embedded", "31-009", tuple(range(1, pdfs.GOOD_PAGES + 1))),
    "no_unicode_map": ("pdf-text-unicode", "10-001", tuple(range(1, pdfs.GOOD_PAGES + 1))),
    "ocr_text_without_unicode": ("pdf-text-unicode", "10-001", (pdfs.GOOD_PAGES + 1,)),
    "encryption_blocks_accessibility": ("pdf-encryption", "26-002", ()),
}


def short(pdf: pikepdf.Pdf) -> None:
    """Three pages, no headings, no bookmarks: fine for a document this short."""
    del pdf.pages[HEADINGS_FROM_PAGES - 1 :]
    pdfs.no_headings(pdf)
    pdfs.no_bookmarks(pdf)


@pytest.fixture(scope="module")
def documents() -> dict[str, bytes]:
    good = pdfs.good_document()
    edits = [name for name in DEFECTS if name != "encryption_blocks_accessibility"]
    edits += ["scanned_page_with_ocr", "described_picture_page", "claims_pdf_ua"]
    made = {"good": good, "short": pdfs.edited(good, short)}
    made.update({name: pdfs.edited(good, getattr(pdfs, name)) for name in edits})
    made["encryption_blocks_accessibility"] = pdfs.encrypted(good, accessibility=False)
    made["encryption_allows_accessibility"] = pdfs.encrypted(good, accessibility=True)
    return made


@pytest.fixture(scope="module")
def results(documents):
    """Every document checked once, two at a time (check_pdf is safe to call from threads)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(documents, pool.map(check_pdf, documents.values()), strict=True))


def test_the_good_document_passes_every_check(results):
    good = results["good"]
    assert good.status == PASSED, good.message
    assert good.pages == pdfs.GOOD_PAGES
    assert good.checked == list(CHECKS)
    assert good.violations == []
    [claim] = good.information
    assert (claim.check, claim.severity) == ("pdf-ua-identifier", INFORMATION)
    assert claim.summary == "The document does not claim to conform to PDF/UA."


@pytest.mark.parametrize("variant", DEFECTS)
def test_one_defect_fails_its_check_alone(results, variant):
    check_id, matterhorn, pages = DEFECTS[variant]
    result = results[variant]
    assert result.status == FAILED, result.message
    [violation] = result.violations
    assert (violation.check, violation.matterhorn, violation.pages) == (check_id, matterhorn, pages)
    assert violation.severity == VIOLATION
    assert violation.wcag == CHECKS[check_id].wcag
    assert violation.summary and violation.explanation == CHECKS[check_id].explanation
    assert check_id in results["good"].checked


def test_an_untagged_document_is_not_also_failed_for_its_missing_tags(results):
    """Figures and headings live in the tags: the tagging finding already says it all."""
    untagged = results["untagged"]
    assert "pdf-figure-alt" not in untagged.checked
    assert "pdf-headings" not in untagged.checked
    assert "pdf-bookmarks" in untagged.checked


def test_findings_name_the_fonts_and_the_figures(results):
    [fonts] = results["font_not_embedded"].violations
    assert fonts.details == {"fonts": ["LiberationSerif", "LiberationSerif-Bold"]}
    assert "LiberationSerif" in fonts.summary
    [figure] = results["figure_without_alt"].violations
    assert figure.details == {"figures": 1, "without_alt": 1}
    assert figure.summary == "1 figure of 1 has no alternative text."


def test_a_language_that_is_not_a_code_is_named(results):
    [language] = results["language_as_a_word"].violations
    assert language.details == {"lang": "English"}
    assert "'English'" in language.summary


def test_encryption_that_allows_accessibility_passes(results, documents):
    with pikepdf.open(io.BytesIO(documents["encryption_allows_accessibility"])) as pdf:
        assert pdf.is_encrypted and not pdf.allow.extract  # protected, copying forbidden
    result = results["encryption_allows_accessibility"]
    assert result.status == PASSED, result.message
    assert "pdf-encryption" in result.checked


def test_a_scanned_page_with_recognised_text_has_real_text(results):
    """OCR text is invisible, so its font needs no embedded program, only a Unicode map."""
    result = results["scanned_page_with_ocr"]
    assert result.status == PASSED, [finding.summary for finding in result.violations]
    assert result.pages == pdfs.GOOD_PAGES + 1


def test_a_page_that_is_one_described_picture_is_not_a_scan(results):
    result = results["described_picture_page"]
    assert result.status == PASSED, [finding.summary for finding in result.violations]
    assert result.pages == pdfs.GOOD_PAGES + 1


def test_a_short_document_needs_no_headings_or_bookmarks(results):
    result = results["short"]
    assert result.status == PASSED, result.message
    assert result.pages == HEADINGS_FROM_PAGES - 1 < BOOKMARKS_FROM_PAGES
    assert "pdf-headings" not in result.checked
    assert "pdf-bookmarks" not in result.checked


def test_a_pdf_ua_claim_is_reported_as_information(results):
    result = results["claims_pdf_ua"]
    assert result.status == PASSED, result.message
    [claim] = result.information
    assert claim.summary == "The document claims to conform to PDF/UA-1."
    assert claim.details == {"pdfua_part": "1"}
    assert claim.matterhorn == "06-002"
