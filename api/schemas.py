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


class DocumentAccessibility(Schema):
    """The document's PDF accessibility check, for GOV.UK's attachment notice."""

    status: Literal["passed", "failed", "not-checked", "could-not-check", "not-applicable"] = Field(
        description=(
            "passed or failed the automated PDF checks; not-checked yet (the check runs "
            "in the background after each upload); could-not-check (e.g. it needs a "
            "password, or is damaged); not-applicable: not a PDF. Readers are told the "
            "file may not suit assistive technology unless it passed."
        )
    )
    problems: list[str] = Field(
        description="What the check found wrong, one sentence each; empty unless failed or "
        "could-not-check."
    )
    request_email: str | None = Field(
        description="Where readers ask for an accessible format (the site's setting, "
        "Settings → Accessible formats); null when not set."
    )


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
    accessibility: DocumentAccessibility


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


class ThemeOption(Schema):
    value: str = Field(description="The theme's slug, as the theme filter takes it.")
    label: str


class ReviewFilters(Schema):
    years: list[int]
    review_types: list[ReviewTypeOption]
    boards: list[str] = Field(description="Lead boards, one spelling each, in name order.")
    themes: list[ThemeOption] = Field(description="Themes of the listed reviews, by name.")


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


class StatementCriterion(Schema):
    number: str = Field(description='A WCAG 2.2 success criterion, e.g. "1.4.3".')
    name: str
    level: Literal["A", "AA"]


class AffectedPage(Schema):
    title: str
    path: str


class NonCompliance(Schema):
    """One kind of problem the audit found, across the site."""

    rule_id: str = Field(description="The audit rule that found it.")
    problem: str = Field(description="What is wrong, in a sentence.")
    criteria: list[StatementCriterion]
    pages: list[AffectedPage]
    fix_by: datetime.date | None = Field(
        description="When the team has promised to fix it (an accepted baseline entry)."
    )
    fix_plan: str = Field(description="Why it is accepted for now, and the plan to fix it.")


class NonAccessibleDocument(Schema):
    """A PDF linked from a published page that failed its accessibility check."""

    title: str
    path: str = Field(description="The document's address on the frontend.")
    problems: list[str] = Field(description="What is wrong, a sentence each.")
    criteria: list[StatementCriterion]
    pages: list[AffectedPage] = Field(description="The published pages that link to it.")
    fix_by: datetime.date | None
    fix_plan: str


class AuditEvidence(Schema):
    """The complete site audit the statement rests on."""

    tested_on: datetime.date
    page_count: int
    viewport_widths: list[int] = Field(description="CSS pixels, widest first, e.g. [1280, 320].")
    untested_paths: list[str] = Field(description="Pages the audit could not test.")
    age_days: int
    max_age_days: int = Field(description="Older than this, the audit is out of date.")


class StatementCompliance(Schema):
    """The accessibility statement's facts, worked out from the latest complete site audit."""

    status: Literal["fully-compliant", "partially-compliant", "not-compliant", "not-assessed"] = (
        Field(
            description=(
                "Against WCAG 2.2 AA. Never fully-compliant when any caveat applies: then "
                "not-assessed, unless problems were found."
            )
        )
    )
    standard: str
    caveats: list[Literal["never-audited", "pages-not-audited", "audit-out-of-date"]]
    audit: AuditEvidence | None
    non_compliances: list[NonCompliance]
    documents: list[NonAccessibleDocument] = Field(
        description="Failing PDFs published pages link to: the site is at best partially "
        "compliant while there are any."
    )
