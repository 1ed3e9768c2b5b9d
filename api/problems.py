"""Errors answered as RFC 9457 problem+json, whatever went wrong and wherever.

v3 answers its own errors this way; these cover what it leaves to Django (an
unhandled exception, a wrong method, an unknown path) or answers wrongly (a
response failing its own schema, search text the database refuses).
"""

import logging
from functools import wraps

from django.conf import settings
from django.core.signals import got_request_exception
from django.utils.cache import patch_cache_control
from wagtail.api.v3.errors import PROBLEM_JSON, problem_response

from .params import SEARCH_NOT_PARSED

logger = logging.getLogger(__name__)

# How SQLite's FTS5 and PostgreSQL's tsquery parser word a query they cannot parse.
QUERY_SYNTAX_ERRORS = ("syntax error", "unterminated string", "tsquery")


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


def server_error(request, exc):
    """A 500 in problem+json, whatever DEBUG says; details go to the log, not the caller."""
    logger.exception("Unhandled error in API request %s %s", request.method, request.path)
    got_request_exception.send(sender=None, request=request)
    detail = str(exc) if settings.DEBUG else "The server could not complete this request."
    return problem_response(status=500, detail=detail)


def database_error(request, exc):
    """The database parses search text only as a listing is evaluated, deep in ninja's
    pagination: a refusal of the caller's text is their 400, anything else (an outage) a 500."""
    refused = str(exc).lower()
    if request.GET.get("search") and any(word in refused for word in QUERY_SYNTAX_ERRORS):
        logger.info("The search backend refused %r: %s", request.GET["search"], exc)
        return problem_response(status=400, detail=SEARCH_NOT_PARSED)
    return server_error(request, exc)


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
