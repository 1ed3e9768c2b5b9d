"""``GET /api/v3/sitemap/``: every live public page, for sitemap.xml and page discovery."""

from django.contrib.contenttypes.models import ContentType
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from wagtail.models import Page, Site

from . import schemas
from .conf import api_settings
from .links import frontend_path
from .openapi import anonymous_request
from .params import reject_unknown_params
from .serializers import last_updated_for_rows

router = Router(tags=["sitemap"], auth=anonymous_request)


class SitemapQuery(Schema):
    limit: int = Field(100, ge=1)
    offset: int = Field(0, ge=0)


@router.get(
    "/",
    response=schemas.SitemapListing,
    url_name="sitemap",
    summary="Every live public page",
    operation_id="sitemap_list",
    description="In tree order. Unknown query parameters are a 400.",
)
def sitemap(request, params: SitemapQuery = Query(...)):  # noqa: B008
    reject_unknown_params(request, SitemapQuery.model_fields)
    limit_max = api_settings.API_SITEMAP_LIMIT_MAX
    if params.limit > limit_max:
        raise HttpError(400, f"limit cannot be higher than {limit_max}")
    site = Site.find_for_request(request)
    if site is None:
        return {"count": 0, "items": []}
    pages = Page.objects.live().public().descendant_of(site.root_page, inclusive=True)
    rows = list(
        pages.order_by("path").values(
            "pk", "title", "url_path", "content_type_id", "last_published_at"
        )[params.offset : params.offset + params.limit]
    )
    last_updated = last_updated_for_rows(rows)  # a few queries for the whole slice
    site_root_paths = Site.get_site_root_paths()
    items = [
        {
            "id": row["pk"],
            "type": ContentType.objects.get_for_id(row["content_type_id"])
            .model_class()
            ._meta.label,
            "title": row["title"],
            "path": frontend_path(row["url_path"], site_root_paths),
            "last_published_at": row["last_published_at"],
            "last_updated": last_updated[row["pk"]],
        }
        for row in rows
    ]
    return {"count": pages.count(), "items": items}
