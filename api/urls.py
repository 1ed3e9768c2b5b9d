"""Mounts Wagtail's API v3 at /api/v3/ with the project's own routers and HTTP behaviour."""

from django.db import DatabaseError
from django.urls import re_path
from django.views.decorators.cache import never_cache
from pydantic import ValidationError
from wagtail.api.v3.urls import api

from . import preview, reviews, sitemap
from .http import (
    database_error,
    head_as_get,
    http_caching,
    not_found,
    page_detail_etag,
    problem_for_method_not_allowed,
    reject_blank_search,
    response_or_request_validation_error,
    server_error,
)
from .openapi import publish_valid_schema

# Routers must be added before api.urls is first read.
api.add_router("/reviews/", reviews.router)
api.add_router("/sitemap/", sitemap.router)
api.add_router("/page_preview/", preview.router)

# v3 re-raises unhandled errors when DEBUG is off, giving Django's HTML 500 page;
# API clients get problem+json instead.
api.exception_handler(Exception)(server_error)
api.exception_handler(ValidationError)(response_or_request_validation_error)
api.exception_handler(DatabaseError)(database_error)
publish_valid_schema(api)


def _with_http_behaviour(pattern):
    view = problem_for_method_not_allowed(pattern.callback)
    if pattern.name.startswith("list_"):
        view = reject_blank_search(view)
    if pattern.name == "page_preview":
        view = never_cache(view)
    elif pattern.name == "detail_page":
        view = http_caching(view, etag_func=page_detail_etag)
    else:
        view = http_caching(view)
    # Outermost, so a HEAD gets every header a GET would, ETags included.
    pattern.callback = head_as_get(view)
    return pattern


api_patterns, app_name, namespace = api.urls

urlpatterns = [
    re_path(
        r"^api/v3/",
        (
            [_with_http_behaviour(pattern) for pattern in api_patterns],
            app_name,
            namespace,
        ),
    ),
    # Anything else under /api/ is a problem+json 404, not the CMS's HTML page.
    re_path(r"^api/", not_found),
]
