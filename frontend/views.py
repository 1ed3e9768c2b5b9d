"""Routes: every content path, documents, previews, revalidation, the sitemap and robots.txt."""

import logging
from dataclasses import dataclass
from urllib.parse import unquote, urlencode, urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    render_template,
    request,
)
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from .api_client import ApiError, FiltersRejected, PageNotFound
from .cache import CmsUnavailable
from .redirects import canonical_path, has_control_characters, same_site_path, site_redirect
from .revalidation import SignatureMissing, SignatureRejected, signing_time, verify

log = logging.getLogger(__name__)

site = Blueprint("site", __name__)

# The template for each page type the API can return.
TEMPLATES = {
    "pages.HomePage": "home.html",
    "pages.ReviewIndexPage": "review_index.html",
    "pages.ReviewPage": "review.html",
    "pages.GuidancePage": "guidance.html",
    "pages.AccessibilityStatementPage": "accessibility_statement.html",
}


@dataclass(frozen=True)
class ReviewFilter:
    """One of the index's filters."""

    name: str  # the query parameter, the API's parameter and the form field's id
    label: str
    error: str  # the form's message when the CMS refuses the value
    any_text: str = ""  # a select's first item, for no filter; the search box has none


REVIEW_FILTERS = (
    ReviewFilter(
        "search", "Search reviews", "Search for words only, without quotation marks or symbols"
    ),
    ReviewFilter("year", "Year published", "Year published must be a year, like 2017", "All years"),
    ReviewFilter(
        "review_type",
        "Type of review",
        "Type of review must be one of the types in the list",
        "All types of review",
    ),
    ReviewFilter(
        "board",
        "Lead board or partnership",
        "Lead board or partnership must be one in the list",
        "All boards and partnerships",
    ),
    ReviewFilter("theme", "Theme", "Theme must be one of the themes in the list", "All themes"),
)
# Longer filter values are no board, theme or search anyone typed: refused before the CMS.
FILTER_MAX_LENGTH = 200


class UnknownPageType(Exception):
    """The CMS has a page type this site has no template for."""


def cms():
    return current_app.extensions["cms"]


@site.get("/robots.txt")
def robots_txt():
    sitemap_url = f"{current_app.config['FRONTEND_URL']}/sitemap.xml"
    body = f"User-agent: *\nDisallow: /preview\nDisallow: /_revalidate\nSitemap: {sitemap_url}\n"
    return Response(body, mimetype="text/plain")


@site.get("/sitemap.xml")
def sitemap_xml():
    pages = cms().sitemap_items()
    xml = render_template("sitemap.xml", pages=pages, root=current_app.config["FRONTEND_URL"])
    return Response(xml, mimetype="application/xml")


@site.post("/_revalidate")
def revalidate():
    """Called by the CMS on publish, unpublish, move, delete and privacy changes, signed with
    the shared secret. Each signed call is accepted once."""
    config = current_app.config
    if not config["REVALIDATE_SECRET"]:
        return jsonify(error="revalidation is not configured: set REVALIDATE_SECRET"), 404
    timestamp = request.headers.get("X-Revalidate-Timestamp")
    signature = request.headers.get("X-Revalidate-Signature")
    max_age = config["REVALIDATE_MAX_AGE_SECONDS"]
    limit = config["REVALIDATE_MAX_BODY_BYTES"]
    try:
        signed_at = signing_time(timestamp, signature, max_age)  # before reading the body
        body = _request_body(limit)
        verify(config["REVALIDATE_SECRET"], timestamp, signature, body, max_age)
    except SignatureMissing as error:
        return jsonify(error=str(error)), 401
    except SignatureRejected as error:
        log.warning("Revalidation refused: %s", error)
        return jsonify(error=str(error)), 403
    except RequestEntityTooLarge:
        log.warning("Revalidation refused: a body over %s bytes", limit)
        return jsonify(error=f"the body is larger than {limit} bytes"), 413
    # Remembered until the signature expires, when its timestamp alone will refuse it.
    if not current_app.extensions["storage"].signatures.first_sighting(
        signature, signed_at + max_age
    ):
        log.warning("Revalidation refused: a replay of a call already received")
        return jsonify(error="this signed call has already been received"), 409
    payload = request.get_json(force=True, silent=True)
    paths = payload.get("paths") if isinstance(payload, dict) else None
    if not isinstance(paths, list) or not all(
        isinstance(path, str) and path.startswith("/") for path in paths
    ):
        return jsonify(error='expected {"paths": ["/a/path/", ...]}'), 400
    cms().revalidate(paths)
    log.info("Revalidated %s", ", ".join(paths))
    return jsonify(revalidated=paths)


