"""Pages serialised for the API beyond their own fields, with a fixed number of queries.

Every function here takes whole lists where it can (``review_summaries``), so
a listing of twenty reviews costs the same handful of queries as one review.
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from taggit.models import Tag
from wagtail.blocks import StreamValue
from wagtail.models import Page, PageViewRestriction, Site

from pages import review_listing
from pages.content_dates import last_updated_by_pk, last_updated_on
from pages.models import (
    NEWEST_FIRST,
    AccessibilityStatementPage,
    ReviewListing,
    ReviewPage,
    ReviewType,
)

from .links import LinkTargets, frontend_path, raw_stream_data, resolved_links
from .privacy import hidden_collection_ids

# Block types an index lists under each review (its "On this page" sections).
SUMMARY_BLOCK_TYPES = ("statement", "report")


def page_path(page):
    return frontend_path(page.url_path) if page.url_path else None


def breadcrumbs(page):
    """Ancestors from the site root down to the parent; the page itself is left out."""
    if not page.path or page.depth is None or page.depth <= 1:
        return []
    site_root_paths = Site.get_site_root_paths()
    ancestors = (
        Page.objects.ancestor_of(page)
        .filter(depth__gt=1)
        .order_by("depth")
        .values("title", "url_path")
    )
    crumbs = []
    for ancestor in ancestors:
        path = frontend_path(ancestor["url_path"], site_root_paths)
        if path is not None:
            crumbs.append({"title": ancestor["title"], "path": path})
    return crumbs


def last_updated(page):
    """The date readers see as "Last updated" (``pages.content_dates``): when the content last
    changed for them or the editor's "last reviewed" date, whichever is later; an index is
    never older than its newest live review or guidance page."""
    return last_updated_on(page)


def last_updated_for_rows(rows):
    """``{pk: last_updated}`` for rows with ``pk`` and ``content_type_id``, in a few queries."""
    return last_updated_by_pk(rows)


def child_links(page, *, exclude_type=None):
    """Live, public children in tree order, as ``{id, title, path}``."""
    site_root_paths = Site.get_site_root_paths()
    children = page.get_children().live().public().order_by("path")
    if exclude_type is not None:
        children = children.not_type(exclude_type)
    return [
        {"id": pk, "title": title, "path": frontend_path(url_path, site_root_paths)}
        for pk, title, url_path in children.values_list("pk", "title", "url_path")
    ]


def accessibility_statement_link(page):
    """The live, public statement of the page's site as ``{id, title, path}``, or None. One
    query: the statement is a child of the site's root, whose path the page's own begins with."""
    site_root_paths = Site.get_site_root_paths()
    roots = [root.root_path for root in site_root_paths if page.url_path.startswith(root.root_path)]
    if not roots:
        return None
    root_path = max(roots, key=len)  # the most specific site
    # Wagtail's .public() would cost a query of its own; a restriction on the statement or on
    # any page above it is one whose page path begins the statement's.
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    statement = (
        AccessibilityStatementPage.objects.live()
        .filter(url_path__startswith=root_path, depth=root_path.count("/") + 1)
        .exclude(Exists(restricted))
        .values_list("pk", "title", "url_path")
        .first()
    )
    if statement is None:
        return None
    pk, title, url_path = statement
    return {"id": pk, "title": title, "path": frontend_path(url_path, site_root_paths)}


def guidance_sections(index, context):
    """The index's guidance pages in tree order, bodies included: the index shows them in full."""
    site_root_paths = Site.get_site_root_paths()
    return [
        {
            "id": page.pk,
            "title": page.title,
            "path": frontend_path(page.url_path, site_root_paths),
            "summary": page.summary,
            "body": serialize_body(page, context),
        }
        for page in index.guidance_pages()
    ]


def listed_reviews(index):
    """The listing rows of an index's live, public reviews, newest first (``ReviewListing``:
    counting or slicing them reads one index however many reviews there are)."""
    return ReviewListing.objects.filter(index_id=index.pk).order_by(*NEWEST_FIRST)


