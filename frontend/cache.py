"""The frontend's cache of API answers, and what it serves when the CMS is down.

Caching follows RFC 9111 through hishel: answers are stored with their
``Cache-Control`` and ``ETag`` and revalidated with conditional requests. Two
things hishel leaves to its user are added here:

* stale-if-error: when the CMS refuses the connection, times out, answers 5xx or
  sends broken JSON, the last stored copy is served (with a log line) instead;
* revalidation on publish: every cache key carries a version number for the
  frontend path it belongs to, and ``revalidate()`` bumps it, so all answers
  for that path (including every filtered listing) are fetched afresh. Copies
  from before a revalidation are never served again, not even stale: the page
  may have been unpublished or deleted, or made private.

The stored answers, the path versions and the "not found" records are shared by
every gunicorn worker, and with Redis by every instance (frontend/storage.py). While
that shared storage is unavailable, answers come from the CMS without the cache: none
stored, none served, stale or not, as the revalidations received meanwhile cannot be
recorded.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import hishel
import httpx
from hishel.httpx import CacheTransport

from .storage import SharedStateUnavailable, SharedStorage

log = logging.getLogger(__name__)

NOT_FOUND_STATUSES = frozenset({403, 404, 410})
# Every revalidation bumps this one too: any published change can alter the sitemap.
ANY_PATH = "*"


class CmsUnavailable(Exception):
    """The CMS gave no usable answer and no stored copy can stand in for it."""


@dataclass
class ApiResponse:
    status: int
    headers: httpx.Headers
    data: object = None

    @classmethod
    def from_httpx(cls, response: httpx.Response) -> ApiResponse:
        return cls(response.status_code, response.headers, _parse_json(response.content))


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


def cache_key(parts: tuple[str, ...], version: int) -> str:
    """The key an answer is stored under: what was asked (``parts``), and the version of
    the frontend path it belongs to.

    Versioned, so a revalidation of the path leaves every older copy behind for good.
    """
    return f"{' '.join(parts)} v{version}"


class ApiCache:
    """GETs from the CMS through the RFC 9111 cache, each stored under a versioned key,
    with a stored copy or a "not found" standing in when the CMS fails."""

    def __init__(
        self,
        base_url: str,
        storage: SharedStorage,
        *,
        network: httpx.BaseTransport,
        default_max_age: int,
        timeout: float,
    ):
        self._answers = storage.answers
        self._versions = storage.versions
        self._client = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            transport=CacheTransport(
                DefaultFreshness(network, default_max_age),
                storage=self._answers,
                rfc=hishel.CacheOptions(shared=True),
            ),
        )
        # For when the shared storage is unavailable.
        self._uncached = httpx.Client(base_url=base_url, timeout=timeout, transport=network)

    def close(self) -> None:
        self._client.close()
        self._uncached.close()

    def version(self, path: str) -> int | None:
        """The current version of the frontend ``path``, or None while the shared storage is
        unavailable; callers read it once for all the requests that make up one answer, so
        they agree, and pass it to ``get``."""
        try:
            return self._versions.version(path)
        except SharedStateUnavailable:
            return None  # the storage has logged it

    def revalidate(self, paths: Iterable[str]) -> None:
        """Bump the versions of ``paths``, and of ``ANY_PATH``: every answer stored for them
        is left behind, never served again, not even stale.

        Raises ``SharedStateUnavailable`` when the versions cannot be bumped.
        """
        self._versions.bump([*paths, ANY_PATH])

    def get(
        self, url: str, *, key: tuple[str, ...], path: str, version: int | None, params=None
    ) -> ApiResponse:
        """The CMS's answer to ``url``, stored under ``key`` for ``version`` of ``path``;
        the last usable one when the CMS fails. Without a version (the shared storage is
        unavailable), the CMS's answer alone."""
        if version is None:
            return self._get_uncached(url, params)
        versioned_key = cache_key(key, version)
        try:
            response = self._client.get(
                url, params=params, extensions={"caching": {"key": versioned_key}}
            )
        except httpx.HTTPError as error:
            return self._stale(path, versioned_key, f"{type(error).__name__}: {error}")
        answer = ApiResponse.from_httpx(response)
        failure = _unusable(answer)
        if failure:
            return self._stale(path, versioned_key, failure)
        if answer.status in NOT_FOUND_STATUSES:
            self._record_not_found(versioned_key, path, version)
        return answer

    def _get_uncached(self, url: str, params) -> ApiResponse:
        try:
            answer = ApiResponse.from_httpx(self._uncached.get(url, params=params))
        except httpx.HTTPError as error:
            reason = f"{type(error).__name__}: {error}"
        else:
            reason = _unusable(answer)
            if not reason:
                return answer
        log.error("CMS unavailable (%s), and no cache to stand in for %s", reason, url)
        raise CmsUnavailable(reason)

    # The stale-if-error rules

    def _record_not_found(self, key: str, path: str, version: int) -> None:
        """Remember that the CMS's latest answer for ``key`` was "not found".

        The CMS marks these answers no-store, and without this a copy stored before it
        (of a page since unpublished or deleted) would be served when the CMS is down.
        """
        removed = False
        for entry in self._answers.get_entries(key):
            if entry.response.status_code not in NOT_FOUND_STATUSES:
                self._answers.remove_entry(entry.id)
                removed = True
        # Only for paths the CMS has told us about or we held a copy of, so requests for
        # made-up addresses add nothing.
        if removed or version > 0:
            # Without it, the CMS being down later means a 503 rather than a 404: still safe.
            with contextlib.suppress(SharedStateUnavailable):
                self._versions.mark_not_found(path, key)

    def _stale(self, path: str, key: str, reason: str) -> ApiResponse:
        """The CMS's last usable answer for ``key`` (a versioned key), stored or "not found".

        Only this version's: copies from before the path was last revalidated may show a
        page that has been unpublished, deleted or made private since.
        """
        for entry in self._answers.get_entries(key):
            stored = entry.response.headers
            answer = ApiResponse(
                entry.response.status_code,
                httpx.Headers(
                    [(name, value) for name in stored for value in stored.get_list(name) or []]
                ),
                _parse_json(b"".join(entry.response.stream)),
            )
            if _unusable(answer):
                # Broken answers must not be served as fresh on the next request either.
                self._answers.remove_entry(entry.id)
                continue
            log.warning("CMS unavailable (%s); serving a stale copy of %s", reason, key)
            return answer
        if self._is_not_found(path, key):
            log.warning("CMS unavailable (%s); it last answered not found for %s", reason, key)
            return ApiResponse(404, httpx.Headers())
        log.error("CMS unavailable (%s) and nothing cached for %s", reason, key)
        raise CmsUnavailable(reason)

    def _is_not_found(self, path: str, key: str) -> bool:
        try:
            return self._versions.is_not_found(path, key)
        except SharedStateUnavailable:
            return False


def _unusable(answer: ApiResponse) -> str | None:
    """Why ``answer`` cannot be served, fresh or stale; None when it can."""
    if answer.status >= 500:
        return f"HTTP {answer.status}"
    if answer.status == 200 and answer.data is None:
        return "malformed JSON"
    return None


def _parse_json(body: bytes):
    """The decoded JSON body, or None when it is empty or broken."""
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None
