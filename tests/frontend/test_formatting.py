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
    safe_url,
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
        '<p class="govuk-body">See <a href="/x/" class="govuk-link">this</a></p>'
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
        '<h2 data-block-key="h7k2p" class="govuk-heading-l">What happened</h2>'
        '<p data-block-key="3kbsv" class="govuk-body">See '
        '<a href="/serious-case-reviews/child-b/" class="govuk-link">Child B</a> and '
        '<a href="http://cms.test/documents/1/report.pdf" class="govuk-link">the report</a>.</p>'
        '<ul class="govuk-list govuk-list--bullet"><li data-block-key="a1b2c">first</li></ul>'
        '<ol class="govuk-list govuk-list--number"><li data-block-key="d3e4f">second</li></ol>'
    )


def test_rich_text_keeps_only_what_editors_can_produce():
    """Other elements lose their tags (keeping their text), other attributes are dropped."""
    html = (
        '<pre>x</pre><a title="a > b" href="/x/" target="_blank">y</a><a>broken link</a>'
        '<abbr>SCR</abbr><p class="lead" id="p1" data-block-key="k">Line<br>two, <b>bold</b> '
        "<i>italic</i> <strong>strong</strong></p>"
    )
    assert str(rich_text(html)) == (
        'x<a href="/x/" class="govuk-link">y</a><a class="govuk-link">broken link</a>SCR'
        '<p data-block-key="k" class="govuk-body">Line<br>two, <b>bold</b> <i>italic</i> '
        "strong</p>"
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<script>alert(1)</script>Text", "Text"),
        ("<style>p { color: red }</style>Text", "Text"),
        ('<img src="x" onerror="alert(1)">Text', "Text"),
        ('<p onclick="alert(1)" style="color: red">Text</p>', '<p class="govuk-body">Text</p>'),
        ('<a href="javascript:alert(1)">Text</a>', '<a class="govuk-link">Text</a>'),
        ('<a href=" JaVaScRiPt:alert(1)">Text</a>', '<a class="govuk-link">Text</a>'),
        ('<a href="&#106;avascript:alert(1)">Text</a>', '<a class="govuk-link">Text</a>'),
        ('<a href="java&#x09;script:alert(1)">Text</a>', '<a class="govuk-link">Text</a>'),
        ('<a href="data:text/html,x">Text</a>', '<a class="govuk-link">Text</a>'),
        ('<a href="vbscript:msgbox(1)">Text</a>', '<a class="govuk-link">Text</a>'),
        ('<iframe src="https://evil.example/"></iframe>Text', "Text"),
        ("<svg onload=alert(1)>Text</svg>", "Text"),
        ('<form action="https://evil.example/"><input name="pw">Text</form>', "Text"),
        ("<!-- <script>alert(1)</script> -->Text", "Text"),
    ],
)
def test_rich_text_is_sanitised(html, expected):
    assert str(rich_text(html)) == expected


@pytest.mark.parametrize(
    "url",
    ["/serious-case-reviews/", "#section", "?page=2", "https://www.gov.uk/", "mailto:a@b.org"],
)
def test_safe_url_keeps_paths_and_web_and_mail_addresses(url):
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "\tjava\nscript:alert(1)",
        "\x00javascript:alert(1)",
        "data:text/html,x",
        "vbscript:msgbox(1)",
        "tel:123",
        "http://[::1",
    ],
)
def test_safe_url_drops_every_other_scheme(url):
    assert safe_url(url) == ""


def test_quotation_of_wagtail_8_rich_text():
    quote = '<p data-block-key="q1w2e">Sad case.</p><p data-block-key="r4t5y">Lessons.</p>'
    assert str(quotation(quote)) == (
        '<p data-block-key="q1w2e" class="govuk-body">“Sad case.</p>'
        '<p data-block-key="r4t5y" class="govuk-body">Lessons.”</p>'
    )


def test_quotation_adds_curly_quotes_inside_the_paragraph():
    assert str(quotation("<p>Sad case.</p>")) == '<p class="govuk-body">“Sad case.”</p>'
    assert str(quotation("Plain")) == "“Plain”"


def test_roman_numerals_and_slugs():
    assert [roman(n) for n in (1, 2, 3, 4)] == ["i", "ii", "iii", "iv"]
    assert slug_of("/serious-case-reviews/child-b/") == "child-b"
    assert slug_of("/") == "home"