def review_filters(index):
    """The years and review types present among an index's live reviews, to filter by.

    Two queries of index seeks, one seek per year or type present, however many reviews
    there are (reading every review for its year is what grew with their number).
    """
    years = review_listing.values_present(index.pk, "year")
    present = set(review_listing.values_present(index.pk, "review_type"))
    listed = ReviewListing.objects.filter(index_id=index.pk)
    # One spelling per board (the filter ignores case), as editors first wrote it.
    boards = {}
    for board in listed.order_by("review_id").values_list("review__board", flat=True):
        boards.setdefault(board.casefold(), board)
    themes = (
        Tag.objects.filter(pages_reviewpagetag_items__content_object__in=listed.values("review"))
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    return {
        "years": years,
        "review_types": [
            {"value": choice.value, "label": choice.label}
            for choice in ReviewType
            if choice.value in present
        ],
        "boards": sorted(boards.values(), key=str.casefold),
        "themes": [{"value": slug, "label": name} for slug, name in themes],
    }


def theme_names(review):
    """Theme names in alphabetical order, read from prefetched tags when there are any."""
    return sorted(tag.name for tag in review.themes.all())


def slice_of_reviews(reviews, offset, limit):
    """``limit`` reviews from ``offset`` of an ordered queryset of listing rows (or of
    ReviewPages), as ReviewPages with what their summaries need.

    The ids are picked first, from the listing's index, then only those pages are read.
    """
    ids = list(reviews.values_list("pk", flat=True)[offset : offset + limit])
    by_id = ReviewPage.objects.prefetch_related("themes").in_bulk(ids)
    return [by_id[pk] for pk in ids]


def _summary_blocks(reviews, context):
    """``(review, block)`` for each statement and report of ``reviews`` a caller may see.

    The blocks of all the reviews are serialised as one stream, so the pages and
    documents they link to are fetched once for the whole list rather than once
    per review; each block is then handed back with the review it came from.
    """
    owned = [
        (review, item)
        for review in reviews
        for item in raw_stream_data(review.body)
        if item.get("type") in SUMMARY_BLOCK_TYPES
    ]
    stream_block = ReviewPage._meta.get_field("body").stream_block
    combined = StreamValue(stream_block, [item for _, item in owned], is_lazy=True)
    serialised = serialize_stream(combined, context)
    return [
        (review, block)
        for (review, _), block in zip(owned, serialised, strict=True)
        if block is not None
    ]


def review_summaries(reviews, context):
    """Summaries of ``reviews`` (ReviewPage objects), in the given order."""
    statements = {review.pk: [] for review in reviews}
    reports = {review.pk: [] for review in reviews}
    for review, block in _summary_blocks(reviews, context):
        target = statements if block["type"] == "statement" else reports
        target[review.pk].append(block["value"])

    site_root_paths = Site.get_site_root_paths()
    return [
        {
            "id": review.pk,
            "title": review.title,
            "path": frontend_path(review.url_path, site_root_paths),
            "subject": review.subject,
            "review_type": review.review_type,
            "review_type_label": review.review_type_label,
            "date_published": review.date_published,
            "board": review.board,
            "themes": theme_names(review),
            "summary": review.summary,
            "latest_statement_date": review.latest_statement_date,
            "statements": statements[review.pk],
            "reports": reports[review.pk],
        }
        for review in reviews
    ]


def serialize_stream(stream_value, context):
    """A StreamField as ``[{type, id, value}]``, with links resolved in one batch.

    Report blocks whose document sits in a collection the caller may not see
    are left out entirely (their title alone can say too much): they come back
    as ``None``, so the list stays aligned with the stream's children.
    """
    targets = LinkTargets.for_raw_content(
        raw_stream_data(stream_value), request=(context or {}).get("request")
    )
    with resolved_links(targets):
        represented = stream_value.stream_block.get_api_representation(stream_value, context)
    documents = [
        child.value["document"]
        for child in stream_value
        if child.block_type == "report" and child.value["document"] is not None
    ]
    request = (context or {}).get("request")
    hidden_collections = hidden_collection_ids(request) if documents else set()
    return [
        None if _is_hidden(child, hidden_collections) else item
        for child, item in zip(stream_value, represented, strict=True)
    ]


def serialize_body(page, context):
    return [item for item in serialize_stream(page.body, context) if item is not None]


def _is_hidden(child, hidden_collections):
    if not hidden_collections or child.block_type != "report":
        return False
    document = child.value["document"]
    return document is not None and document.collection_id in hidden_collections
