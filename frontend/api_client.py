"""A thin client for the CMS's headless API (docs/api.md): one method per thing the site reads.

Live content is read through the cache (frontend/cache.py), which also serves stored
copies while the CMS is down; drafts, the editor's userbar and documents never go near it.
Document addresses in what the API sends (report links, rich text) are rewritten to this
site's own ``/documents/…`` route, which streams them from the CMS (``document()``).
Methods raise ``PageNotFound``, ``FiltersRejected``, ``ApiError`` or ``cache.CmsUnavailable``.
"""

from __future__ import annotations

import http.cookiejar
import logging
import re
import time
from collections.abc import Iterator
from urllib.parse import quote, urlencode, urlsplit

import httpx

from .cache import ANY_PATH, NOT_FOUND_STATUSES, ApiCache, ApiResponse, CmsUnavailable
from .resilience import FAILING_STATUSES, GuardedTransport
from .storage import SharedStorage

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# What a reader's request may tell the CMS about a document: whether their copy is still
# current, and which part of it they want. Nothing else (no cookies, no credentials).
DOCUMENT_REQUEST_HEADERS = ("if-none-match", "if-modified-since", "range", "if-range")
# What of the CMS's answer reaches the reader. Content-Encoding is not among them: Wagtail
# sends "None" there, and the body is passed on exactly as the CMS sent it (see below).
DOCUMENT_RESPONSE_HEADERS = (
    "content-type",
    "content-length",
    "content-disposition",
    "content-range",
    "accept-ranges",
    "etag",
    "last-modified",
    "cache-control",
    "expires",
    # Wagtail's own for documents: no script runs in them, no type is guessed.
    "content-security-policy",
    "x-content-type-options",
)
# The answers passed on as they are; a document's own bytes only come with Content-Disposition
# (a restricted document answers its password form, 200 text/html, without one).
DOCUMENT_STATUSES = frozenset({200, 206})
# The council's documents are reports, well under this; a larger answer is not one of them.
DOCUMENT_MAX_BYTES = 200 * 1024 * 1024
# However slowly a reader takes it, one download holds a worker thread no longer than this.
DOCUMENT_MAX_SECONDS = 600
DOCUMENT_CHUNK_BYTES = 64 * 1024


class PageNotFound(Exception):
    """The CMS has no live page (or preview) for what was asked."""


class ApiError(Exception):
    """The CMS rejected a request the frontend made: a bug on one side of the contract."""


class FiltersRejected(Exception):
    """The CMS refused the reader's filter values for a listing; ``names`` says which."""

    def __init__(self, names: set[str]):
        super().__init__(", ".join(sorted(names)))
        self.names = names


class _RefuseAllCookies(http.cookiejar.DefaultCookiePolicy):
    """The CMS may set cookies (a password form's CSRF token); the frontend keeps none, so no
    reader's request ever carries what another one was given."""

    def set_ok(self, cookie, request) -> bool:
        return False


