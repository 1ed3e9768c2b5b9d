"""Documents the pages link to: found in the pages' HTML, downloaded once each with a size
limit, checked, accepted by the baseline, and reported in results.json, JUnit, HTML and text.

A small local server plays the site here; ``test_documents_site.py`` runs the real CMS and
frontend.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from a11y_tests.baseline import (
    BaselineError,
    accept_known_document,
    baseline_outcome,
    load_baseline,
)
from a11y_tests.config import DESKTOP, AuditSettings
from a11y_tests.discover import Discovery, document_links
from a11y_tests.documents import DocumentResult, audit_documents, check_document, document_client
from a11y_tests.model import AuditResult, Target
from a11y_tests.pipeline import AuditRequest, carried_over_documents
from a11y_tests.report import RunInfo, build_document, write_reports
from a11y_tests.report.json_schema import document_errors
from a11y_tests.report.schema import DocumentRow
from a11y_tests.report.text import describe_run, failing_documents
from tests.a11y import pdfs

TODAY = dt.date(2026, 6, 1)
CMS = "http://cms.test"
FRONTEND = "http://frontend.test"
BIG_BODY_MB = 64


@pytest.fixture(scope="module")
def pdf_files() -> dict[str, bytes]:
    good = pdfs.good_document()
    return {"good": good, "untitled": pdfs.edited(good, pdfs.no_title)}


class _SiteHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        site: DocumentSite = self.server.site
        site.requests[self.path] += 1
        if self.path == "/big-undeclared.pdf":
            return self._stream_big()
        if self.path == "/big-declared.pdf":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(BIG_BODY_MB * 1024 * 1024))
            self.end_headers()
            return None  # the client must refuse on the header alone
        status, content_type, body = site.routes.get(
            self.path, (404, "text/html", b"<!doctype html><title>Not found</title>")
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def _stream_big(self):
        """%PDF- then zeros until the client hangs up, with no Content-Length to go by."""
        site: DocumentSite = self.server.site
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"%PDF-1.7\n" + bytes(64 * 1024 - 9)
        try:
            for _ in range(BIG_BODY_MB * 16):
                self.wfile.write(chunk)
                site.big_bytes_sent += len(chunk)
        except OSError:  # the client stopped reading at its limit
            pass


class DocumentSite:
    """path → (status, content type, body); counts the requests for each path."""

    def __init__(self):
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.requests: Counter = Counter()
        self.big_bytes_sent = 0
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SiteHandler)
        self._server.site = self
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def page(self, path: str, body_html: str) -> Target:
        html = f'<!doctype html><html lang="en"><body><main>{body_html}</main></body></html>'
        self.routes[path] = (200, "text/html; charset=utf-8", html.encode())
        return Target(url=self.url + path, path=path)

    def file(self, path: str, data: bytes, content_type: str = "application/pdf") -> str:
        self.routes[path] = (200, content_type, data)
        return self.url + path

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def site():
    site = DocumentSite()
    yield site
    site.stop()


# Finding the links


def test_links_to_pdfs_on_the_cms_or_the_frontend_are_documents_and_nothing_else():
    html = f"""
        <a href="{CMS}/documents/1/child-b-report.pdf">report block, CMS address</a>
        <a href="/documents/2/family-a-overview.pdf#page=3">rich text, frontend address</a>
        <a href="documents/3/ANNUAL%20REPORT.PDF">relative, upper case</a>
        <a href="{CMS}/documents/1/child-b-report.pdf">the same report again</a>
        <a href="https://other-council.example/reports/review.pdf">another website's PDF</a>
        <a href="/documents/4/minutes.docx">a Word document</a>
        <a href="/serious-case-reviews/child-b/">a page</a>
        <a href="mailto:someone@example.org?subject=report.pdf">an email</a>
    """
    found = document_links(html, f"{FRONTEND}/guidance/", {CMS, FRONTEND})
    assert found == [
        f"{CMS}/documents/1/child-b-report.pdf",
        f"{FRONTEND}/documents/2/family-a-overview.pdf",
        f"{FRONTEND}/guidance/documents/3/ANNUAL%20REPORT.PDF",
    ]


# Downloading and checking


def test_a_pdf_linked_from_two_pages_is_downloaded_and_checked_once(site, pdf_files):
    untitled = site.file("/documents/7/overview.pdf", pdf_files["untitled"])
    good = site.file("/documents/8/report.pdf", pdf_files["good"])
    pages = [
        site.page("/review/", f'<a href="{untitled}">Overview</a> <a href="{good}">Report</a>'),
        site.page("/guidance/", '<p>See the <a href="/documents/7/overview.pdf">overview</a>.</p>'),
        site.page("/plain/", '<a href="https://example.org/elsewhere.pdf">elsewhere</a>'),
    ]

    documents = audit_documents(pages, [site.url])

    assert [(d.url, d.linked_from, d.status) for d in documents] == [
        (untitled, ["/review/", "/guidance/"], "failed"),
        (good, ["/review/"], "passed"),
    ]
    assert site.requests["/documents/7/overview.pdf"] == 1
    [finding] = documents[0].violations
    assert (finding["check"], finding["wcag"], finding["severity"]) == (
        "pdf-title",
        ["2.4.2"],
        "violation",
    )
    assert documents[0].size_bytes == len(pdf_files["untitled"])
    assert documents[0].pages == pdfs.GOOD_PAGES and "pdf-title" in documents[0].checked


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/gone.pdf", "could not download: the server answered HTTP 404"),
        ("/sign-in.pdf", "could not check: it is a web page (HTML), not a PDF"),
        ("/big-declared.pdf", "could not download: it is larger than 1 MB"),
    ],
)
def test_a_document_that_cannot_be_downloaded_or_checked_says_which_and_why(site, path, error):
    site.routes["/sign-in.pdf"] = (200, "text/html", b"<!doctype html><form>Sign in</form>")
    with document_client() as client:
        result = check_document(client, site.url + path, ["/review/"], max_file_mb=1)
    assert result.status == "error"
    assert result.error.startswith(error)


def test_a_download_stops_at_the_size_limit(site):
    with document_client() as client:
        result = check_document(client, site.url + "/big-undeclared.pdf", ["/"], max_file_mb=1)
    assert result.error == "could not download: it is larger than 1 MB"
    # The server had far more to send; the client hung up soon after the limit.
    assert site.big_bytes_sent < BIG_BODY_MB * 1024 * 1024 / 2


def test_an_unreachable_document_is_an_error_row_not_an_exception(site):
    with document_client() as client:
        result = check_document(client, "http://127.0.0.1:9/report.pdf", ["/"])
    assert result.status == "error" and result.error.startswith("could not download: ")


# The baseline


def untitled_document(url=f"{CMS}/documents/7/family-a-overview.pdf") -> DocumentResult:
    return DocumentResult(
        url=url,
        linked_from=["/family-a/", "/about/"],
        violations=[
            {
                "check": "pdf-title",
                "title": "The document has a title",
                "severity": "violation",
                "wcag": ["2.4.2"],
                "matterhorn": "06-003",
                "summary": "The document has no title.",
                "explanation": "Screen readers announce the title.",
                "fixes": {"word": "Fill in File > Info > Properties > Title."},
                "pages": [],
                "details": {},
            }
        ],
        checked=["pdf-title", "pdf-tagged"],
        pages=3,
        size_bytes=2048,
        duration_s=0.8,
    )


def write_baseline(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "baseline.toml"
    path.write_text("".join(f"[[accepted]]\n{entry}\n" for entry in entries))
    return path


def test_a_baseline_entry_accepts_a_documents_finding_by_check_and_path(tmp_path):
    entries = load_baseline(
        write_baseline(
            tmp_path,
            'rule = "pdf-title"\ndocument = "/documents/*/family-a-*.pdf"\n'
            'reason = "New version due"\nexpires = 2026-12-31',
            'rule = "pdf-title"\npage = "*"\nreason = "pages only"\nexpires = 2026-12-31',
        )
    )
    document = untitled_document()
    accept_known_document(document, entries, TODAY)
    accept_known_document(document, entries, TODAY)  # twice changes nothing

    assert document.status == "passed" and document.violations == []
    assert document.accepted[0]["baseline"] == {
        "reason": "New version due",
        "expires": "2026-12-31",
    }
    outcome = baseline_outcome(entries, path=None, today=TODAY, complete_run=True)
    assert [entry.page for entry in outcome.stale] == ["*"]  # a page entry never matches a PDF


def test_an_expired_document_entry_fails_while_the_finding_is_there(tmp_path):
    entries = load_baseline(
        write_baseline(
            tmp_path,
            f'rule = "pdf-title"\ndocument = "{CMS}/documents/7/*"\nreason = "r"\n'
            "expires = 2026-01-31",
        )
    )
    document = untitled_document()
    accept_known_document(document, entries, TODAY)
    assert document.status == "failed"
    outcome = baseline_outcome(entries, path=None, today=TODAY, complete_run=True)
    assert [entry.document for entry in outcome.expired] == [f"{CMS}/documents/7/*"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            'rule = "pdf-title"\nreason = "r"\nexpires = 2027-01-01',
            "missing page \\(or document\\)",
        ),
        (
            'rule = "pdf-title"\ndocument = "*.pdf"\nviewport = "mobile"\nreason = "r"\n'
            "expires = 2027-01-01",
            "viewport cannot go with document",
        ),
        (
            'rule = "pdf-title"\ndocument = "*.pdf"\npage = "/"\nreason = "r"\n'
            "expires = 2027-01-01",
            "page cannot go with document",
        ),
        (
            'rule = "pdf-title"\ndocument = ""\nreason = "r"\nexpires = 2027-01-01',
            "document must be a non-empty string",
        ),
    ],
    ids=["neither", "viewport", "both", "empty"],
)
def test_a_document_entry_that_could_be_misread_is_refused(tmp_path, entry, message):
    with pytest.raises(BaselineError, match=f"entry 1: {message}"):
        load_baseline(write_baseline(tmp_path, entry))


# The reports


def run_info(**changes) -> RunInfo:
    return RunInfo(
        cms_url=CMS,
        frontend_url=FRONTEND,
        axe_version="4.14.1",
        started_at="2026-06-01T09:00:00+00:00",
        finished_at="2026-06-01T09:05:00+00:00",
        settings=AuditSettings(viewports=(DESKTOP,)),
        **changes,
    )


def clean_page(path="/family-a/") -> AuditResult:
    return AuditResult(Target(url=FRONTEND + path, path=path), DESKTOP, duration_s=0.3)


def report_of(documents: list[DocumentResult], tmp_path: Path) -> dict:
    outcome = baseline_outcome([], path=None, today=TODAY, complete_run=True)
    document = build_document([clean_page()], outcome, run_info(), documents)
    write_reports(document, [clean_page()], tmp_path, ["json", "junit", "html"])
    return document


def test_a_failing_document_fails_the_run_in_every_report(tmp_path):
    unreadable = DocumentResult(
        url=f"{CMS}/documents/9/minutes.pdf",
        linked_from=["/about/"],
        error="could not check: it needs a password to open",
    )
    document = report_of([untitled_document(), unreadable], tmp_path)

    assert document["summary"]["exit_code"] == 1
    assert document["summary"]["documents"] == {
        "checked": 2,
        "passed": 0,
        "failed": 1,
        "errors": 1,
        "violations": 1,
        "accepted": 0,
        "carried_over": 0,
    }
    written = json.loads((tmp_path / "results.json").read_text())
    assert document_errors(written) == []
    row = written["documents"][0]
    assert (row["kind"], row["path"], row["linked_from"], row["status"]) == (
        "document",
        "/documents/7/family-a-overview.pdf",
        ["/family-a/", "/about/"],
        "failed",
    )
    assert [page["kind"] for page in written["results"]] == ["page"]  # page rows as before

    cases = {case.get("name"): case for case in ET.parse(tmp_path / "junit.xml").iter("testcase")}
    failure = cases[row["url"]].find("failure")
    assert "pdf-title" in failure.get("message") and "Matterhorn: 06-003" in failure.text
    assert "linked from: /family-a/, /about/" in cases[row["url"]].find("system-out").text
    error = cases[unreadable.url].find("error")
    assert error.get("message") == "could not check: it needs a password to open"

    html = (tmp_path / "report.html").read_text()
    assert "<h2>Documents</h2>" in html and "The document has no title." in html
    assert f'<a href="{FRONTEND}/about/">/about/</a>' in html
    assert "Fill in File &gt; Info &gt; Properties &gt; Title." in html

    assert failing_documents(document) == [
        f"document {row['url']} failed: pdf-title (linked from /family-a/, /about/)",
        f"document {unreadable.url} could not check: it needs a password to open "
        "(linked from /about/)",
    ]
    assert describe_run(document).endswith("; 2 documents: 1 failed, 1 could not be checked")


def test_document_rows_read_back_as_written(tmp_path):
    accepted = untitled_document()
    entries = load_baseline(
        write_baseline(
            tmp_path,
            'rule = "pdf-title"\ndocument = "*overview.pdf"\nreason = "r"\nexpires = 2027-01-01',
        )
    )
    accept_known_document(accepted, entries, TODAY)
    document = report_of([accepted], tmp_path)

    assert document["summary"]["exit_code"] == 0
    row = document["documents"][0]
    assert DocumentRow.from_json(json.loads(json.dumps(row))).to_json() == row
    assert row["accepted"][0]["baseline"]["expires"] == "2027-01-01"


def test_the_schema_accepts_documents_without_document_rows_and_refuses_bad_ones(tmp_path):
    document = report_of([untitled_document()], tmp_path)
    older = {key: value for key, value in document.items() if key != "documents"}
    del older["summary"]["documents"]
    assert document_errors(older) == []  # written before documents were checked

    broken = json.loads(json.dumps(document))
    broken["documents"][0]["violations"][0]["severity"] = "fatal"
    broken["documents"][0]["linked_from"] = ["family-a"]
    assert document_errors(broken) == [
        "documents/0/linked_from/0: 'family-a' does not match '^/'",
        "documents/0/violations/0/severity: 'fatal' is not one of ['violation', 'information']",
    ]
    repeated = json.loads(json.dumps(document))
    repeated["documents"] *= 2
    assert document_errors(repeated) == [
        f"documents/1/url: {document['documents'][0]['url']!r} repeats documents/0"
    ]


# --changed-since


def test_a_partial_run_keeps_documents_only_unchanged_pages_link(tmp_path):
    untitled, kept = untitled_document(), untitled_document(f"{CMS}/documents/8/kept.pdf")
    kept.linked_from = ["/about/", "/deleted/"]
    outcome = baseline_outcome([], path=None, today=TODAY, complete_run=True)
    previous = build_document([], outcome, run_info(), [untitled, kept])
    rechecked = DocumentResult(url=untitled.url, linked_from=["/family-a/"], pages=3)
    request = AuditRequest(cms_url=CMS, frontend_url=FRONTEND, report_dir=tmp_path)
    discovery = Discovery(targets=[], unchanged=["/about/"], complete=False)

    carried = carried_over_documents(
        previous, dt.datetime(2026, 5, 1, tzinfo=dt.UTC), discovery, [rechecked], request
    )

    assert rechecked.linked_from == ["/family-a/", "/about/"]  # its unchanged page kept
    assert [(d.url, d.linked_from, d.status) for d in carried] == [
        (kept.url, ["/about/"], "failed")
    ]
    assert carried[0].carried_over_from == previous["started_at"]
