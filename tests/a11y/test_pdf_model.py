"""The PDF checker's catalogue (each check explained, mapped and with fixes for three programs)
and its results' JSON shape, as a results.json row would carry it."""

from __future__ import annotations

import json
import re

from a11y_tests.pdf import (
    CHECKS,
    FAILED,
    INFORMATION,
    NOT_CHECKED,
    VIOLATION,
    PdfCheckResult,
    check_pdf,
)
from a11y_tests.pdf.checks import CHECK_FUNCTIONS
from a11y_tests.pdf.explanations import FIX_PROGRAMS
from tests.a11y import pdfs


def test_every_check_is_explained_mapped_and_has_fixes_for_each_program():
    assert list(CHECK_FUNCTIONS) == list(CHECKS)
    for check_id, check in CHECKS.items():
        assert check.id == check_id and check_id.startswith("pdf-")
        assert check.severity in (VIOLATION, INFORMATION)
        assert all(re.fullmatch(r"\d\.\d\.\d{1,2}", criterion) for criterion in check.wcag)
        assert check.matterhorn
        assert all(re.fullmatch(r"\d\d(-\d\d\d)?", condition) for condition in check.matterhorn)
        assert len(check.explanation) > 100, check_id
        assert set(check.fixes) == set(FIX_PROGRAMS), check_id
        assert all(len(fix) > 30 for fix in check.fixes.values()), check_id
    informational = [check.id for check in CHECKS.values() if check.severity == INFORMATION]
    assert informational == ["pdf-ua-identifier"]


def test_a_result_survives_json_unchanged():
    result = check_pdf(pdfs.edited(pdfs.good_document(), pdfs.figure_without_alt))
    assert result.status == FAILED
    document = json.loads(json.dumps(result.to_json()))
    assert PdfCheckResult.from_json(document) == result
    [violation] = [finding for finding in document["findings"] if finding["severity"] == VIOLATION]
    assert violation["check"] == "pdf-figure-alt"
    assert violation["wcag"] == ["1.1.1"] and violation["matterhorn"] == "13-004"
    assert violation["pages"] == [1]
    assert set(violation["fixes"]) == {"word", "libreoffice", "indesign"}
    assert "Alt Text" in violation["fixes"]["word"]
    assert set(document) == {"status", "error", "pages", "duration_s", "checked", "findings"}


def test_a_result_that_could_not_be_checked_survives_json_unchanged():
    result = check_pdf(pdfs.HTML_PAGE)
    assert result.status == NOT_CHECKED
    assert PdfCheckResult.from_json(json.loads(json.dumps(result.to_json()))) == result


def test_the_one_line_message():
    assert PdfCheckResult(status="passed", checked=["a", "b"]).message == "passed 2 checks"
    failing = check_pdf(pdfs.edited(pdfs.good_document(), pdfs.no_title))
    assert failing.message == "failed: 1 problem"
    assert PdfCheckResult.not_checked("it is empty").message == "could not be checked: it is empty"
