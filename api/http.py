"""HTTP behaviour of the API: caching headers, conditional GETs and problem+json errors.

Built from Django's own pieces (``condition``, ``ConditionalGetMiddleware``,
``patch_cache_control``); this module only decides which response gets what.
"""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.core.signals import got_request_exception
from django.db.models import Subquery
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, conditional_page
from ninja.errors import HttpError
from wagtail.api.v3.errors import PROBLEM_JSON, problem_response
from wagtail.models import ModelLogEntry, Page, PageLogEntry

logger = logging.getLogger(__name__)

# Part of every page ETag: bump when the shape of page responses changes, so
# clients holding an old ETag fetch the new shape instead of getting a 304.
RESPONSE_FORMAT_VERSION = "1"


def cache_max_age():
    return getattr(settings, "API_CACHE_MAX_AGE", 60)


def is_anonymous_read(request):
    """A GET/HEAD without credentials: the only kind of request shared caches may store."""
    return request.method in ("GET", "HEAD") and "HTTP_AUTHORIZATION" not in request.META


def page_detail_etag(request, page_id=None, **kwargs):
    """A strong ETag from the page's live revision and the site's latest logged change.

    The live revision covers the page's own content. A detail response also
    embeds other pages (breadcrumbs, an index's reviews, link targets) and
    documents; every publish, unpublish, move, delete, privacy change or
    document edit made through Wagtail is logged, so the newest log entry ids
    change the ETag whenever any of those might have changed. One query.
    """
    if page_id is None or not is_anonymous_read(request) or request.GET.get("version") == "draft":
        return None
    # This runs before ninja validates the path, so "abc" would reach the query and fail
    # outside the API's error handling; without an ETag, ninja answers its problem+json 422.
    if not (page_id.isascii() and page_id.isdigit()):
        return None
    latest_page_change = PageLogEntry.objects.order_by("-pk").values("pk")[:1]
    latest_model_change = ModelLogEntry.objects.order_by("-pk").values("pk")[:1]
    state = (
        Page.objects.filter(pk=page_id, live=True)
        .annotate(
            latest_page_change=Subquery(latest_page_change),
            latest_model_change=Subquery(latest_model_change),
        )
        .values_list("live_revision_id", "latest_page_change", "latest_model_change")
        .first()
    )
    if state is None or state[0] is None:
        return None
    query = request.GET.urlencode()
    digest = hashlib.sha256(
        f"{RESPONSE_FORMAT_VERSION}:{page_id}:{state}:{query}".encode()
    ).hexdigest()[:32]
    return f'"page-{page_id}-{digest}"'


def _cache_headers(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.has_header("Cache-Control") or request.method not in ("GET", "HEAD"):
            return response
        if not is_anonymous_read(request):
            # Token holders may see drafts: never let a shared cache keep that.
            patch_cache_control(response, private=True, no_store=True)
        elif response.status_code in (200, 302, 304):
            patch_cache_control(response, public=True, max_age=cache_max_age())
        else:
            # Errors are answered afresh. An ETag computed before the view found the page
            # hidden must not go out either (no-store also stops one being added later).
            patch_cache_control(response, no_store=True)
            del response["ETag"]
        return response

    return wrapper


def http_caching(view, etag_func=None):
    """Cache-Control for anonymous reads, an ETag, and 304 answers to If-None-Match.

    With ``etag_func`` the ETag is known before the view runs, so a matching
    If-None-Match skips building the response; otherwise it is a hash of the body.
    """
    if etag_func is not None:
        view = condition(etag_func=etag_func)(view)
    return conditional_page(_cache_headers(view))


def head_as_get(view):
    """HEAD answers what GET would, without the body (RFC 9110 §9.3.2): same status, ETag,
    caching headers and length. ninja routes only the methods an operation declares."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"
        if not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return wrapper


def problem_for_method_not_allowed(view):
    """ninja answers a wrong method with a plain-text 405; API clients get problem+json."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type") == PROBLEM_JSON:
            return response
        allowed = response.get("Allow", "")
        problem = problem_response(
            status=405, detail=f"{request.method} is not allowed here. Allowed: {allowed}."
        )
        problem["Allow"] = allowed
        return problem

    return wrapper


SEARCH_NOT_PARSED = (
    "The search text could not be parsed: search for words, without quotation marks or "
    "other special characters."
)


# How SQLite's FTS5 and PostgreSQL's tsquery parser word a query they cannot parse.
QUERY_SYNTAX_ERRORS = ("syntax error", "unterminated string", "tsquery")


def reject_blank_search(view):
    """A ``search`` of spaces alone breaks the search backend before any query: a 400."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        text = request.GET.get("search")
        if text and not text.strip():
            return problem_response(status=400, detail=SEARCH_NOT_PARSED)
        return view(request, *args, **kwargs)

    return wrapper


def database_error(request, exc):
    """The database parses search text only as a listing is evaluated, deep in ninja's
    pagination: a refusal of the caller's text is their 400, anything else (an outage) a 500."""
    refused = str(exc).lower()
    if request.GET.get("search") and any(word in refused for word in QUERY_SYNTAX_ERRORS):
        logger.info("The search backend refused %r: %s", request.GET["search"], exc)
        return problem_response(status=400, detail=SEARCH_NOT_PARSED)
    return server_error(request, exc)


def reject_unknown_params(request, allowed):
    """Unknown query parameters are a 400, so a typo never silently widens a result."""
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise HttpError(
            400,
            f"Unknown query parameter(s): {', '.join(unknown)}. "
            f"Allowed: {', '.join(sorted(allowed))}.",
        )


def server_error(request, exc):
    """A 500 in problem+json, whatever DEBUG says; details go to the log, not the caller."""
    logger.exception("Unhandled error in API request %s %s", request.method, request.path)
    got_request_exception.send(sender=None, request=request)
    detail = str(exc) if settings.DEBUG else "The server could not complete this request."
    return problem_response(status=500, detail=detail)


def response_or_request_validation_error(request, exc):
    """A response that fails its own schema is the server's fault (500), not the caller's (422).

    v3 answers every Pydantic ValidationError with 422, including those raised
    while ninja validates a view's result (its model is ``NinjaResponseSchema``)
    and errors raised inside field resolvers.
    """
    if exc.title == "NinjaResponseSchema":
        return server_error(request, exc)
    errors = [
        {key: value for key, value in error.items() if key != "input"} for error in exc.errors()
    ]
    return problem_response(status=422, detail="Validation failed", errors=errors)


def not_found(request, *args, **kwargs):
    response = problem_response(status=404, detail=f"No API endpoint matches {request.path}.")
    # Outside the API's own views, so it gets the no-store every error carries here.
    patch_cache_control(response, no_store=True)
    return response