def _request_body(limit: int) -> bytes:
    """The request's body, read no further than one byte past ``limit``; a larger body
    raises ``RequestEntityTooLarge``.

    Werkzeug refuses a Content-Length over its maximum without reading, but stops reading a
    chunked body at the maximum without a word: the byte past the limit tells.
    """
    request.max_content_length = limit + 1
    body = request.get_data()
    if len(body) > limit:
        raise RequestEntityTooLarge()
    return body


@site.get("/preview")
def preview():
    """A draft, rendered like the live page, for Wagtail's preview panel."""
    g.is_preview = True
    content_type = request.args.get("content_type", "")
    token = request.args.get("token", "")
    if not content_type or not token:
        return error_page(404, "preview_not_found.html")
    try:
        page = cms().preview(content_type, token)
    except PageNotFound:
        return error_page(404, "preview_not_found.html")
    userbar = cms().userbar_html()
    response = render_page(page, preview=True, userbar=Markup(userbar) if userbar else None)
    response.headers["Cache-Control"] = "no-store"
    return response


@site.get("/documents/<int:document_id>/<filename>")
def document(document_id, filename):
    """A document from the CMS, under this site's address, as Wagtail's view serves it (its
    privacy checks, headers and conditional answers), without its bogus Content-Encoding."""
    # Wagtail's ids are 32-bit; its names one path segment, never "." or "..", which a
    # URL resolves to another path on the CMS.
    if (
        document_id > 2**31 - 1
        or filename in (".", "..")
        or len(filename) > 255
        or has_control_characters(filename)
    ):
        abort(404)
    download = cms().document(document_id, filename, method=request.method, headers=request.headers)
    response = Response(download.chunks(), status=download.status, direct_passthrough=True)
    # Flask's own Content-Type default must not stand in for a missing one.
    del response.headers["Content-Type"]
    response.headers.update(download.headers)
    # A generator never started (HEAD, a 304) does not close the CMS's answer itself.
    response.call_on_close(download.close)
    return response


@site.get("/", defaults={"path": ""})
@site.get("/<path:path>")
def page(path):
    if has_control_characters(path):
        abort(404)
    canonical = canonical_path(path)
    if request.path != canonical:
        return site_redirect(canonical, request.query_string, permanent=True)
    try:
        response = render_page(cms().page(canonical))
    except PageNotFound:
        # Moving or renaming a page leaves a redirect from its old path in the CMS.
        response = moved_page_redirect(canonical)
    # Each render carries a fresh CSP nonce, so browsers must not reuse an old body;
    # the frontend's own API cache keeps re-rendering cheap. Redirects too: a page moved
    # back must not be stuck behind a 301 that browsers keep for good.
    response.headers["Cache-Control"] = "public, no-cache"
    return response


def moved_page_redirect(path: str) -> Response:
    """A 301 or 302 to where the CMS's redirect for ``path`` leads, on this site only."""
    try:
        found = cms().redirect(path)
    except CmsUnavailable:
        # The CMS's latest word is that no page is here; while its redirects cannot be
        # read, that 404 is still the best answer.
        found = None
    if found is None:
        raise PageNotFound(path)
    link, permanent = found
    target = same_site_path(link, current_app.config["FRONTEND_URL"])
    target = urlsplit(target) if target else None
    if target is None or canonical_path(unquote(target.path)) == path:
        log.warning("Not following the CMS's redirect from %s to %r", path, link)
        raise PageNotFound(path)
    return site_redirect(unquote(target.path), target.query, permanent=permanent)


def render_page(page: dict, *, preview: bool = False, userbar=None) -> Response:
    page_type = page.get("meta", {}).get("type")
    template = TEMPLATES.get(page_type)
    if template is None:
        raise UnknownPageType(page_type)
    context = {"page": page, "preview": preview, "userbar": userbar}
    status = 200
    if page_type == "pages.ReviewIndexPage":
        context.update(review_listing(page))
        if context["filter_errors"]:
            # The reader's filters, not the page, are wrong: say which, with the form to fix them.
            template, status = "review_index_filter_errors.html", 400
    return Response(render_template(template, **context), status=status)


