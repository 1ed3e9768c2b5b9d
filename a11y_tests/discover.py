"""Discover step: every live page from the CMS sitemap, the 404 page, the listings' own views,
and the documents the pages link to.

Nothing here is a hand-kept list: pages come from ``GET /api/v3/sitemap/``; the filtered and
paginated views of a listing come from the links and GET forms in that listing's own HTML and,
because a short listing hides its filter form, from the filter values and review count its API
detail reports (the same ``year``/``review_type``/``page`` parameters the frontend reads).
Documents are the PDF links in each page's HTML as the frontend serves it
(:func:`find_document_links`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlencode, urljoin, urlsplit

import httpx

from a11y_tests.model import Target

SITEMAP_PAGE_SIZE = 100
NOT_FOUND_PATH = "/a11y-audit-no-such-page/"
MAX_VIEWS_PER_LISTING = 30
LISTING_TYPE_SUFFIX = "IndexPage"
DOCUMENT_SUFFIXES = (".pdf",)  # what the document checker can check


class DiscoveryError(RuntimeError):
    """The CMS or frontend cannot tell us what to audit."""


@dataclass
class Discovery:
    targets: list[Target]
    # Pages left out by --changed-since, so the report can say what was not re-audited.
    unchanged: list[str] = field(default_factory=list)
    complete: bool = True


def parse_since(text: str) -> dt.datetime:
    """ISO date or datetime; a naive value is taken as UTC, like the API's timestamps."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as error:
        raise DiscoveryError(
            f"--changed-since {text!r} is not an ISO date/time (e.g. 2026-11-20T09:00:00Z) "
            "nor 'last-run'"
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _get(client: httpx.Client, url: str, what: str, **params) -> httpx.Response:
    try:
        return client.get(url, params=params or None)
    except httpx.HTTPError as error:
        raise DiscoveryError(
            f"{what} not reachable at {url}: {error}; start it (make run) or pass its URL"
        ) from error


def fetch_sitemap(client: httpx.Client, cms_url: str) -> list[dict]:
    """All items of the paginated sitemap."""
    url = f"{cms_url.rstrip('/')}/api/v3/sitemap/"
    items: list[dict] = []
    while True:
        response = _get(client, url, "CMS", limit=SITEMAP_PAGE_SIZE, offset=len(items))
        if response.status_code != 200:
            raise DiscoveryError(
                f"CMS sitemap {response.request.url} answered HTTP {response.status_code}"
            )
        try:
            body = response.json()
            count, batch = body["count"], body["items"]
        except (ValueError, KeyError, TypeError) as error:
            raise DiscoveryError(
                f"CMS sitemap {response.request.url} is not {{count, items}} JSON"
            ) from error
        items.extend(batch)
        if not batch or len(items) >= count:
            return items


class _ViewLinks(HTMLParser):
    """Collects same-page links with a query, and GET forms with their choices."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        elif tag == "form" and (attributes.get("method") or "get").lower() == "get":
            self._form = {"action": attributes.get("action") or "", "choices": []}
            self.forms.append(self._form)
        elif self._form is not None and tag == "select" and attributes.get("name"):
            self._select = attributes["name"]
        elif self._select and tag == "option" and attributes.get("value"):
            self._form["choices"].append((self._select, attributes["value"]))
        elif (
            self._form is not None
            and tag == "input"
            and attributes.get("type") in ("radio", "checkbox")
            and attributes.get("name")
            and attributes.get("value")
        ):
            self._form["choices"].append((attributes["name"], attributes["value"]))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def listing_views(html: str, page_url: str) -> list[str]:
    """Absolute URLs of the page's own filtered/paginated views, as its HTML offers them."""
    parser = _ViewLinks()
    parser.feed(html)
    page = urlsplit(page_url)
    views = []
    for href in parser.hrefs:
        link = urlsplit(urljoin(page_url, href))
        if (link.netloc, link.path) == (page.netloc, page.path) and link.query:
            views.append(link._replace(fragment="").geturl())
    for form in parser.forms:
        action = urlsplit(urljoin(page_url, form["action"]))
        if (action.netloc, action.path) != (page.netloc, page.path):
            continue
        # One view per offered choice: every filter value the page itself lists.
        for name, value in form["choices"]:
            views.append(action._replace(query=urlencode({name: value}), fragment="").geturl())
    return list(dict.fromkeys(views))


def origin_of(url: str) -> str:
    """scheme://host[:port], lower-cased, as links are compared."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def document_links(html: str, page_url: str, origins: set[str]) -> list[str]:
    """Absolute URLs (no fragment) of the PDFs this page links to on one of ``origins``.

    A document is whatever a reader's click would download: the report block's link and links
    in rich text alike, at the CMS's ``/documents/<id>/<file>.pdf`` or wherever the frontend
    serves it. PDFs on other websites are not the site's own documents and are left out.
    """
    parser = _ViewLinks()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        link = urlsplit(urljoin(page_url, href.strip()))
        if (
            link.scheme in ("http", "https")
            and origin_of(link.geturl()) in origins
            and unquote(link.path).lower().endswith(DOCUMENT_SUFFIXES)
        ):
            found.append(link._replace(fragment="").geturl())
    return list(dict.fromkeys(found))


def find_document_links(
    client: httpx.Client,
    pages: list[Target],
    origins: set[str],
    stop: threading.Event | None = None,
) -> dict[str, list[str]]:
    """Each linked document's URL → the paths of the pages linking it, in page order.

    Reads each page's HTML once; a page that does not answer with HTML is skipped here (its
    own audit reports what is wrong with it).
    """
    links: dict[str, list[str]] = {}
    for page in pages:
        if stop is not None and stop.is_set():
            break
        try:
            response = client.get(page.url)
        except httpx.HTTPError:
            continue
        if response.status_code != 200 or "html" not in response.headers.get("content-type", ""):
            continue
        for url in document_links(response.text, str(response.url), origins):
            links.setdefault(url, [])
            if page.path not in links[url]:
                links[url].append(page.path)
    return links


def api_listing_views(client: httpx.Client, cms_url: str, listing: Target) -> list[str]:
    """One view per filter value and per further page of reviews, as the API detail reports."""
    if listing.page_id is None:
        return []
    response = _get(client, f"{cms_url.rstrip('/')}/api/v3/pages/{listing.page_id}/", "CMS")
    if response.status_code != 200:
        return []
    detail = response.json()
    filters = detail.get("filters") or {}
    queries = [{"year": year} for year in filters.get("years", [])]
    queries += [{"review_type": kind["value"]} for kind in filters.get("review_types", [])]
    reviews = detail.get("reviews") or {}
    if reviews.get("limit"):
        page_count = -(-reviews.get("count", 0) // reviews["limit"])
        queries += [{"page": number} for number in range(2, page_count + 1)]
    return [f"{listing.url}?{urlencode(query)}" for query in queries]


def discover_listing_views(
    client: httpx.Client, listing: Target, api_views: list[str] = ()
) -> list[Target]:
    """Breadth-first over a listing's views, so page 2 of a filter is found from page 1."""
    seen = {listing.url}
    queue = deque([listing.url, *api_views])
    found: list[Target] = []
    for view in api_views:
        seen.add(view)
        found.append(_view_target(view, listing))
    while queue and len(found) < MAX_VIEWS_PER_LISTING:
        url = queue.popleft()
        response = _get(client, url, "frontend")
        if response.status_code != 200 or "html" not in response.headers.get("content-type", ""):
            continue
        for view in listing_views(response.text, url):
            if view in seen or len(found) >= MAX_VIEWS_PER_LISTING:
                continue
            seen.add(view)
            queue.append(view)
            found.append(_view_target(view, listing))
    return found[:MAX_VIEWS_PER_LISTING]


