"""The documents the site links to: each PDF downloaded once, however many pages link it
(streamed to a temporary file, stopped at a size limit), and checked with
:func:`a11y_tests.pdf.check_pdf` in a child process with its own time and memory limits.

:func:`audit_documents` does it all in the background while the browser audits the pages: it
reads each page's HTML for its PDF links (:func:`a11y_tests.discover.find_document_links`), then
checks the documents ``DOCUMENT_WORKERS`` at a time. A document that cannot be downloaded or
checked is a result with an ``error`` saying which and why, never an exception.
"""

from __future__ import annotations

import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from a11y_tests.discover import find_document_links, origin_of
from a11y_tests.model import Target
from a11y_tests.pdf import NOT_CHECKED, check_pdf
from a11y_tests.pdf.runner import DEFAULT_MAX_FILE_MB

DOCUMENT_WORKERS = 2
NETWORK_TIMEOUT_S = 30.0  # for any one wait on the network
DOWNLOAD_TIME_LIMIT_S = 120.0  # for the whole download, however slowly bytes trickle in
CHUNK_BYTES = 64 * 1024


class DownloadError(RuntimeError):
    """Why a document could not be downloaded, in words for the report."""


@dataclass
class DocumentResult:
    """One linked document, checked once. Findings keep the checker's JSON shape
    (:meth:`a11y_tests.pdf.PdfFinding.to_json`); an accepted one also carries ``baseline``."""

    url: str
    linked_from: list[str]  # paths of the pages linking it, in discovery order
    violations: list[dict] = field(default_factory=list)
    information: list[dict] = field(default_factory=list)
    accepted: list[dict] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # the checks that ran
    error: str | None = None
    pages: int | None = None
    size_bytes: int | None = None
    duration_s: float = 0.0
    # Set on a result taken over from the previous run (--changed-since): that run's start.
    carried_over_from: str | None = None
    baseline_applied: bool = False

    @property
    def path(self) -> str:
        """The URL's path, as baseline entries' ``document`` globs match it."""
        return unquote(urlsplit(self.url).path)

    @property
    def status(self) -> str:
        if self.error:
            return "error"
        return "failed" if self.violations else "passed"


def download(client: httpx.Client, url: str, destination: Path, max_bytes: int) -> int:
    """Stream ``url`` into ``destination``; its size in bytes. Raises :class:`DownloadError`
    on any HTTP status but 200, past ``max_bytes`` (without reading further) or past
    ``DOWNLOAD_TIME_LIMIT_S``."""
    started = time.monotonic()
    too_large = f"it is larger than {max_bytes / 1024 / 1024:g} MB"
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise DownloadError(f"the server answered HTTP {response.status_code}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise DownloadError(too_large)
            size = 0
            with destination.open("wb") as file:
                for chunk in response.iter_bytes(CHUNK_BYTES):
                    size += len(chunk)
                    if size > max_bytes:
                        raise DownloadError(too_large)
                    if time.monotonic() - started > DOWNLOAD_TIME_LIMIT_S:
                        raise DownloadError(
                            f"it took longer than {DOWNLOAD_TIME_LIMIT_S:g} seconds to download"
                        )
                    file.write(chunk)
            return size
    except httpx.TimeoutException as error:
        raise DownloadError(f"the server did not answer within {NETWORK_TIMEOUT_S:g} s") from error
    except httpx.HTTPError as error:
        raise DownloadError(str(error) or type(error).__name__) from error


def check_document(
    client: httpx.Client,
    url: str,
    linked_from: list[str],
    *,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
) -> DocumentResult:
    """Download and check one document; whatever happens, a result."""
    started = time.monotonic()
    result = DocumentResult(url=url, linked_from=list(linked_from))
    with tempfile.TemporaryDirectory(prefix="a11y-document-") as directory:
        file = Path(directory) / "document.pdf"
        try:
            result.size_bytes = download(client, url, file, int(max_file_mb * 1024 * 1024))
        except DownloadError as error:
            result.error = f"could not download: {error}"
        else:
            check = check_pdf(file, max_file_mb=max_file_mb)
            if check.status == NOT_CHECKED:
                result.error = f"could not check: {check.error}"
            result.violations = [finding.to_json() for finding in check.violations]
            result.information = [finding.to_json() for finding in check.information]
            result.checked = list(check.checked)
            result.pages = check.pages
    result.duration_s = round(time.monotonic() - started, 3)
    return result


def document_client() -> httpx.Client:
    # identity: a compressed answer would be inflated past the size limit before it is counted.
    return httpx.Client(
        timeout=NETWORK_TIMEOUT_S,
        follow_redirects=True,
        headers={"Accept-Encoding": "identity"},
    )


def audit_documents(
    pages: list[Target],
    origins: list[str],
    *,
    stop: threading.Event | None = None,
    workers: int = DOCUMENT_WORKERS,
) -> list[DocumentResult]:
    """Every PDF the ``pages`` link to on ``origins`` (the frontend and the CMS), checked once
    each, in the order first linked. ``stop`` ends the work early (the page audit failed)."""
    stop = stop or threading.Event()
    wanted = {origin_of(origin) for origin in origins}
    with document_client() as client:
        links = find_document_links(client, pages, wanted, stop)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="document") as pool:
            futures = [
                pool.submit(_unless_stopped, stop, client, url, linked_from)
                for url, linked_from in links.items()
            ]
            results = [future.result() for future in futures]
    return [result for result in results if result is not None]


def _unless_stopped(
    stop: threading.Event, client: httpx.Client, url: str, linked_from: list[str]
) -> DocumentResult | None:
    return None if stop.is_set() else check_document(client, url, linked_from)