def review_listing(index: dict) -> dict:
    """The reviews to show on an index, with its filter form: the first page from its detail,
    or a page of the reviews matching the reader's filters.

    Filter values of the wrong kind come back as ``filter_errors`` (the form's message for
    each such field); a value of the right kind that matches nothing is an empty listing.
    """
    first_page = index.get("reviews") or {"count": 0, "items": []}
    per_page = first_page.get("limit") or current_app.config["REVIEWS_PER_PAGE_FALLBACK"]
    options = _filter_options(index.get("filters") or {})
    chosen = {f.name: request.args.get(f.name, "").strip() for f in REVIEW_FILTERS}
    chosen = {name: value for name, value in chosen.items() if value}
    page_number = _page_number(request.args.get("page"))
    # Filters only narrow the index's listing, so its page count bounds every filtered one
    # (and keeps the offset asked of the CMS within what it accepts).
    if page_number > _page_count(first_page["count"], per_page):
        abort(404)
    listing = {
        "review_filters": REVIEW_FILTERS,
        "filter_options": options,
        "chosen_filters": chosen,
        # What each chosen value reads as, in the title, the results and the form.
        "chosen_texts": {
            name: f"“{value}”" if name == "search" else dict(options[name]).get(value, value)
            for name, value in chosen.items()
        },
        "total_count": first_page["count"],
        "filter_errors": {},
    }
    try:
        reviews = _reviews_page(index, first_page, chosen, page_number, per_page)
    except FiltersRejected as rejected:
        listing["filter_errors"] = {
            f.name: f.error for f in REVIEW_FILTERS if f.name in rejected.names
        }
        return listing
    page_count = _page_count(reviews["count"], per_page)
    if page_number > page_count:
        abort(404)
    listing.update(
        reviews=reviews["items"],
        review_count=reviews["count"],
        pagination=_pagination(page_number, page_count, chosen),
    )
    return listing


def _reviews_page(index, first_page, chosen, page_number, per_page) -> dict:
    """One page of the index's reviews, filtered by ``chosen``; the first, unfiltered, comes
    with the index itself. Raises ``FiltersRejected`` for values no filter can take."""
    if not chosen and page_number == 1:
        return first_page
    unusable = {
        name
        for name, value in chosen.items()
        if len(value) > FILTER_MAX_LENGTH or has_control_characters(value)
    }
    if unusable:
        raise FiltersRejected(unusable)
    return cms().reviews(
        _page_path(index),
        child_of=index["id"],
        **chosen,
        limit=per_page,
        offset=(page_number - 1) * per_page,
    )


def _filter_options(filters: dict) -> dict:
    """Each filter's choices as (value, text) pairs, from the index's ``filters``."""
    return {
        "year": [(str(year), str(year)) for year in filters.get("years", [])],
        "review_type": [(kind["value"], kind["label"]) for kind in filters.get("review_types", [])],
        "board": [(board, board) for board in filters.get("boards", [])],
        "theme": [(theme["value"], theme["label"]) for theme in filters.get("themes", [])],
    }


def _page_number(value) -> int:
    if value is None:
        return 1
    if not value.isdigit() or int(value) < 1:
        abort(404)
    return int(value)


def _page_count(review_count: int, per_page: int) -> int:
    return max(1, -(-review_count // per_page))


def _pagination(page_number, page_count, chosen):
    if page_count == 1:
        return None

    def link(number):
        args = dict(chosen)
        if number > 1:
            args["page"] = number
        return request.path + (f"?{urlencode(args)}" if args else "")

    return {
        "number": page_number,
        "count": page_count,
        "previous": {"href": link(page_number - 1)} if page_number > 1 else None,
        "next": {"href": link(page_number + 1)} if page_number < page_count else None,
        "items": [
            {"number": n, "href": link(n), "current": n == page_number}
            for n in range(1, page_count + 1)
        ],
    }


def _page_path(page: dict) -> str:
    return page.get("path") or request.path


def error_page(status: int, template: str, **headers) -> Response:
    response = Response(render_template(f"errors/{template}"), status=status)
    response.headers.update(headers)
    response.headers["Cache-Control"] = "no-store"
    return response


def register_error_pages(app):
    """Readers get an accessible GOV.UK page for every failure, never a stack trace."""

    @app.errorhandler(404)
    @app.errorhandler(PageNotFound)
    def not_found(error):
        return error_page(404, "404.html")

    @app.errorhandler(405)
    def method_not_allowed(error):
        # RFC 9110 requires a 405 to say which methods the resource does support.
        return error_page(405, "405.html", Allow=", ".join(error.valid_methods or ()))

    @app.errorhandler(CmsUnavailable)
    def unavailable(error):
        return error_page(
            503, "503.html", **{"Retry-After": str(app.config["RETRY_AFTER_SECONDS"])}
        )

    @app.errorhandler(UnknownPageType)
    def unknown_page_type(error):
        log.error("No template for page type %r at %s", error.args[0], request.path)
        return error_page(500, "500.html")

    @app.errorhandler(ApiError)
    def api_error(error):
        log.error("API request failed for %s: %s", request.path, error)
        return error_page(500, "500.html")

    @app.errorhandler(500)
    def server_error(error):
        return error_page(500, "500.html")
