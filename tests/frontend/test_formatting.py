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


# What Wagtail 8 stores for Draftail rich text (block keys on block elements, none on list
# wrappers), with links as the API expands them: page links as paths, documents on the CMS.
WAGTAIL_8_RICH_TEXT = (
    '<h2 data-block-key="h7k2p">What happened</h2>'
    '<p data-block-key="3kbsv">See <a href="/serious-case-reviews/child-b/">Child B</a> and '
    '<a href="http://cms.test/documents/1/report.pdf">the report</a>.</p>'
    '<ul><li data-block-key="a1b2c">first</li></ul>'
    '<ol><li data-block-key="d3e4f">second</li></ol>'
)


def test_rich_text_styles_wagtail_8_output_with_block_keys():
    assert str(rich_text(WAGTAIL_8_RICH_TEXT)) == (
        '<h2 class="govuk-heading-l" data-block-key="h7k2p">What happened</h2>'
        '<p class="govuk-body" data-block-key="3kbsv">See '
        '<a class="govuk-link" href="/serious-case-reviews/child-b/">Child B</a> and '
        '<a class="govuk-link" href="http://cms.test/documents/1/report.pdf">the report</a>.</p>'
        '<ul class="govuk-list govuk-list--bullet"><li data-block-key="a1b2c">first</li></ul>'
        '<ol class="govuk-list govuk-list--number"><li data-block-key="d3e4f">second</li></ol>'
    )


def test_rich_text_leaves_look_alike_tags_and_attribute_values_alone():
    html = '<pre>x</pre><a title="a > b" href="/x/">y</a><a>broken link</a><abbr>SCR</abbr>'
    assert str(rich_text(html)) == (
        '<pre>x</pre><a class="govuk-link" title="a > b" href="/x/">y</a>'
        '<a class="govuk-link">broken link</a><abbr>SCR</abbr>'
    )


def test_quotation_of_wagtail_8_rich_text():
    quote = '<p data-block-key="q1w2e">Sad case.</p><p data-block-key="r4t5y">Lessons.</p>'
    assert str(quotation(quote)) == (
        '<p class="govuk-body" data-block-key="q1w2e">“Sad case.</p>'
        '<p class="govuk-body" data-block-key="r4t5y">Lessons.”</p>'
    )


def test_quotation_adds_curly_quotes_inside_the_paragraph():
    assert str(quotation("<p>Sad case.</p>")) == '<p class="govuk-body">“Sad case.”</p>'
    assert str(quotation("Plain")) == "“Plain”"


def test_roman_numerals_and_slugs():
    assert [roman(n) for n in (1, 2, 3, 4)] == ["i", "ii", "iii", "iv"]
    assert slug_of("/serious-case-reviews/child-b/") == "child-b"
    assert slug_of("/") == "home"
