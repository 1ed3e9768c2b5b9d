"""Readers fetch documents from the site's own address, never the CMS host (issue 14, item 6).

The frontend rewrites every document address the API gives (report links, rich text) to its
own ``/documents/<id>/<filename>``, which streams the file from Wagtail's document view: the
CMS's privacy checks, its caching and conditional answers, without its ``Content-Encoding: None``.
Unit tests use a stub CMS that serves documents as Wagtail does; the integration tests upload
documents to the real CMS.
"""

import re

import httpx
import pytest

from frontend import api_client
from tests.frontend.conftest import CMS, FakeCms
from tests.frontend.html_checks import Outline, assert_accessible_structure

REPORT = "/documents/1/child-b-serious-case-review.pdf"
PDF = b"%PDF-1.4 the Child B report " + b"x" * 200_000
ETAG = '"5d41402abc4b2a76b9719d911017c592"'
LAST_MODIFIED = "Mon, 20 Feb 2017 10:00:00 GMT"


class DocumentServingCms(FakeCms):
    """The stub CMS, with Wagtail's document view: a public PDF, one behind a password form,
    one behind the admin login, and whatever a test adds to ``documents``."""

    def __init__(self):
        super().__init__()
        self.documents = {REPORT: self.wagtail_document(PDF, "application/pdf", "inline")}

    @staticmethod
    def wagtail_document(body, content_type, disposition, **headers):
        """The headers Wagtail's serve view (streaming sendfile backend) sends."""
        filename = "child-b-serious-case-review.pdf"
        return {
            "body": body,
            "headers": {
                "Content-Type": content_type,
                "Content-Length": str(len(body)),
                "Content-Disposition": f'{disposition}; filename="{filename}"',
                "Last-Modified": LAST_MODIFIED,
                "Content-Encoding": "None",
                "ETag": ETAG,
                "Content-Security-Policy": "default-src 'none'",
                "X-Content-Type-Options": "nosniff",
                "Set-Cookie": "sessionid=cms-session; Path=/; HttpOnly",
                **headers,
            },
        }

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode()
        if not path.startswith("/documents/") or self.failure is not None:
            return super().handle(request)
        self.calls.append(
            httpx.Request(request.method, request.url, headers=request.headers.copy())
        )
        if path == "/documents/2/board-minutes.pdf":
            # A collection with a password: Wagtail answers its form, and a CSRF cookie.
            return httpx.Response(
                200,
                html="<form>Password required</form>",
                headers={"Set-Cookie": "csrftoken=abc; Path=/", "Cache-Control": "no-store"},
            )
        if path == "/documents/3/private.pdf":
            return httpx.Response(302, headers={"Location": f"/admin/login/?next={path}"})
        document = self.documents.get(path)
        if document is None:
            return httpx.Response(404, html="<h1>Not Found</h1>")
        if request.headers.get("If-None-Match") == ETAG:
            return httpx.Response(304, headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})
        if request.headers.get("Range") == "bytes=0-3":
            return httpx.Response(
                206,
                stream=httpx.ByteStream(document["body"][:4]),
                headers={
                    **document["headers"],
                    "Content-Length": "4",
                    "Content-Range": f"bytes 0-3/{len(document['body'])}",
                },
            )
        body = b"" if request.method == "HEAD" else document["body"]
        # As sent: a stream, so httpx adds no headers of its own.
        return httpx.Response(200, stream=httpx.ByteStream(body), headers=document["headers"])


@pytest.fixture
def fake_cms():
    return DocumentServingCms()


def document_calls(fake_cms):
    return [call for call in fake_cms.calls if call.url.path.startswith("/documents/")]


