"""Checks of the query parameters a caller sends, answered as problem+json 400s."""

from functools import wraps

from ninja.errors import HttpError
from wagtail.api.v3.errors import problem_response

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
