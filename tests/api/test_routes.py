"""Every route of the API carries the HTTP behaviour declared for it (api/routes.py)."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import resolve
from wagtail.api.v3.api import api as wagtail_api

from api import routes
from api.urls import urlpatterns


def api_operations():
    """``(method, path, operation)`` for every operation the OpenAPI document describes."""
    schema = wagtail_api.get_openapi_schema()
    for path, path_item in schema["paths"].items():
        for method, operation in path_item.items():
            yield method, path, operation


def takes_search(operation):
    return any(
        parameter["in"] == "query" and parameter["name"] == "search"
        for parameter in operation.get("parameters", [])
    )


def a_url_for(path):
    """``path`` with each {parameter} filled in, enough to reach the route."""
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_url_pattern_has_its_declared_behaviour():
    api_v3 = urlpatterns[0]
    undeclared = [
        pattern.name
        for pattern in api_v3.url_patterns
        if not isinstance(getattr(pattern.callback, "http_behaviour", None), routes.HttpBehaviour)
    ]
    assert undeclared == []


def test_every_operation_that_takes_search_text_has_it_checked():
    unchecked = []
    for method, path, operation in api_operations():
        view = resolve(a_url_for(path)).func
        if not hasattr(view, "http_behaviour"):
            unchecked.append(f"{method.upper()} {path}: no declared HTTP behaviour")
        elif takes_search(operation) and not view.http_behaviour.checks_search:
            unchecked.append(f"{method.upper()} {path}: search text is not checked")
    assert unchecked == []


def test_search_text_of_spaces_is_a_400_on_every_operation_that_takes_it(db):
    client = Client(raise_request_exception=False)
    searched = [
        a_url_for(path)
        for method, path, operation in api_operations()
        if method == "get" and takes_search(operation)
    ]
    assert "/api/v3/reviews/" in searched and "/api/v3/pages/" in searched
    for url in searched:
        response = client.get(url, {"search": "  "})
        assert response.status_code == 400, url
        assert response["Content-Type"] == "application/problem+json", url


def test_drafts_and_page_details_have_their_own_caching():
    assert resolve("/api/v3/page_preview/").func.http_behaviour.caching is routes.Caching.NEVER
    detail = resolve("/api/v3/pages/1/").func.http_behaviour
    assert detail.caching is routes.Caching.PAGE_STATE


def test_a_declaration_for_a_route_that_does_not_exist_stops_the_urlconf(monkeypatch):
    monkeypatch.setitem(routes.ROUTE_BEHAVIOUR, "list_reviews_renamed", routes.HttpBehaviour())
    with pytest.raises(ImproperlyConfigured, match="list_reviews_renamed"):
        routes.with_declared_behaviour(urlpatterns[0].url_patterns)
