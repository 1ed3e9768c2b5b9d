"""The headless glue, set up in one place when Django starts: typed page schemas, the
project's API routers and error answers, and revalidation of the frontend on publish.

Wagtail admin hooks (link handlers, the preview's content checker) are in wagtail_hooks.py.
"""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Headless content API"

    def ready(self):
        # wagtail.api.v3 builds its page response schemas once, when its pages router is first
        # imported, and Wagtail's documents, images, snippets, redirects and locales apps import
        # it from their own ready(). Page schemas can only be extended before that, so "api"
        # must come above those apps in INSTALLED_APPS; extend_page_schemas() raises
        # ImproperlyConfigured when it runs too late rather than silently changing nothing.
        from .page_fields import extend_page_schemas

        extend_page_schemas()
        self._add_routers_and_error_answers()
        self._revalidate_the_frontend_on_changes()

    def _add_routers_and_error_answers(self):
        from django.db import DatabaseError
        from pydantic import ValidationError
        from wagtail.api.v3.api import api

        from . import preview, reviews, sitemap
        from .openapi import publish_valid_schema
        from .problems import database_error, response_or_request_validation_error, server_error

        api.add_router("/reviews/", reviews.router)
        api.add_router("/sitemap/", sitemap.router)
        api.add_router("/page_preview/", preview.router)
        # v3 re-raises unhandled errors when DEBUG is off, giving Django's HTML 500 page;
        # API clients get problem+json instead.
        api.exception_handler(Exception)(server_error)
        api.exception_handler(ValidationError)(response_or_request_validation_error)
        api.exception_handler(DatabaseError)(database_error)
        publish_valid_schema(api)

    def _revalidate_the_frontend_on_changes(self):
        from django.db.models.signals import post_delete, post_save, pre_delete
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import (
            page_published,
            page_slug_changed,
            page_unpublished,
            post_page_move,
        )

        from . import signal_handlers as handlers

        page_published.connect(
            handlers.revalidate_on_publish_or_unpublish, dispatch_uid="revalidate-on-publish"
        )
        page_unpublished.connect(
            handlers.revalidate_on_publish_or_unpublish, dispatch_uid="revalidate-on-unpublish"
        )
        post_page_move.connect(handlers.revalidate_on_move, dispatch_uid="revalidate-on-move")
        page_slug_changed.connect(
            handlers.revalidate_on_slug_change, dispatch_uid="revalidate-on-slug-change"
        )
        pre_delete.connect(
            handlers.revalidate_on_delete, sender=Page, dispatch_uid="revalidate-on-delete"
        )
        post_save.connect(
            handlers.revalidate_on_view_restriction_change,
            sender=PageViewRestriction,
            dispatch_uid="revalidate-on-view-restriction-save",
        )
        post_delete.connect(
            handlers.revalidate_on_view_restriction_change,
            sender=PageViewRestriction,
            dispatch_uid="revalidate-on-view-restriction-delete",
        )
