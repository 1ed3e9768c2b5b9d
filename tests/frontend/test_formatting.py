"""Dates, file details and rich text are written the GOV.UK way."""

import datetime

import pytest

from frontend.formatting import (
    attachment_details,
    file_size,
    govuk_date,
    quotation,
    rich_text,
    roman,
    slug_of,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-02-20", "20 February 2017"),
        ("2015-11-03", "3 November 2015"),
        ("2017-02-21T09:30:00Z", "21 February 2017"),
        (datetime.date(2024, 1, 1), "1 January 2024"),
        (None, ""),
    ],
)
def test_govuk_date(value, expected):
    assert govuk_date(value) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (824, "824 bytes"),
        (1626, "1.6 KB"),
        (2048, "2 KB"),
        (356352, "348 KB"),
        (1258291, "1.2 MB"),
        (52428800, "50 MB"),
    ],
)
def test_file_size(size, expected):
    assert file_size(size) == expected


def test_attachment_details_like_govuk():
    report = {"extension": "pdf", "size_bytes": 1258291, "page_count": 48}
    assert attachment_details(report) == "PDF, 1.2 MB, 48 pages"
    assert attachment_details({**report, "page_count": 1}) == "PDF, 1.2 MB, 1 page"
    assert attachment_details({**report, "page_count": None}) == "PDF, 1.2 MB"
    assert attachment_details({"extension": "docx", "size_bytes": 2048}) == "DOCX, 2 KB"


def test_rich_text_gets_govuk_classes():
    html = '<p>See <a href="/x/">this</a></p><ul><li>a</li></ul><ol><li>b</li></ol>'
    assert str(rich_text(html)) == (
        '<p class="govuk-body">See <a class="govuk-link" href="/x/">this</a></p>'
        '<ul class="govuk-list govuk-list--bullet"><li>a</li></ul>'
        '<ol class="govuk-list govuk-list--number"><li>b</li></ol>'
    )


def test_quotation_adds_curly_quotes_inside_the_paragraph():
    assert str(quotation("<p>Sad case.</p>")) == '<p class="govuk-body">“Sad case.”</p>'
    assert str(quotation("Plain")) == "“Plain”"


def test_roman_numerals_and_slugs():
    assert [roman(n) for n in (1, 2, 3, 4)] == ["i", "ii", "iii", "iv"]
    assert slug_of("/serious-case-reviews/child-b/") == "child-b"
    assert slug_of("/") == "home"