def test_document_addresses_in_reports_and_rich_text_lead_to_this_site(client, fake_cms):
    guidance = fake_cms.pages["/serious-case-reviews/about-serious-case-reviews/"]
    guidance["body"][2]["value"] = (
        f'<p>Read <a href="{CMS}/documents/7/board-minutes.pdf">the board’s minutes</a>, '
        '<a href="HTTPS://CMS.TEST/documents/8/plan.docx">the action plan</a> and '
        '<a href="https://www.example.org/documents/9/elsewhere.pdf">another council’s '
        "report</a>.</p>"
    )
    review = Outline(client.get("/serious-case-reviews/child-b/").get_data(as_text=True))
    assert ("View Report for Child B serious case review", REPORT) in review.links
    links = dict(Outline(client.get(guidance["path"]).get_data(as_text=True)).links)
    assert links["the board’s minutes"] == "/documents/7/board-minutes.pdf"
    assert links["the action plan"] == "/documents/8/plan.docx"
    # Only the CMS's own documents: another site's address is left alone.
    assert links["another council’s report"] == "https://www.example.org/documents/9/elsewhere.pdf"
    index = client.get("/serious-case-reviews/").get_data(as_text=True)
    assert f"{CMS}/documents/" not in index and REPORT in index


def test_a_document_streams_with_the_cms_headers_but_not_its_bogus_encoding(client, fake_cms):
    response = client.get(REPORT, headers={"Cookie": "reader=secret", "Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.is_streamed
    assert response.get_data() == PDF
    headers = response.headers
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Length"] == str(len(PDF))
    assert headers["Content-Disposition"] == 'inline; filename="child-b-serious-case-review.pdf"'
    assert (headers["ETag"], headers["Last-Modified"]) == (ETAG, LAST_MODIFIED)
    assert "Content-Encoding" not in headers
    assert "Set-Cookie" not in headers  # the CMS's cookies stay between it and the frontend
    # Nothing in a document may run, as the CMS says; nothing may frame it, as the site says.
    assert headers["Content-Security-Policy"] == "default-src 'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    # The reader's cookies and encodings stay with the frontend; the file comes unencoded.
    (call,) = document_calls(fake_cms)
    assert (call.url.host, call.url.raw_path.decode()) == ("cms.test", REPORT)
    assert "cookie" not in call.headers
    assert call.headers["Accept-Encoding"] == "identity"


def test_a_current_copy_is_a_304_and_a_range_is_passed_on(client, fake_cms):
    not_modified = client.get(REPORT, headers={"If-None-Match": ETAG})
    assert not_modified.status_code == 304
    assert not_modified.get_data() == b""
    assert not_modified.headers["ETag"] == ETAG
    part = client.get(REPORT, headers={"Range": "bytes=0-3", "If-Range": ETAG})
    assert part.status_code == 206
    assert part.get_data() == b"%PDF"
    assert part.headers["Content-Range"] == f"bytes 0-3/{len(PDF)}"
    ranged = document_calls(fake_cms)[-1]
    assert (ranged.headers["Range"], ranged.headers["If-Range"]) == ("bytes=0-3", ETAG)


def test_head_gives_the_headers_alone(client, fake_cms):
    response = client.head(REPORT)
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(PDF))
    assert response.get_data() == b""
    assert document_calls(fake_cms)[-1].method == "HEAD"


def test_an_empty_etag_is_no_validator(client, fake_cms):
    """Wagtail sends ETag "" for a document saved without its file's hash (as the demo's is):
    passed on, every later version would look unchanged to a reader who sends it back."""
    fake_cms.documents[REPORT]["headers"]["ETag"] = '""'
    response = client.get(REPORT)
    assert response.status_code == 200
    assert "ETag" not in response.headers
    assert response.headers["Last-Modified"] == LAST_MODIFIED


@pytest.mark.parametrize(
    "path",
    [
        "/documents/2/board-minutes.pdf",  # its collection has a password
        "/documents/3/private.pdf",  # its collection is for signed-in users only
        "/documents/1/another-name.pdf",  # Wagtail checks the name too
        "/documents/404/gone.pdf",
    ],
)
def test_a_document_no_reader_may_have_here_is_the_404_page(client, fake_cms, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert_accessible_structure(html)
    assert "Page not found" in html
    assert "Password required" not in html and "Set-Cookie" not in response.headers
    assert "Location" not in response.headers  # never a way to the CMS's login


@pytest.mark.parametrize(
    ("failure", "status", "wording"),
    [
        (httpx.ConnectError("connection refused"), 503, "Sorry, the service is unavailable"),
        (httpx.ReadTimeout("timed out"), 503, "Sorry, the service is unavailable"),
        (502, 503, "Sorry, the service is unavailable"),
        (500, 500, "Sorry, there is a problem with the service"),
    ],
)
def test_a_cms_that_cannot_send_it_gets_an_error_page(client, fake_cms, failure, status, wording):
    fake_cms.failure = failure
    response = client.get(REPORT)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert_accessible_structure(html)
    assert wording in html and "Traceback" not in html
    if status == 503:
        assert response.headers["Retry-After"] == "30"


@pytest.mark.parametrize(
    "path",
    [
        "/documents/1/..",
        "/documents/1/%2E%2E",
        "/documents/1/..%2F..%2Fapi%2Fv3%2Fpages%2F",
        "/documents/1/x%00.pdf",
        "/documents/1/" + "x" * 256,
        "/documents/2147483648/child-b-serious-case-review.pdf",
        "/documents/1/%2F%2Fevil.example%2Fx.pdf",
    ],
)
def test_only_the_cms_document_view_is_ever_asked(client, fake_cms, path):
    """No open proxy: whatever the address, the CMS is asked for one document by id and
    one-segment name, or for nothing."""
    response = client.get(path)
    # Not a document address at all, some of them: the page route answers, on this site only.
    assert response.status_code in (301, 404)
    location = response.headers.get("Location", "/")
    assert location.startswith("/") and not location.startswith("//")
    for call in fake_cms.calls:
        assert call.url.host == "cms.test"
        assert not call.url.path.startswith("/documents/") or re.fullmatch(
            r"/documents/\d+/[^/]+", call.url.raw_path.decode()
        ), call.url


def test_a_name_is_passed_on_as_one_quoted_segment(client, fake_cms):
    fake_cms.documents["/documents/5/minutes%3Fdraft%3D1%20%23two.pdf"] = (
        DocumentServingCms.wagtail_document(b"%PDF-1.4", "application/pdf", "inline")
    )
    response = client.get("/documents/5/minutes%3Fdraft%3D1%20%23two.pdf")
    assert response.status_code == 200
    assert response.get_data() == b"%PDF-1.4"


def test_a_document_over_the_size_bound_is_refused_or_cut_short(client, fake_cms, monkeypatch):
    monkeypatch.setattr(api_client, "DOCUMENT_MAX_BYTES", 100_000)
    # Said to be too large: refused before any of it is sent.
    response = client.get(REPORT)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    # Not said: it stops at the bound, so the reader's download is visibly incomplete.
    del fake_cms.documents[REPORT]["headers"]["Content-Length"]
    response = client.get(REPORT)
    assert response.status_code == 200
    assert len(response.get_data()) <= 100_000 < len(PDF)


def test_a_download_stops_at_the_time_bound(client, monkeypatch):
    monkeypatch.setattr(api_client, "DOCUMENT_MAX_SECONDS", -1)
    response = client.get(REPORT)
    assert response.status_code == 200
    assert response.get_data() == b""


# The real CMS, documents uploaded as an editor would.

UPLOAD_CSV = (
    "from django.core.files.base import ContentFile\n"
    "from wagtail.documents import get_document_model\n"
    "from wagtail.models import Collection, CollectionViewRestriction\n"
    "def upload(title, name, content, collection=None):\n"
    "    document = get_document_model()(title=title,\n"
    "        collection=collection or Collection.get_first_root_node())\n"
    "    document.file.save(name, ContentFile(content), save=False)\n"
    "    document.save()\n"
    "    return document\n"
)


@pytest.mark.integration
def test_documents_come_from_the_frontend_with_the_cms_privacy_and_headers(stack):
    created = stack.cms_shell(
        UPLOAD_CSV + "from pages.models import GuidancePage, ReviewIndexPage\n"
        "data = upload('Review numbers', 'review-numbers.csv', b'year,reviews\\n2017,1\\n')\n"
        "root = Collection.get_first_root_node()\n"
        "board = root.add_child(name='Board members only')\n"
        "CollectionViewRestriction.objects.create(collection=board,\n"
        "    restriction_type=CollectionViewRestriction.PASSWORD, password='minutes')\n"
        "signed_in = root.add_child(name='Signed-in only')\n"
        "CollectionViewRestriction.objects.create(collection=signed_in,\n"
        "    restriction_type=CollectionViewRestriction.LOGIN)\n"
        "minutes = upload('Minutes', 'minutes.pdf', b'%PDF-1.4 minutes', board)\n"
        "notes = upload('Notes', 'notes.pdf', b'%PDF-1.4 notes', signed_in)\n"
        "page = GuidancePage(title='Review numbers', slug='review-numbers', body=[\n"
        '    (\'paragraph\', f\'<p>See <a linktype="document" id="{data.pk}">the numbers of '
        "reviews each year</a>.</p>')])\n"
        "ReviewIndexPage.objects.get().add_child(instance=page)\n"
        "page.save_revision().publish()\n"
        "print(data.url, minutes.url, notes.url)\n"
    )
    data_path, minutes_path, notes_path = created.split()
    try:
        # A report link, from the demo content.
        review = httpx.get(stack.frontend.url + "/serious-case-reviews/child-b/", timeout=10)
        report_path = dict(Outline(review.text).links)[
            "View Report for Child B serious case review"
        ]
        assert report_path == "/documents/1/child-b-serious-case-review.pdf"
        report = httpx.get(stack.frontend.url + report_path, timeout=10)
        from_cms = httpx.get(stack.cms.url + report_path, timeout=10)
        assert report.status_code == 200
        assert report.content == from_cms.content and report.content.startswith(b"%PDF")
        for name in ("Content-Type", "Content-Length", "Content-Disposition", "Last-Modified"):
            assert report.headers[name] == from_cms.headers[name], name
        assert from_cms.headers["Content-Encoding"] == "None"  # Wagtail's, and not passed on
        assert "Content-Encoding" not in report.headers
        assert report.headers["Content-Security-Policy"] == "default-src 'none'"
        unchanged = httpx.get(
            stack.frontend.url + report_path,
            headers={"If-Modified-Since": report.headers["Last-Modified"]},
            timeout=10,
        )
        assert unchanged.status_code == 304 and unchanged.content == b""

        # A link in rich text, to a document uploaded now.
        page = httpx.get(stack.frontend.url + "/serious-case-reviews/review-numbers/", timeout=10)
        links = dict(Outline(page.text).links)
        assert links["the numbers of reviews each year"] == data_path  # the site's own path
        data = httpx.get(stack.frontend.url + data_path, timeout=10)
        assert data.status_code == 200
        assert data.content == b"year,reviews\n2017,1\n"
        assert data.headers["Content-Disposition"].startswith("attachment")

        # Documents in restricted collections: no password form, no login, no file.
        for path in (minutes_path, notes_path, data_path.replace(".csv", "-old.csv")):
            refused = httpx.get(stack.frontend.url + path, timeout=10)
            assert refused.status_code == 404, path
            assert "Page not found" in refused.text
            assert b"%PDF" not in refused.content and "password" not in refused.text.lower()
    finally:
        stack.cms_shell(
            "from wagtail.documents import get_document_model\n"
            "from wagtail.models import Collection, Page\n"
            "Page.objects.filter(slug='review-numbers').delete()\n"
            "get_document_model().objects.filter(\n"
            "    title__in=['Review numbers', 'Minutes', 'Notes']).delete()\n"
            "Collection.objects.filter(\n"
            "    name__in=['Board members only', 'Signed-in only']).delete()\n"
        )
