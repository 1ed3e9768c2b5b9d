"""A thin client for the CMS's headless API (docs/api.md): one method per thing the site reads.

Live content is read through the cache (frontend/cache.py), which also serves stored
copies while the CMS is down; drafts and the editor's userbar never go near it.
Methods raise ``PageNotFound``, ``ApiError`` or ``cache.CmsUnavailable``.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import httpx

from .cache import ANY_PATH, NOT_FOUND_STATUSES, ApiCache, ApiResponse, CmsUnavailable
from .resilience import GuardedTransport
from .storage import SharedStorage

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class PageNotFound(Exception):
    """The CMS has no live page (or preview) for what was asked."""


class ApiError(Exception):
    """The CMS rejected a request the frontend made: a bug on one side of the contract."""


class CmsClient:
    """Reads pages, listings, the sitemap and previews from the CMS's API."""

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
        # Drafts and the editor's userbar must never be stored.
        self._uncached = httpx.Client(base_url=base_url, timeout=timeout, transport=network)
        self._userbar_path = userbar_path

    def close(self) -> None:
        self._cache.close()
        self._uncached.close()

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
        """One page of the reviews under the index at ``index_path``, filtered."""
        params = {name: value for name, value in filters.items() if value not in (None, "")}
        url = "/api/v3/reviews/"
        response = self._cache.get(
            url,
            params=params,
            key=("reviews", index_path, urlencode(sorted(params.items()))),
            path=index_path,
            version=self._cache.version(index_path),
        )
        return _data_or_raise(response, url)

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
        return _data_or_raise(ApiResponse.from_httpx(response), url)

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


def _data_or_raise(response: ApiResponse, url: str):
    """The decoded body of a successful answer; an error for anything else."""
    if response.status >= 400:
        raise ApiError(f"{url} answered {response.status}: {response.data!r}"[:300])
    if response.data is None:
        raise CmsUnavailable(f"{url}: malformed JSON")
    return response.data
