"""Checks of the query parameters a caller sends, answered as problem+json 400s."""

import re
from functools import wraps

from ninja.errors import HttpError
from wagtail.api.v3.errors import problem_response

from .conf import api_settings

SITE_WITH_PORT = re.compile(r"[^:]*:[0-9]{1,5}")
SEARCH_NOT_PARSED = (
    "The search text could not be parsed: search for words, without quotation marks or "
    "other special characters."
)


def reject_unknown_params(request, allowed):
    """Unknown query parameters are a 400, so a typo never silently widens a result."""
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise HttpError(
            400,
            f"Unknown query parameter(s): {', '.join(unknown)}. "
            f"Allowed: {', '.join(sorted(allowed))}.",
        )


def reject_blank_search(view):
    """A ``search`` of spaces alone breaks the search backend before any query: a 400."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        text = request.GET.get("search")
        if text and not text.strip():
            return problem_response(status=400, detail=SEARCH_NOT_PARSED)
        return view(request, *args, **kwargs)

    return wrapper


def reject_unusable_shared_parameters(view):
    """Parameters several of Wagtail's routes share, checked before they reach the database
    (which fails on them rather than finding nothing): an ``offset`` past API_OFFSET_MAX,
    and a ``site`` whose port is not a number. Each is a 400; text where a number belongs
    is left to ninja's 422."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        offset = request.GET.get("offset", "")
        if offset.isascii() and offset.isdigit() and int(offset) > api_settings.API_OFFSET_MAX:
            return problem_response(
                status=400, detail=f"offset cannot be higher than {api_settings.API_OFFSET_MAX}"
            )
        site = request.GET.get("site", "")
        if ":" in site and not SITE_WITH_PORT.fullmatch(site):
            return problem_response(
                status=400, detail="site is a host name, optionally followed by :port"
            )
        return view(request, *args, **kwargs)

    return wrapper
