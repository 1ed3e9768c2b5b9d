"""Frontend-relative page URLs, and rich text links resolved in one query per response.

Stock rich text expansion looks up the pages a rich text value links to once
per value, so a review with fifty linked statements costs fifty queries. Here
every link in a response is collected from the raw stored content first and
resolved together; the link handlers then read from that batch.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.models import Page, Site
from wagtail.rich_text.pages import PageLinkHandler
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from pages.documents import absolute_document_url

from .privacy import hidden_collection_ids


def frontend_path(url_path, site_root_paths=None):
    """The page's address on the frontend, e.g. ``/serious-case-reviews/child-b/``.

    Wagtail stores ``url_path`` from the tree root (``/home/serious-case-reviews/``);
    the frontend serves each site from its own root, so the site's root path is cut off.
    Pages outside every site have no public address and give ``None``.
    """
    if site_root_paths is None:
        site_root_paths = Site.get_site_root_paths()
    for root in site_root_paths:
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return None


class LinkTargets:
    """Addresses of every page and document that a set of rich text values links to."""

    def __init__(self, page_paths=None, document_urls=None):
        self.page_paths = page_paths or {}
        self.document_urls = document_urls or {}

    @classmethod
    def for_raw_content(cls, *raw_values, request=None):
        """Resolve the links found in ``raw_values`` (rich text strings or raw stream data)."""
        ids = {"page": set(), "document": set()}
        for text in _strings_in(raw_values):
            if "linktype" not in text:
                continue
            for match in FIND_A_TAG.finditer(text):
                attrs = extract_attrs(match.group(1))
                if attrs.get("linktype") in ids and str(attrs.get("id", "")).isdigit():
                    ids[attrs["linktype"]].add(int(attrs["id"]))
        return cls(_page_paths(ids["page"]), _document_urls(ids["document"], request))


def _strings_in(value):
    """Every string inside nested raw block data (dicts, lists, strings)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings_in(item)


def _page_paths(page_ids):
    if not page_ids:
        return {}
    site_root_paths = Site.get_site_root_paths()
    # Links to pages that are not live lead nowhere on the frontend, so they lose their href.
    rows = Page.objects.filter(pk__in=page_ids, live=True).values_list("pk", "url_path")
    # Missing pages are remembered as None so they are not looked up again.
    paths = dict.fromkeys(page_ids)
    paths.update({pk: frontend_path(url_path, site_root_paths) for pk, url_path in rows})
    return paths


def _document_urls(document_ids, request=None):
    if not document_ids:
        return {}
    # Documents the request may not see stay None: their links lose the href, keep the text.
    visible = (
        get_document_model()
        .objects.filter(pk__in=document_ids)
        .exclude(collection_id__in=hidden_collection_ids(request))
    )
    urls = dict.fromkeys(document_ids)
    urls.update({document.pk: absolute_document_url(document, request) for document in visible})
    return urls


_active_targets: ContextVar[LinkTargets | None] = ContextVar("api_link_targets", default=None)


@contextmanager
def resolved_links(targets):
    """Let rich text expanded inside this block use ``targets`` instead of querying."""
    token = _active_targets.set(targets)
    try:
        yield targets
    finally:
        _active_targets.reset(token)


def raw_stream_data(stream_value):
    """The stored JSON of a StreamField, read without converting any block."""
    return list(stream_value.raw_data)


def _anchor(href):
    return f'<a href="{escape(href)}">' if href else "<a>"


class FrontendPageLinkHandler(PageLinkHandler):
    """Page links become frontend-relative paths, never the CMS host or ``linktype`` markup."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        targets = _active_targets.get()
        ids = [int(attrs["id"]) for attrs in attrs_list if str(attrs.get("id", "")).isdigit()]
        if targets is None or not set(ids) <= targets.page_paths.keys():
            # Rendering outside a prepared response (e.g. an admin preview): one query.
            targets = LinkTargets(page_paths=_page_paths(set(ids)))
        return [
            _anchor(targets.page_paths.get(int(attrs["id"])))
            if str(attrs.get("id", "")).isdigit()
            else "<a>"
            for attrs in attrs_list
        ]


class CMSDocumentLinkHandler(DocumentLinkHandler):
    """Document links point at the CMS, which serves (and guards) the files."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        targets = _active_targets.get()
        ids = [int(attrs["id"]) for attrs in attrs_list if str(attrs.get("id", "")).isdigit()]
        if targets is None or not set(ids) <= targets.document_urls.keys():
            targets = LinkTargets(document_urls=_document_urls(set(ids)))
        return [
            _anchor(targets.document_urls.get(int(attrs["id"])))
            if str(attrs.get("id", "")).isdigit()
            else "<a>"
            for attrs in attrs_list
        ]