class CmsClient:
    """Reads pages, listings, the sitemap and previews from the CMS's API, and streams its
    documents."""

    def __init__(
        self,
        base_url: str,
        *,
        storage: SharedStorage,
        default_max_age: int,
        timeout: float,
        breaker_fail_max: int,
        breaker_reset_seconds: float,
        userbar_path: str = "",
        transport: httpx.BaseTransport | None = None,
    ):
        base_url = base_url.rstrip("/")
        # Every call, cached or not, goes through the circuit breaker and the time budget.
        network = GuardedTransport(
            transport or httpx.HTTPTransport(),
            storage.circuit,
            fail_max=breaker_fail_max,
            reset_seconds=breaker_reset_seconds,
        )
        self._cache = ApiCache(
            base_url, storage, network=network, default_max_age=default_max_age, timeout=timeout
        )
        # Drafts, the editor's userbar and documents must never be stored.
        self._uncached = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            transport=network,
            cookies=http.cookiejar.CookieJar(policy=_RefuseAllCookies()),
        )
        self._userbar_path = userbar_path
        # The API gives document addresses on the host it was called at: this one.
        cms = urlsplit(base_url)
        self._cms_documents = re.compile(
            rf"(?:https?:)?//{re.escape(cms.netloc + cms.path)}(?=/documents/\d+/)", re.IGNORECASE
        )

    def close(self) -> None:
        self._cache.close()
        self._uncached.close()

    def page(self, path: str) -> dict:
        """The live page at the frontend path ``path``: ``find``, then its detail."""
        page = self._find("/api/v3/pages/find/", path, path)
        if page is None:
            raise PageNotFound(path)
        return self._documents_on_this_site(page)

    def _documents_on_this_site(self, data):
        """``data`` with every address of a document on the CMS made this site's path for it,
        wherever it is: a report's ``url``, a link in rich text."""
        if isinstance(data, str):
            return self._cms_documents.sub("", data)
        if isinstance(data, list):
            return [self._documents_on_this_site(item) for item in data]
        if isinstance(data, dict):
            return {key: self._documents_on_this_site(value) for key, value in data.items()}
        return data

    def redirect(self, path: str) -> tuple[str, bool] | None:
        """Where the CMS sends readers of the frontend path ``path`` (a page moved or renamed,
        or an editor's redirect) and whether for good; None when it has no redirect there.

        The target is a page's frontend path or the redirect's link as the editor typed it:
        any address, so the caller must check where it leads before sending anyone there.
        """
        # Wagtail stores (and matches) old paths without the trailing slash.
        found = self._find("/api/v3/redirects/find/", path, path.rstrip("/") or "/")
        if found is None:
            return None
        if found.get("redirect_page_id"):
            # None of this site's page types route sub-paths, so, as in Wagtail's own
            # redirects, the page's address is the whole target.
            url = f"/api/v3/pages/{found['redirect_page_id']}/"
            detail = self._cache.get(
                url, key=("redirect", path, url), path=path, version=self._cache.version(path)
            )
            if detail.status in NOT_FOUND_STATUSES:
                return None  # the page it leads to is not live
            target = _data_or_raise(detail, url).get("path")
        else:
            target = found.get("redirect_link")
        return (target, bool(found.get("is_permanent"))) if target else None

    def _find(self, endpoint: str, path: str, html_path: str) -> dict | None:
        """What a v3 ``find`` endpoint leads to for ``html_path``; None if nothing.

        Cached under the frontend ``path``, so revalidating it refreshes the answer.
        """
        version = self._cache.version(path)
        found = self._cache.get(
            endpoint,
            params={"html_path": html_path},
            key=(endpoint, html_path),
            path=path,
            version=version,
        )
        if found.status in NOT_FOUND_STATUSES:
            return None
        if found.status not in REDIRECT_STATUSES or "location" not in found.headers:
            raise ApiError(f"{endpoint} for {html_path} answered {found.status} without a redirect")
        location = found.headers["location"]
        detail = self._cache.get(
            location, key=("detail", path, location), path=path, version=version
        )
        if detail.status in NOT_FOUND_STATUSES:
            return None
        return _data_or_raise(detail, location)

    def reviews(self, index_path: str, **filters) -> dict:
        """One page of the reviews under the index at ``index_path``, filtered.

        Raises ``FiltersRejected`` naming the filters the CMS refused: a value of the wrong
        kind (422, e.g. a year that is not a number) or search text it cannot parse (400).
        """
        params = {name: value for name, value in filters.items() if value not in (None, "")}
        url = "/api/v3/reviews/"
        response = self._cache.get(
            url,
            params=params,
            key=("reviews", index_path, urlencode(sorted(params.items()))),
            path=index_path,
            version=self._cache.version(index_path),
        )
        rejected = _rejected_params(response, params)
        if rejected:
            raise FiltersRejected(rejected)
        return self._documents_on_this_site(_data_or_raise(response, url))

    def sitemap_items(self, batch_size: int = 500) -> list[dict]:
        """Every live public page, fetched in batches."""
        url = "/api/v3/sitemap/"
        version = self._cache.version(ANY_PATH)
        items: list[dict] = []
        while True:
            params = {"limit": batch_size, "offset": len(items)}
            response = self._cache.get(
                url,
                params=params,
                key=("sitemap", urlencode(params)),
                path=ANY_PATH,
                version=version,
            )
            batch = _data_or_raise(response, url)
            items.extend(batch["items"])
            if not batch["items"] or len(items) >= batch["count"]:
                return items

    def preview(self, content_type: str, token: str) -> dict:
        """An unpublished draft, by the token Wagtail put in the preview URL. Never cached."""
        url = "/api/v3/page_preview/"
        params = {"content_type": content_type, "token": token}
        try:
            response = self._uncached.get(url, params=params)
        except httpx.HTTPError as error:
            raise CmsUnavailable(f"preview: {error!r}") from error
        if response.status_code in NOT_FOUND_STATUSES or response.status_code == 400:
            raise PageNotFound(f"preview {content_type}")
        return self._documents_on_this_site(_data_or_raise(ApiResponse.from_httpx(response), url))

    def document(self, document_id: int, filename: str, *, method: str, headers) -> Document:
        """The CMS's document ``document_id`` named ``filename``, streamed through Wagtail's own
        view, which checks the document's privacy and its name; never stored.

        ``headers`` are the reader's request headers, of which only the conditional and range
        ones are passed on. Raises ``PageNotFound`` for a document no reader may fetch here
        (unknown, renamed, or in a restricted collection: the API never links those),
        ``CmsUnavailable`` when the CMS is down and ``ApiError`` when it fails otherwise.
        """
        # The name is one path segment, quoted, so the request cannot leave /documents/.
        url = f"/documents/{document_id}/{quote(filename, safe='')}"
        forwarded = {name: headers[name] for name in DOCUMENT_REQUEST_HEADERS if name in headers}
        # The body is passed on as the CMS sends it, so it must send it unencoded.
        forwarded["accept-encoding"] = "identity"
        try:
            response = self._uncached.send(
                self._uncached.build_request(method, url, headers=forwarded), stream=True
            )
        except httpx.HTTPError as error:
            raise CmsUnavailable(f"document {document_id}: {error!r}") from error
        status = response.status_code
        is_file = status in DOCUMENT_STATUSES and "content-disposition" in response.headers
        if is_file or status == 304:
            size = response.headers.get("content-length", "")
            if not (size.isdigit() and int(size) > DOCUMENT_MAX_BYTES):
                return Document(response)
        response.close()
        if status in DOCUMENT_STATUSES:
            if not is_file:
                # Wagtail's password form for a document in a restricted collection.
                raise PageNotFound(f"document {document_id} is not public")
            raise ApiError(f"document {document_id} is larger than {DOCUMENT_MAX_BYTES} bytes")
        if status in FAILING_STATUSES:
            raise CmsUnavailable(f"document {document_id}: HTTP {status}")
        if status >= 500:
            raise ApiError(f"document {document_id}: HTTP {status}")
        # 404 (no such document, or not by that name), or 302 to the CMS's login for one in a
        # restricted collection: none is a document on this site.
        raise PageNotFound(f"document {document_id}: HTTP {status}")

    def userbar_html(self) -> str | None:
        """Wagtail's userbar (its content checks) for previews; None if the CMS cannot give it."""
        if not self._userbar_path:
            return None
        try:
            response = self._uncached.get(self._userbar_path)
        except httpx.HTTPError as error:
            log.warning("Preview shown without the userbar: %r", error)
            return None
        if response.status_code != 200:
            log.warning("Preview shown without the userbar: HTTP %s", response.status_code)
            return None
        return response.text

    def revalidate(self, paths) -> None:
        """Forget what is cached for ``paths``: their next request goes to the CMS, and no copy
        from before is served again, not even while the CMS is down."""
        self._cache.revalidate(paths)


