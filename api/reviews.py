"""``GET /api/v3/reviews/``: review summaries, newest first, filtered and paginated."""

from typing import Literal

from django.db.models import Q
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from wagtail.search.backends import get_search_backend

from pages.models import (
    NEWEST_FIRST,
    ReviewIndexPage,
    ReviewListing,
    ReviewPage,
    ReviewPageTag,
    ReviewType,
)

from . import schemas, serializers
from .conf import api_settings
from .openapi import anonymous_request
from .params import reject_unknown_params

router = Router(tags=["reviews"], auth=anonymous_request)

ReviewTypeValue = Literal[tuple(ReviewType.values)]  # ty: ignore[invalid-type-form]


class ReviewQuery(Schema):
    # Page ids are 32-bit integers (Wagtail's page table); larger ones cannot match.
    child_of: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Only reviews under this index page."
    )
    year: int | None = Field(None, ge=1900, le=2999, description="Year of publication.")
    review_type: ReviewTypeValue | None = None
    board: str | None = Field(None, description="Lead board or partnership, exact, any case.")
    theme: str | None = Field(None, description="A theme's name or slug.")
    search: str | None = Field(None, description="Words to find, via the site search backend.")
    limit: int = Field(api_settings.LISTING_PAGE_SIZE, ge=1)
    offset: int = Field(0, ge=0)


ALLOWED_PARAMS = set(ReviewQuery.model_fields)


def filtered_reviews(params):
    """The listing rows (``ReviewListing``: live, public reviews) that match ``params``,
    newest first; counting them or taking a page of them reads one index, not the pages."""
    listing = ReviewListing.objects.all()
    if params.child_of is not None:
        if not ReviewIndexPage.objects.live().public().filter(pk=params.child_of).exists():
            raise Http404(f"No public review index page has the id {params.child_of}.")
        listing = listing.filter(index_id=params.child_of)
    if params.year is not None:
        listing = listing.filter(date_published__year=params.year)
    if params.review_type is not None:
        listing = listing.filter(review_type=params.review_type)
    if params.board:
        listing = listing.filter(board_key=params.board.strip().casefold())
    if params.theme:
        theme = params.theme.strip()
        tagged = ReviewPageTag.objects.filter(
            Q(tag__name__iexact=theme) | Q(tag__slug=theme.lower())
        ).values("content_object_id")
        listing = listing.filter(review__in=tagged)
    if params.search:
        # The search backend cannot filter on every field, so it only narrows the ids
        # and the listing keeps its newest-first order.
        matches = get_search_backend().search(
            params.search, ReviewPage.objects.live(), order_by_relevance=False
        )
        listing = listing.filter(review__in=[page.pk for page in matches])
    return listing.order_by(*NEWEST_FIRST)


@router.get(
    "/",
    response=schemas.ReviewsListing,
    url_name="list_reviews",
    summary="List reviews",
    operation_id="reviews_list",
    description="Review summaries, newest first. Unknown query parameters are a 400.",
)
def list_reviews(request, params: ReviewQuery = Query(...)):  # noqa: B008
    reject_unknown_params(request, ALLOWED_PARAMS)
    limit_max = api_settings.WAGTAILAPI_LIMIT_MAX
    if limit_max is not None and params.limit > limit_max:
        raise HttpError(400, f"limit cannot be higher than {limit_max}")
    reviews = filtered_reviews(params)
    requested = serializers.slice_of_reviews(reviews, params.offset, params.limit)
    return {
        "count": reviews.count(),
        "items": serializers.review_summaries(requested, {"request": request}),
    }