def _view_target(url: str, listing: Target) -> Target:
    parts = urlsplit(url)
    return Target(
        url=url,
        path=f"{parts.path}?{parts.query}",
        kind="listing-view",
        page_id=listing.page_id,
        page_type=listing.page_type,
        last_published_at=listing.last_published_at,
    )


def _with_ancestors(paths: set[str], all_paths: set[str]) -> set[str]:
    """A changed page also changes every listing above it (index, home)."""
    wanted = set(paths)
    for path in paths:
        for candidate in all_paths:
            if candidate != path and path.startswith(candidate):
                wanted.add(candidate)
    return wanted


def discover(
    cms_url: str,
    frontend_url: str,
    *,
    changed_since: dt.datetime | None = None,
    client: httpx.Client | None = None,
) -> Discovery:
    owned_client = client is None
    client = client or httpx.Client(timeout=15, follow_redirects=True)
    try:
        items = fetch_sitemap(client, cms_url)
        base = frontend_url.rstrip("/")
        _get(client, base + "/", "frontend")  # unreachable frontend → a clear message, early
        pages = {
            item["path"]: Target(
                url=base + item["path"],
                path=item["path"],
                page_id=item.get("id"),
                page_type=item.get("type"),
                last_published_at=item.get("last_published_at"),
            )
            for item in items
        }
        unchanged: list[str] = []
        if changed_since is not None:
            changed = {
                path
                for path, target in pages.items()
                if target.last_published_at is None
                or parse_since(target.last_published_at) > changed_since
            }
            wanted = _with_ancestors(changed, set(pages))
            unchanged = sorted(set(pages) - wanted)
            pages = {path: target for path, target in pages.items() if path in wanted}
        targets = list(pages.values())
        for listing in [t for t in targets if (t.page_type or "").endswith(LISTING_TYPE_SUFFIX)]:
            api_views = api_listing_views(client, cms_url, listing)
            targets.extend(discover_listing_views(client, listing, api_views))
        if changed_since is None:
            targets.append(
                Target(
                    url=base + NOT_FOUND_PATH,
                    path=NOT_FOUND_PATH,
                    kind="not-found",
                    expected_status=404,
                )
            )
        return Discovery(targets=targets, unchanged=unchanged, complete=changed_since is None)
    finally:
        if owned_client:
            client.close()