class Document:
    """A document the CMS is sending: what the reader gets of its status and headers, and its
    bytes as they arrive, bounded in size and time. Close it when done."""

    def __init__(self, response: httpx.Response):
        self._response = response
        self.status = response.status_code
        self.headers = {
            name: response.headers[name]
            for name in DOCUMENT_RESPONSE_HEADERS
            # Wagtail's ETag is "" for a document saved without its file's hash: no validator.
            if name in response.headers and (name != "etag" or response.headers[name] != '""')
        }
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding in {"gzip", "br", "deflate", "zstd"}:
            # A real coding despite "identity" (a proxy's): the bytes need it to be read.
            self.headers["content-encoding"] = encoding

    def chunks(self) -> Iterator[bytes]:
        """The body, as sent; stops (so the reader sees a short download) past
        ``DOCUMENT_MAX_BYTES`` or ``DOCUMENT_MAX_SECONDS``."""
        deadline = time.monotonic() + DOCUMENT_MAX_SECONDS
        sent = 0
        try:
            for chunk in self._response.iter_raw(DOCUMENT_CHUNK_BYTES):
                sent += len(chunk)
                if sent > DOCUMENT_MAX_BYTES or time.monotonic() > deadline:
                    log.warning("Document download stopped: over its size or time bound")
                    return
                yield chunk
        except httpx.HTTPError as error:
            log.warning("Document download broken off by the CMS: %r", error)
        finally:
            self.close()

    def close(self) -> None:
        self._response.close()


def _rejected_params(response: ApiResponse, params: dict) -> set[str]:
    """The parameters the CMS refused, by its answer: a 422 names each in its ``errors``; its
    only 400 for what the frontend sends is search text it cannot parse."""
    if response.status == 422 and isinstance(response.data, dict):
        return {
            error["loc"][-1]
            for error in response.data.get("errors") or []
            if isinstance(error, dict) and error.get("loc") and error["loc"][-1] in params
        }
    if response.status == 400 and "search" in params:
        return {"search"}
    return set()


def _data_or_raise(response: ApiResponse, url: str):
    """The decoded body of a successful answer; an error for anything else."""
    if response.status >= 400:
        raise ApiError(f"{url} answered {response.status}: {response.data!r}"[:300])
    if response.data is None:
        raise CmsUnavailable(f"{url}: malformed JSON")
    return response.data
