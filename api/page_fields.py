"""Typed, batched page fields added to Wagtail v3's page schemas.

v3 builds each page type's read schema from its ``api_fields``: model fields
get their real types, but StreamFields become ``list[Any]`` and names that are
not model fields (``reviews``, ``sections``…) become ``Any`` read straight off
the instance. Here those schemas are extended before v3's pages router is
imported (it builds its response union from them at import time), so that:

- every page gains ``path``, ``breadcrumbs``, ``last_updated`` and a link to the site's
  ``accessibility_statement``;
- StreamFields and the extra fields named in a model's ``api_fields`` get the
  typed shapes of ``api.schemas`` and resolvers that batch their queries;
- an exception inside a resolver is never mistaken for a missing attribute.
  Pydantic reads fields with ``getattr`` and treats ``AttributeError`` as
  "not set", so a block raising one would silently come out as ``body: []``.
"""

import datetime
import functools
import sys

from django.core.exceptions import ImproperlyConfigured
from wagtail.api import APIField
from wagtail.api.v3.registry import registry
from wagtail.api.v3.schemas.generators.read import read_generator
from wagtail.models import get_page_models

from pages.models import (
    AccessibilityStatementPage,
    GuidancePage,
    HomePage,
    ReviewIndexPage,
    ReviewPage,
)

from . import schemas, serializers
from .conf import api_settings


class FieldResolutionError(RuntimeError):
    """A field's resolver failed; raised instead of the AttributeError Pydantic would swallow."""


def _raising_resolution_errors(name, resolver):
    """``resolver``, raising FieldResolutionError where it would raise AttributeError."""

    @functools.wraps(resolver)
    def wrapper(obj, context):
        try:
            return resolver(obj, context)
        except AttributeError as error:
            raise FieldResolutionError(
                f"Could not build '{name}' of {type(obj).__name__} {obj.pk}: {error}"
            ) from error

    return staticmethod(wrapper)


def _path(page, context):
    return serializers.page_path(page)


def _breadcrumbs(page, context):
    return serializers.breadcrumbs(page)


def _last_updated(page, context):
    return serializers.last_updated(page)


def _body(page, context):
    return serializers.serialize_body(page, context)


def _review_type_label(page, context):
    return page.review_type_label


def _themes(page, context):
    return serializers.theme_names(page)


def _sections(page, context):
    # The statement is linked from every page's footer, not listed as a section.
    return serializers.child_links(page, exclude_type=AccessibilityStatementPage)


def _guidance_pages(page, context):
    return serializers.guidance_sections(page, context)


def _reviews(page, context):
    """The index's first reviews; the rest come from /api/v3/reviews/."""
    reviews = serializers.listed_reviews(page)
    limit = api_settings.LISTING_PAGE_SIZE
    first_reviews = serializers.slice_of_reviews(reviews, 0, limit)
    return {
        "count": reviews.count(),
        "limit": limit,
        "items": serializers.review_summaries(first_reviews, context),
    }


def _filters(page, context):
    return serializers.review_filters(page)


def _accessibility_statement(page, context):
    return serializers.accessibility_statement_link(page)


def _compliance(page, context):
    facts = api_settings.API_ACCESSIBILITY_COMPLIANCE
    if facts is None:
        return schemas.StatementCompliance(
            status="not-assessed",
            standard="WCAG 2.2 AA",
            caveats=["never-audited"],
            audit=None,
            non_compliances=[],
            documents=[],
        )
    return facts()


COMMON_FIELDS = {
    "path": (str | None, None, _path),
    "breadcrumbs": (list[schemas.Breadcrumb], [], _breadcrumbs),
    "last_updated": (datetime.date | None, None, _last_updated),
    # Every page links to the statement (the regulations ask for it on every page).
    "accessibility_statement": (schemas.PageLink | None, None, _accessibility_statement),
}

# Typed versions of fields named in each model's api_fields.
MODEL_FIELDS = {
    HomePage: {"sections": (list[schemas.PageLink], [], _sections)},
    ReviewIndexPage: {
        "guidance_pages": (list[schemas.GuidanceSection], [], _guidance_pages),
        "reviews": (schemas.FirstReviews, ..., _reviews),
        "filters": (schemas.ReviewFilters, ..., _filters),
    },
    ReviewPage: {
        "review_type_label": (str, ..., _review_type_label),
        "themes": (list[str], [], _themes),
        "body": (list[schemas.ReviewBodyBlock], ..., _body),
    },
    GuidancePage: {"body": (list[schemas.GuidanceBodyBlock], ..., _body)},
    AccessibilityStatementPage: {"compliance": (schemas.StatementCompliance, ..., _compliance)},
}


def extend_page_schemas():
    """Swap each page type's registered read schema for the extended one."""
    if "wagtail.api.v3.routers.pages" in sys.modules:
        raise ImproperlyConfigured(
            "wagtail.api.v3's pages router was imported before the API app could extend the "
            "page schemas; list 'api' above the wagtail apps in INSTALLED_APPS."
        )
    for model in get_page_models():
        registration = registry.get(model._meta.label)
        if registration is None or registration.read_schema is None:
            continue
        declared = {field.name for field in APIField.get_fields_for_model(model)}
        typed = {
            name: field for name, field in MODEL_FIELDS.get(model, {}).items() if name in declared
        }
        fields = {
            name: (annotation, default, _raising_resolution_errors(name, resolver))
            for name, (annotation, default, resolver) in {**COMMON_FIELDS, **typed}.items()
        }
        registration.read_schema = read_generator.extend_schema(
            registration.read_schema, registration.read_schema.__name__, fields
        )
