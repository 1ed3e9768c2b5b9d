"""Typed shapes of everything the API adds to stock Wagtail v3 output.

These are the shapes documented in docs/api.md. Declaring them (rather than
v3's default ``Any`` for StreamFields and non-model fields) puts them in the
OpenAPI document, so a client can be generated, and makes the response
validation catch a block that drifts from the contract.
"""

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field


class Problem(Schema):
    """RFC 9457 problem details: the body of every error answer (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str = ""
    errors: list[dict] | None = Field(None, description="Each invalid parameter, on a 422.")


class Breadcrumb(Schema):
    title: str
    path: str


class PageLink(Schema):
    id: int
    title: str
    path: str


class HeadingValue(Schema):
    text: str
    level: Literal[2, 3]


class StatementValue(Schema):
    # A draft may hold a statement whose date is not filled in yet; previews show drafts.
    date: datetime.date | None = Field(description="ISO date; null only in previews of drafts.")
    speaker: str
    role: str
    quote: str = Field(description="HTML; page links are frontend-relative paths.")


class DocumentReport(Schema):
    kind: Literal["document"]
    title: str
    url: str = Field(description="Absolute URL on the CMS, which serves the file.")
    filename: str
    extension: str
    content_type: str | None
    size_bytes: int | None
    page_count: int | None = Field(description="Number of pages, for PDFs.")
    link_text: str


class ExternalReport(Schema):
    kind: Literal["external"]
    url: str
    link_text: str
    site_name: str


Report = Annotated[DocumentReport | ExternalReport, Field(discriminator="kind")]


class Criterion(Schema):
    text: str
    sub_items: list[str]


class CriteriaListValue(Schema):
    intro: str
    items: list[Criterion]


class CitationValue(Schema):
    organisation: str
    title: str
    url: str | None


class _Block(Schema):
    id: str | None = None


class HeadingBlock(_Block):
    type: Literal["heading"]
    value: HeadingValue


class ParagraphBlock(_Block):
    type: Literal["paragraph"]
    value: str = Field(description="HTML; page links are frontend-relative paths.")


class StatementBlock(_Block):
    type: Literal["statement"]
    value: StatementValue


class ReportBlock(_Block):
    type: Literal["report"]
    value: Report


class CriteriaListBlock(_Block):
    type: Literal["criteria_list"]
    value: CriteriaListValue


class CitationBlock(_Block):
    type: Literal["citation"]
    value: CitationValue


ReviewBodyBlock = Annotated[
    HeadingBlock | ParagraphBlock | StatementBlock | ReportBlock, Field(discriminator="type")
]
GuidanceBodyBlock = Annotated[
    HeadingBlock | ParagraphBlock | CriteriaListBlock | CitationBlock,
    Field(discriminator="type"),
]


class ReviewSummary(Schema):
    """One review as listed on its index page and by the reviews listing."""

    id: int
    title: str
    path: str
    subject: str
    review_type: str
    review_type_label: str
    date_published: datetime.date
    board: str
    themes: list[str]
    summary: str
    latest_statement_date: datetime.date | None
    statements: list[StatementValue]
    reports: list[Report]


class FirstReviews(Schema):
    """The first of an index's reviews, up to ``limit``; the rest come from /api/v3/reviews/."""

    count: int
    limit: int
    items: list[ReviewSummary]


class ReviewsListing(Schema):
    count: int
    items: list[ReviewSummary]


class ReviewTypeOption(Schema):
    value: str
    label: str


class ReviewFilters(Schema):
    years: list[int]
    review_types: list[ReviewTypeOption]


class SitemapEntry(Schema):
    id: int
    type: str = Field(description="Page type, e.g. 'pages.ReviewPage'.")
    title: str
    path: str
    last_published_at: datetime.datetime | None
    last_updated: datetime.date | None


class SitemapListing(Schema):
    count: int
    items: list[SitemapEntry]


class GuidanceSection(PageLink):
    summary: str
    body: list[GuidanceBodyBlock]
