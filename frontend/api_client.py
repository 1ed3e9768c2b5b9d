"""A thin client for the CMS's headless API (docs/api.md), with an HTTP cache in front.

Caching follows RFC 9111 through hishel: responses are stored with their
``Cache-Control`` and ``ETag`` and revalidated with conditional requests. Two
things hishel leaves to its user are added here:

* stale-if-error: when the CMS refuses the connection, times out, answers 5xx or
  sends broken JSON, the last stored copy is served (with a log line) instead;
* revalidation on publish: every cache key carries a version number for the
  frontend path it belongs to, and ``revalidate()`` bumps it, so all responses
  for that path (including every filtered listing) are fetched afresh. Copies
  from before a revalidation are never served again, not even stale: the page
  may have been unpublished or deleted, or made private.

The cache, the versions and the "not found" records live in SQLite files in one folder,
shared by every gunicorn worker.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import hishel
import httpx
from hishel.httpx import CacheTransport

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
NOT_FOUND_STATUSES = frozenset({403, 404, 410})
# Every revalidation bumps this one too: any published change can alter the sitemap.
ANY_PATH = "*"


class CmsUnavailable(Exception):
    """The CMS gave no usable answer and no stored copy can stand in for it."""


class PageNotFound(Exception):
    """The CMS has no live page (or preview) for what was asked."""


class ApiError(Exception):
    """The CMS rejected a request the frontend made: a bug on one side of the contract."""


@dataclass
class ApiResponse:
    status: int
    headers: httpx.Headers
    data: object = None


class DefaultFreshness(httpx.BaseTransport):
    """Gives answers that carry no caching headers a freshness lifetime.

    The RFC cache stores nothing without one; publishing revalidates the paths
    it changes, so a default lifetime only bounds how long a missed notification
    can keep old content around.
    """

    CACHEABLE_STATUSES = frozenset({200, 302, 404})

    def __init__(self, inner: httpx.BaseTransport, max_age: int):
        self.inner = inner
        self.max_age = max_age

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if (
            response.status_code in self.CACHEABLE_STATUSES
            and "cache-control" not in response.headers
            and "expires" not in response.headers
        ):
            response.headers["Cache-Control"] = f"max-age={self.max_age}"
        return response

    def close(self) -> None:
        self.inner.close()


class PathState:
    """Per frontend path, shared by all worker processes through SQLite: a version number,
    and the cache keys of this version that the CMS last answered "not found" for."""

    def __init__(self, database_path: Path):
        self._database_path = str(database_path)
        self._local = threading.local()
        connection = self._connection()
        connection.execute(
            "CREATE TABLE IF NOT EXISTS path_versions "
            "(path TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        connection.execute(
            "CREATE TABLE IF NOT EXISTS not_found (key TEXT PRIMARY KEY, path TEXT NOT NULL)"
        )
        connection.execute("CREATE INDEX IF NOT EXISTS not_found_path ON not_found (path)")

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread: sqlite3 connections must not be shared between threads.
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._database_path, timeout=5, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            self._local.connection = connection
        return connection

    def get(self, path: str) -> int:
        row = (
            self._connection()
            .execute("SELECT version FROM path_versions WHERE path = ?", (path,))
            .fetchone()
        )
        return row[0] if row else 0

    def bump(self, paths) -> None:
        connection = self._connection()
        connection.executemany(
            "INSERT INTO path_versions (path, version) VALUES (?, 1) "
            "ON CONFLICT(path) DO UPDATE SET version = version + 1",
            [(path,) for path in paths],
        )
        # The keys they were recorded for carry the old version: nothing will ask for them again.
        connection.executemany("DELETE FROM not_found WHERE path = ?", [(path,) for path in paths])

    def mark_not_found(self, path: str, key: str) -> None:
        self._connection().execute(
            "INSERT OR IGNORE INTO not_found (key, path) VALUES (?, ?)", (key, path)
        )

    def is_not_found(self, key: str) -> bool:
        row = self._connection().execute("SELECT 1 FROM not_found WHERE key = ?", (key,))
        return row.fetchone() is not None


class CmsClient:
    """Reads pages, listings, the sitemap and previews from the CMS's API."""

    def __init__(
        self,
        base_url: str,
        *,
        cache_dir: Path,
        default_max_age: int,
        stale_if_error: int,
        timeout: float,
        userbar_path: str = "",
        transport: httpx.BaseTransport | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        cache_dir = Path(cache_dir)
        cache_dir.mkdir(parents=True, exist_ok=True)
        network = transport or httpx.HTTPTransport()
        # Entries outlive their freshness by this much, so there is something to serve stale.
        self._storage = hishel.SqliteStorage(
            database_path=cache_dir / "api-cache.sqlite3", default_ttl=stale_if_error
        )
        self._cached = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=CacheTransport(
                DefaultFreshness(network, default_max_age),
                storage=self._storage,
                rfc=hishel.CacheOptions(shared=True),
            ),
        )
        # Drafts and the editor's userbar must never be stored.
        self._uncached = httpx.Client(base_url=self.base_url, timeout=timeout, transport=network)
        self._paths = PathState(cache_dir / "path-versions.sqlite3")
        self._userbar_path = userbar_path

    def close(self) -> None:
        self._cached.close()
        self._uncached.close()

    # Reading content

    def page(self, path: str) -> dict:
        """The live page at the frontend path ``path``: ``find``, then its detail."""
        page = self._find("/api/v3/pages/find/", path, path)
        if page is None:
            raise PageNotFound(path)
        return page

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
            version = self._paths.get(path)
            detail = self._get(url, key=f"redirect {path} {url}", path=path, version=version)
            if detail.status in NOT_FOUND_STATUSES:
                return None  # the page it leads to is not live
            target = self._json(detail, url).get("path")
        else:
            target = found.get("redirect_link")
        return (target, bool(found.get("is_permanent"))) if target else None

    def _find(self, endpoint: str, path: str, html_path: str) -> dict | None:
        """What a v3 ``find`` endpoint leads to for ``html_path``; None if nothing.

        Cached under the frontend ``path``, so revalidating it refreshes the answer.
        """
        version = self._paths.get(path)
        found = self._get(
            endpoint,
            params={"html_path": html_path},
            key=f"{endpoint} {html_path}",
            path=path,
            version=version,
        )
        if found.status in NOT_FOUND_STATUSES:
            return None
        if found.status not in REDIRECT_STATUSES or "location" not in found.headers:
            raise ApiError(f"{endpoint} for {html_path} answered {found.status} without a redirect")
        location = found.headers["location"]
        detail = self._get(location, key=f"detail {path} {location}", path=path, version=version)
        if detail.status in NOT_FOUND_STATUSES:
            return None
        return self._json(detail, location)

    def reviews(self, index_path: str, **filters) -> dict:
        """One page of the reviews under the index at ``index_path``, filtered."""
        params = {name: value for name, value in filters.items() if value not in (None, "")}
        url = "/api/v3/reviews/"
        response = self._get(
            url,
            params=params,
            key=f"reviews {index_path} {urlencode(sorted(params.items()))}",
            path=index_path,
            version=self._paths.get(index_path),
        )
        return self._json(response, url)

    def sitemap_items(self, batch_size: int = 500) -> list[dict]:
        """Every live public page, fetched in batches."""
        url = "/api/v3/sitemap/"
        version = self._paths.get(ANY_PATH)
        items: list[dict] = []
        while True:
            params = {"limit": batch_size, "offset": len(items)}
            key = f"sitemap {urlencode(params)}"
            response = self._get(url, params=params, key=key, path=ANY_PATH, version=version)
            batch = self._json(response, url)
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
        answer = ApiResponse(response.status_code, response.headers, _parse_json(response.content))
        return self._json(answer, url)

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
        self._paths.bump([*paths, ANY_PATH])

    # Transport, cache and stale-if-error

    def _get(self, url: str, *, key: str, path: str, version: int, params=None) -> ApiResponse:
        # Versioned, so a revalidation of ``path`` leaves every older copy behind for good.
        key = f"{key} v{version}"
        try:
            response = self._cached.get(url, params=params, extensions={"caching": {"key": key}})
        except httpx.HTTPError as error:
            return self._stale(key, f"{type(error).__name__}: {error}")
        if response.status_code >= 500:
            return self._stale(key, f"HTTP {response.status_code}")
        if response.status_code in NOT_FOUND_STATUSES:
            self._not_found(key, path, version)
        data = _parse_json(response.content)
        if response.status_code == 200 and data is None:
            return self._stale(key, "malformed JSON")
        return ApiResponse(response.status_code, response.headers, data)

    def _not_found(self, key: str, path: str, version: int) -> None:
        """Remember that the CMS's latest answer for ``key`` was "not found".

        The CMS marks these answers no-store, and without this a copy stored before it
        (of a page since unpublished or deleted) would be served when the CMS is down.
        """
        removed = False
        for entry in self._storage.get_entries(key):
            if entry.response.status_code not in NOT_FOUND_STATUSES:
                self._storage.remove_entry(entry.id)
                removed = True
        # Only for paths the CMS has told us about or we held a copy of, so requests for
        # made-up addresses add nothing.
        if removed or version > 0:
            self._paths.mark_not_found(path, key)

    def _stale(self, key: str, reason: str) -> ApiResponse:
        """The CMS's last usable answer for ``key`` (a versioned key), stored or "not found".

        Only this version's: copies from before the path was last revalidated may show a
        page that has been unpublished, deleted or made private since.
        """
        for entry in self._storage.get_entries(key):
            data = _parse_json(b"".join(entry.response.stream))
            status = entry.response.status_code
            if status >= 500 or (status == 200 and data is None):
                # Broken answers must not be served as fresh on the next request either.
                self._storage.remove_entry(entry.id)
                continue
            log.warning("CMS unavailable (%s); serving a stale copy of %s", reason, key)
            stored = entry.response.headers
            headers = httpx.Headers(
                [(name, value) for name in stored for value in stored.get_list(name) or []]
            )
            return ApiResponse(status, headers, data)
        if self._paths.is_not_found(key):
            log.warning("CMS unavailable (%s); it last answered not found for %s", reason, key)
            return ApiResponse(404, httpx.Headers())
        log.error("CMS unavailable (%s) and nothing cached for %s", reason, key)
        raise CmsUnavailable(reason)

    @staticmethod
    def _json(response: ApiResponse, url: str):
        if response.status >= 400:
            raise ApiError(f"{url} answered {response.status}: {response.data!r}"[:300])
        if response.data is None:
            raise CmsUnavailable(f"{url}: malformed JSON")
        return response.data


def _parse_json(body: bytes):
    """The decoded JSON body, or None when it is empty or broken."""
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None
