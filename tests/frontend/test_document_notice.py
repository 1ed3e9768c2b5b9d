"""A report link to a document that has not passed the CMS's PDF accessibility check carries
GOV.UK's attachment notice and a "Request an accessible format" email link naming the document,
to the address editors set in the CMS (the API's ``accessibility.request_email``)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.frontend.conftest import DOCUMENT_REPORT, unit_test_app
from tests.frontend.html_checks import Outline

REVIEW = "/serious-case-reviews/child-b/"
INDEX = "/serious-case-reviews/"
NOTICE = "This file may not be suitable for users of assistive technology."
REQUEST = "Request an accessible format of Child B serious case review report"
FAILED = {
    "status": "failed",
    "problems": ["The document is not tagged: it has no structure tree."],
    "request_email": "formats@merton.gov.uk",
}


def with_check(fake_cms, accessibility):
    """The review's report, and the index's listing of it, with this check."""
    report = {**DOCUMENT_REPORT, "accessibility": accessibility}
    fake_cms.pages[REVIEW]["body"][1]["value"] = report
    fake_cms.pages[INDEX]["reviews"]["items"][0]["reports"] = [report]
    fake_cms.all_reviews[0]["reports"] = [report]


def text_of(response):
    """The text as read: links join their neighbours, other tags separate them."""
    html = re.sub(r"</?a\b[^>]*>", "", response.get_data(as_text=True))
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def request_links(response):
    return [
        href
        for label, href in Outline(response.get_data(as_text=True)).links
        if label.startswith("Request an accessible format")
    ]


def test_a_failed_pdf_carries_the_notice_and_an_email_naming_it(client, fake_cms):
    with_check(fake_cms, FAILED)
    response = client.get(REVIEW)
    assert f"{NOTICE} {REQUEST}." in text_of(response)
    [href] = request_links(response)
    mailto = urlsplit(href)
    assert (mailto.scheme, mailto.path) == ("mailto", "formats@merton.gov.uk")  # not the config's
    query = parse_qs(mailto.query)
    assert query["subject"] == [
        "Request for ‘Child B serious case review report’ in an accessible format"
    ]
    [body] = query["body"]
    assert "Document: Child B serious case review report\n" in body
    # The site's own address for the file (it streams documents from the CMS).
    assert "Address: http://frontend.test/documents/1/child-b-serious-case-review.pdf\n" in body
    assert "The format I need:" in body


def test_a_pdf_that_passed_has_no_notice(client, fake_cms):
    with_check(fake_cms, {"status": "passed", "problems": [], "request_email": "f@example.org"})
    for path in (REVIEW, INDEX):
        page = text_of(client.get(path))
        assert "View Report for Child B serious case review" in page
        assert NOTICE not in page and "Request an accessible format" not in page


@pytest.mark.parametrize("status", ["could-not-check", "not-checked", "not-applicable"])
def test_a_document_not_known_to_pass_carries_the_notice(client, fake_cms, status):
    with_check(fake_cms, {"status": status, "problems": [], "request_email": None})
    response = client.get(REVIEW)
    assert NOTICE in text_of(response)
    # Without the site's address, the frontend's own (ACCESSIBLE_FORMAT_EMAIL) is used.
    assert [urlsplit(href).path for href in request_links(response)] == [
        "accessible.formats@example.org"
    ]


def test_the_reviews_listing_carries_the_notice_too(client, fake_cms):
    with_check(fake_cms, FAILED)
    response = client.get(INDEX)
    assert f"{NOTICE} {REQUEST}." in text_of(response)
    assert [urlsplit(href).path for href in request_links(response)] == ["formats@merton.gov.uk"]


def test_without_any_address_the_notice_stands_alone(fake_cms, tmp_path):
    with_check(fake_cms, {**FAILED, "request_email": None})
    app = unit_test_app(fake_cms, tmp_path / "cache", ACCESSIBLE_FORMAT_EMAIL="")
    try:
        response = app.test_client().get(REVIEW)
    finally:
        app.extensions["cms"].close()
    assert f"{NOTICE}" in text_of(response)
    assert request_links(response) == []
