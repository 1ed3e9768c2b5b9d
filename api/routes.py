"""The HTTP behaviour of each route under /api/v3/, declared route by route.

Every route answers a wrong method with problem+json, an offset past the bound or a
malformed site with a 400, and a HEAD as its GET would. What differs between routes is declared in
``ROUTE_BEHAVIOUR``, keyed by the URL name ninja gives the route (its operation's
``url_name``): how its reads are cached, and whether it takes ``search`` text that
must be checked before it reaches the search backend. Routes not listed there are
cached the shared way.
"""

import enum
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.cache import never_cache

from .caching import http_caching, page_detail_etag
from .params import reject_blank_search, reject_unusable_shared_parameters
from .problems import problem_for_method_not_allowed


class Caching(enum.Enum):
    # Anonymous reads may be kept by shared caches; the ETag is a hash of the body.
    SHARED = "shared"
    # As SHARED, but the ETag comes from the page's state before the view runs,
    # so a matching If-None-Match is answered without building the page.
    PAGE_STATE = "page state"
    # Never stored anywhere: the answer is a draft.
    NEVER = "never"


@dataclass(frozen=True)
class HttpBehaviour:
    caching: Caching = Caching.SHARED
    # The route takes a ``search`` parameter: text of spaces alone is a 400.
    checks_search: bool = False

    def wrap(self, view):
        view = problem_for_method_not_allowed(reject_unusable_shared_parameters(view))
        if self.checks_search:
            view = reject_blank_search(view)
        if self.caching is Caching.NEVER:
            view = never_cache(view)
        elif self.caching is Caching.PAGE_STATE:
            view = http_caching(view, etag_func=page_detail_etag)
        else:
            view = http_caching(view)
        # Outermost, so a HEAD gets every header a GET would, ETags included.
        view = head_as_get(view)
        view.http_behaviour = self
        return view


SEARCHABLE_LISTING = HttpBehaviour(checks_search=True)

ROUTE_BEHAVIOUR = {
    "list_pages": SEARCHABLE_LISTING,
    "list_documents": SEARCHABLE_LISTING,
    "list_images": SEARCHABLE_LISTING,
    "list_reviews": SEARCHABLE_LISTING,
    "detail_page": HttpBehaviour(caching=Caching.PAGE_STATE),
    "page_preview": HttpBehaviour(caching=Caching.NEVER),
}

DEFAULT_BEHAVIOUR = HttpBehaviour()


def with_declared_behaviour(patterns):
    """ninja's URL patterns for the API, each view wrapped in its route's behaviour.

    A declaration naming no route (a route renamed or removed) stops the URLconf
    loading, so a route cannot quietly lose what was declared for it.
    """
    stale = ROUTE_BEHAVIOUR.keys() - {pattern.name for pattern in patterns}
    if stale:
        raise ImproperlyConfigured(
            f"api.routes.ROUTE_BEHAVIOUR declares routes the API does not have: "
            f"{', '.join(sorted(stale))}."
        )
    for pattern in patterns:
        pattern.callback = ROUTE_BEHAVIOUR.get(pattern.name, DEFAULT_BEHAVIOUR).wrap(
            pattern.callback
        )
    return patterns


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
