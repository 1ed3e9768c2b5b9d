"""Cache-Control, ETags and conditional GETs for the API's answers.

Built from Django's own pieces (``condition``, ``conditional_page``,
``patch_cache_control``); this module only decides which response gets what.
"""

import hashlib
from functools import wraps

from django.db.models import Subquery
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, conditional_page
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from .conf import api_settings

# Part of every page ETag: bump when the shape of page responses changes, so
# clients holding an old ETag fetch the new shape instead of getting a 304.
RESPONSE_FORMAT_VERSION = "1"


def is_anonymous_read(request):
    """A GET/HEAD without credentials: the only kind of request shared caches may store."""
    return request.method in ("GET", "HEAD") and "HTTP_AUTHORIZATION" not in request.META


def page_detail_etag(request, page_id=None, **kwargs):
    """A strong ETag from the page's live revision and the site's latest logged change.

    The live revision covers the page's own content. A detail response also
    embeds other pages (breadcrumbs, an index's reviews, link targets) and
    documents; every publish, unpublish, move, delete, privacy change or
    document edit made through Wagtail is logged, as is every complete site
    audit stored (the accessibility statement is built from it), so the newest
    log entry ids change the ETag whenever any of those might have changed.
    One query.
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
    # Some answers change with the date alone: the accessibility statement stops trusting an
    # audit once it is too old. A new ETag each day costs one full answer per page a day.
    today = timezone.localdate().isoformat()
    digest = hashlib.sha256(
        f"{RESPONSE_FORMAT_VERSION}:{page_id}:{state}:{query}:{today}".encode()
    ).hexdigest()[:32]
    return f'"page-{page_id}-{digest}"'


def _with_cache_control(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.has_header("Cache-Control") or request.method not in ("GET", "HEAD"):
            return response
        if not is_anonymous_read(request):
            # Token holders may see drafts: never let a shared cache keep that.
            patch_cache_control(response, private=True, no_store=True)
        elif response.status_code in (200, 302, 304):
            patch_cache_control(response, public=True, max_age=api_settings.API_CACHE_MAX_AGE)
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
    return conditional_page(_with_cache_control(view))
