"""Page types for publishing safeguarding case reviews.

The tree an editor builds::

    HomePage
    ├── ReviewIndexPage   "Serious case reviews"
    │   ├── ReviewPage    "Child B: serious case review"
    │   ├── ReviewPage    "Family A: serious case review"
    │   └── GuidancePage  "About serious case reviews"
    └── AccessibilityStatementPage  "Accessibility statement" (one per site)

Every page is headless: Wagtail's "View live" and Preview go to the separate
frontend (``HeadlessMixin``), which reads the content from the API.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.api import APIField
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_headless_preview.models import HeadlessMixin

from a11y_tests.pdf import PdfCheckResult

from . import statement_wording
from .blocks import GuidanceBodyBlock, ReviewBodyBlock, generic_link_errors
from .content_dates import ContentDatesMixin
from .forms import EditorPageForm, ReviewPageForm
from .site_settings import AccessibleFormatSettings  # noqa: F401 - a model of this app
from .uploads import validate_document_content

INTRO_FEATURES = ["bold", "italic", "link", "document-link"]


class ReportDocument(AbstractDocument):
    """A Wagtail document that knows how many pages it has and whether it passed the PDF
    accessibility check.

    Review reports are linked GOV.UK-style ("PDF, 1.2 MB, 48 pages"); counting
    pages once on save keeps that off every API request. The check itself runs in the audits
    app's task worker after a new file is saved (``accessibility_check_due``) and stores its
    outcome here, so the report block, the API and the admin read it without asking the audits
    app.
    """

    class AccessibilityStatus(models.TextChoices):
        NOT_CHECKED = "not-checked", "Not checked yet"
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"
        COULD_NOT_CHECK = "could-not-check", "Could not be checked"
        NOT_APPLICABLE = "not-applicable", "Not a PDF"

    page_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="Number of pages, counted automatically for PDF files.",
    )
    accessibility_status = models.CharField(
        max_length=20,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.NOT_CHECKED,
        editable=False,
        help_text="The outcome of the PDF accessibility check of the current file.",
    )
    accessibility_result = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="What the PDF accessibility check found (a11y_tests.pdf PdfCheckResult JSON).",
    )
    accessibility_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"

    def clean(self):
        super().clean()  # the extension is on WAGTAILDOCS_EXTENSIONS
        # A file just uploaded (not yet stored) must also be what its extension says.
        if self.file and not self.file._committed:
            try:
                validate_document_content(self.file, self.file_extension)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from error

    def save(self, *args, **kwargs):
        # Read after saving by the audits app, which queues the check of a new PDF; a later
        # save of the same file (a new title) leaves it False.
        self.accessibility_check_due = False
        if self.file:
            new_file = self._new_file()
            if new_file or self.page_count is None:
                self.page_count = self._count_pdf_pages()
                self.file_size = self.file.size
            if new_file:
                self._forget_accessibility_check()
        super().save(*args, **kwargs)

    def _new_file(self):
        if self.pk is None:
            return True
        previous = type(self).objects.filter(pk=self.pk).values_list("file", flat=True).first()
        return previous != self.file.name

    def _is_pdf(self):
        return self.file.name.lower().endswith(".pdf")

    def _forget_accessibility_check(self):
        """The previous file's outcome says nothing about this one."""
        self.accessibility_result = None
        self.accessibility_checked_at = None
        if self._is_pdf():
            self.accessibility_status = self.AccessibilityStatus.NOT_CHECKED
            self.accessibility_check_due = True
        else:
            self.accessibility_status = self.AccessibilityStatus.NOT_APPLICABLE

    def _count_pdf_pages(self):
        if not self._is_pdf():
            return None
        try:
            self.file.open("rb")
            self.file.seek(0)
            return len(PdfReader(self.file).pages)
        except (PyPdfError, DependencyError, OSError, ValueError):
            # A damaged PDF (or one encrypted with AES, which pypdf cannot open without the
            # cryptography package) still publishes; the frontend simply omits the count.
            return None
        finally:
            self.file.seek(0)

    @property
    def accessibility_check(self) -> PdfCheckResult | None:
        """The stored outcome of the check, with its findings; None until it has run."""
        if not self.accessibility_result:
            return None
        return PdfCheckResult.from_json(self.accessibility_result)

    @property
    def accessibility_problems(self) -> list[str]:
        """What makes this file hard to use with assistive technology, one sentence each:
        the check's failures, or why it could not be checked at all."""
        check = self.accessibility_check
        if check is None:
            return []
        if self.accessibility_status == self.AccessibilityStatus.COULD_NOT_CHECK:
            return [f"It could not be checked: {check.error}."]
        return [finding.summary for finding in check.violations]

    @property
    def accessibility_failed(self) -> bool:
        """The check found problems, or could not open the file (a password, damage)."""
        return self.accessibility_status in (
            self.AccessibilityStatus.FAILED,
            self.AccessibilityStatus.COULD_NOT_CHECK,
        )


class IntroPageForm(EditorPageForm):
    """The editor's form for pages with an intro: its links must say where they go when the
    page is published, as in body paragraphs; a draft may still say "click here"."""

    def clean_intro(self):
        intro = self.cleaned_data["intro"]
        if not self.is_deferred_validation and (errors := generic_link_errors(intro)):
            raise ValidationError(errors)
        return intro


class HomePage(HeadlessMixin, ContentDatesMixin, Page):
    """The site's front page: a short welcome and links to its sections."""

    page_description = "The site's front page: a short welcome and links to its sections."

    intro = RichTextField(
        features=INTRO_FEATURES,
        blank=True,
        help_text="A sentence or two shown under the site title.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("last_reviewed")]
    base_form_class = IntroPageForm

    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.ReviewIndexPage", "pages.AccessibilityStatementPage"]
    max_count = 1

    api_fields = [APIField("intro"), APIField("last_reviewed"), APIField("sections")]

    class Meta:
        verbose_name = "home page"


class ReviewIndexPage(HeadlessMixin, ContentDatesMixin, Page):
    """A section listing case reviews, newest first, with guidance about them.

    Replaces a single long council page ("Serious case reviews"): each review
    and guidance page is its own page, and the index brings them together, so its
    "Last updated" date is never older than theirs (``lists_children``).
    """

    page_description = (
        "A section that lists its reviews, newest first, and shows its guidance pages in full, "
        "e.g. 'Serious case reviews'."
    )
    lists_children = True

    intro = RichTextField(
        features=INTRO_FEATURES,
        help_text="Explain what these reviews are and why they are published.",
    )
    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("last_reviewed")]
    base_form_class = IntroPageForm

    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.ReviewPage", "pages.GuidancePage"]

    api_fields = [
        APIField("intro"),
        APIField("last_reviewed"),
        APIField("guidance_pages"),
        APIField("reviews"),
        APIField("filters"),
    ]

    class Meta:
        verbose_name = "review index page"

    def reviews(self):
        """Live child reviews, newest first."""
        return ReviewPage.objects.child_of(self).live().public().order_by(*NEWEST_FIRST)

    def guidance_pages(self):
        """Live child guidance pages in the order editors arranged them."""
        return GuidancePage.objects.child_of(self).live().public().order_by("path")


# How every listing of reviews is ordered: newest publication first, then newest statement.
NEWEST_FIRST = ("-date_published", "-latest_statement_date", "-pk")


class ReviewPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "pages.ReviewPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ReviewType(models.TextChoices):
    SERIOUS_CASE_REVIEW = "scr", "Serious case review"
    LOCAL_PRACTICE_REVIEW = "lcspr", "Local child safeguarding practice review"
    NATIONAL_REVIEW = "national", "National review"
    OTHER = "other", "Other review"


class ReviewPage(HeadlessMixin, ContentDatesMixin, Page):
    """One published review: who it is about, who led it, statements and the report.

    Statements and report links are structured blocks rather than free text so
    dates, speakers and link texts are checked when the editor saves.
    """

    page_description = (
        "One case review: who it is about, its type and date, statements about it and a link "
        "to the report."
    )

    subject = models.CharField(
        max_length=100,
        help_text=(
            "The pseudonym used in the review, e.g. 'Child B' or 'Family A'. Never a real name. "
            "A new review's web address is made from it, e.g. 'child-b'."
        ),
    )
    # No default: the type is named in the report, and a guess would publish unnoticed.
    review_type = models.CharField(
        max_length=20,
        choices=ReviewType.choices,
        help_text="The kind of review, as named in the report.",
    )
    date_published = models.DateField(
        help_text=(
            "The date the review report was published. "
            "Reviews are listed newest first by this date."
        ),
    )
    board = models.CharField(
        "lead board or partnership",
        max_length=255,
        help_text=(
            "Who led the review, e.g. 'Merton Safeguarding Children Board' or 'Kingston LSCB'."
        ),
    )
    summary = models.TextField(
        blank=True,
        max_length=600,
        help_text="Optional. One or two plain sentences shown in listings and search results.",
    )
    themes = ClusterTaggableManager(
        through=ReviewPageTag,
        blank=True,
        help_text=(
            "Themes or learning areas, e.g. 'neglect', 'information sharing'. Separate with commas."
        ),
    )
    body = StreamField(
        ReviewBodyBlock(),
        help_text="Statements about the review, links to the report and any further text.",
    )
    latest_statement_date = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Date of the newest statement in the body, kept up to date on save.",
    )

    content_panels = [
        # The slug follows the subject ("child-b"), not the long title; Wagtail's own slug
        # syncing does it, moved from the title to the subject.
        FieldPanel(
            "title",
            classname="title",
            help_text=(
                "The subject and the type of review, e.g. 'Child C: local child safeguarding "
                "practice review'."
            ),
        ),
        MultiFieldPanel(
            [
                TitleFieldPanel("subject", classname="", placeholder=False, targets=["slug"]),
                FieldPanel("review_type"),
                FieldPanel("date_published"),
                FieldPanel("board"),
            ],
            heading="About the review",
        ),
        FieldPanel("summary"),
        FieldPanel("themes"),
        FieldPanel("body"),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("last_reviewed")]
    base_form_class = ReviewPageForm

    search_fields = Page.search_fields + [
        index.SearchField("subject"),
        index.SearchField("summary"),
        index.SearchField("board"),
        index.SearchField("body"),
        index.FilterField("date_published"),
        index.FilterField("review_type"),
    ]

    parent_page_types = ["pages.ReviewIndexPage"]
    subpage_types = []

    api_fields = [
        APIField("subject"),
        APIField("review_type"),
        APIField("review_type_label"),
        APIField("date_published"),
        APIField("board"),
        APIField("summary"),
        APIField("themes"),
        APIField("body"),
        APIField("latest_statement_date"),
        APIField("last_reviewed"),
    ]

    class Meta:
        verbose_name = "review page"

    def clean(self):
        super().clean()
        if self.date_published and self.date_published > timezone.localdate():
            raise ValidationError(
                {"date_published": "The publication date cannot be in the future."}
            )

    def save(self, *args, **kwargs):
        self.latest_statement_date = self._newest_statement_date()
        super().save(*args, **kwargs)

    def _newest_statement_date(self):
        dates = [
            block.value["date"]
            for block in self.body
            if block.block_type == "statement" and isinstance(block.value["date"], datetime.date)
        ]
        return max(dates, default=None)

    @property
    def review_type_label(self):
        """The type's name; empty while a draft has none chosen yet."""
        if self.review_type not in ReviewType.values:
            return ""
        return ReviewType(self.review_type).label


class ReviewListing(models.Model):
    """One narrow row per live, public review: what listings of reviews filter and sort on.

    A review's ``live`` flag and place in the tree are in Wagtail's page table and its dates
    in its own, so every listing joined and sorted all the reviews, on every request. These
    rows hold it all in one table, indexed in listing order (NEWEST_FIRST, which fits them as
    the primary key is the review's), so a page of a listing reads ``offset + limit`` entries
    of an index and counting reads one index, never a page row. ``pages.review_listing``
    keeps the rows in step with the pages.
    """

    review = models.OneToOneField(
        ReviewPage, primary_key=True, on_delete=models.CASCADE, related_name="listing"
    )
    index = models.ForeignKey(
        Page,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the first column of listing_by_index
        help_text="The page the review sits under (its review index).",
    )
    date_published = models.DateField()
    latest_statement_date = models.DateField(null=True)
    year = models.PositiveSmallIntegerField(help_text="The year of date_published.")
    review_type = models.CharField(max_length=20)
    board_key = models.CharField(
        max_length=255, help_text="The lead board, casefolded: the board filter ignores case."
    )

    # Listing rows are not content: they refer to pages, but never as a "use" of them.
    wagtail_reference_index_ignore = True

    class Meta:
        # The filtered columns end each index in listing order, so filtering by them, and
        # counting what is left, reads index entries only.
        indexes = [
            models.Index(
                fields=[
                    "index",
                    "-date_published",
                    "-latest_statement_date",
                    "-review",
                    "review_type",
                    "board_key",
                ],
                name="listing_by_index",
            ),
            models.Index(
                fields=[
                    "-date_published",
                    "-latest_statement_date",
                    "-review",
                    "review_type",
                    "board_key",
                ],
                name="listing_newest_first",
            ),
            # Which years and types an index has (its filters): one seek for each present.
            models.Index(fields=["index", "year"], name="listing_years_by_index"),
            models.Index(fields=["index", "review_type"], name="listing_types_by_index"),
        ]

    def __str__(self):
        return f"Review {self.review_id} listed under page {self.index_id}"


class GuidancePage(HeadlessMixin, ContentDatesMixin, Page):
    """Explains the review process, with its criteria and the source they come from."""

    page_description = (
        "Guidance about reviews, with criteria lists and its source; shown in full on its "
        "section's page."
    )

    summary = models.TextField(
        blank=True,
        max_length=600,
        help_text="Optional. One or two plain sentences shown in listings and search results.",
    )
    body = StreamField(
        GuidanceBodyBlock(),
        help_text="Headings, paragraphs, criteria lists and the source of the guidance.",
    )

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    settings_panels = Page.settings_panels + [FieldPanel("last_reviewed")]
    base_form_class = EditorPageForm

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["pages.ReviewIndexPage"]
    subpage_types = []

    api_fields = [APIField("summary"), APIField("body"), APIField("last_reviewed")]

    class Meta:
        verbose_name = "guidance page"


STATEMENT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class AccessibilityStatementPage(HeadlessMixin, Page):
    """The site's accessibility statement, one per site, in the structure of GOV.UK's model
    statement (Public Sector Bodies Accessibility Regulations 2018).

    Editors write the prose sections, which start with the model wording. Everything the
    regulations ask to be measured comes from the latest complete accessibility audit stored
    in the CMS when the statement is read: the compliance status, each non-compliance with its
    WCAG success criterion and the pages it affects, and when and how the site was tested (the
    API's ``compliance`` field). The fixed legal sentences are rendered by the frontend.
    """

    page_description = (
        "The site's accessibility statement (one per site); the audit's findings are added to "
        "it automatically."
    )

    website_name = models.CharField(
        max_length=255,
        help_text="The website's name as readers know it, e.g. 'Merton case reviews'.",
    )
    scope = models.CharField(
        max_length=255,
        help_text=(
            "What the statement covers, completing 'This accessibility statement applies to …', "
            "e.g. 'the case reviews website at reviews.merton.gov.uk'."
        ),
    )
    organisation = models.CharField(
        max_length=255,
        help_text="Who runs the website, e.g. 'Merton Safeguarding Children Partnership'.",
    )
    using_this_website = RichTextField(
        features=STATEMENT_FEATURES,
        default=statement_wording.USING_THIS_WEBSITE,
        help_text="What disabled readers can do on this website. Keep only what is true.",
    )
    known_problems = RichTextField(
        features=STATEMENT_FEATURES,
        blank=True,
        default=statement_wording.KNOWN_PROBLEMS,
        help_text=(
            "Problems you know of that automated tests cannot find. The problems the audit "
            "found are listed after this automatically."
        ),
    )
    feedback_and_contact = RichTextField(
        features=STATEMENT_FEATURES,
        default=statement_wording.FEEDBACK_AND_CONTACT,
        help_text="How to ask for another format or report a problem. The contact details follow.",
    )
    contact_email = models.EmailField(
        help_text="Where readers ask for accessible formats and report problems.",
    )
    contact_phone = models.CharField(
        max_length=50, blank=True, help_text="Optional. A phone number for the same."
    )
    response_days = models.PositiveSmallIntegerField(
        default=5,
        help_text="Working days within which you reply to a request.",
    )
    disproportionate_burden = RichTextField(
        features=STATEMENT_FEATURES,
        blank=True,
        default=statement_wording.DISPROPORTIONATE_BURDEN,
        help_text="Problems you will not fix because doing so would be a disproportionate burden.",
    )
    not_in_scope = RichTextField(
        features=STATEMENT_FEATURES,
        blank=True,
        default=statement_wording.NOT_IN_SCOPE,
        help_text="Content the regulations do not cover, e.g. PDFs published before 2018.",
    )
    improvements = RichTextField(
        features=STATEMENT_FEATURES,
        default=statement_wording.IMPROVEMENTS,
        help_text="What you are doing to make the website more accessible.",
    )
    prepared_on = models.DateField(
        default=datetime.date.today,
        help_text="When this statement was first prepared.",
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="Optional. When you last checked the statement is still true.",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("website_name"), FieldPanel("scope"), FieldPanel("organisation")],
            heading="About the website",
        ),
        FieldPanel("using_this_website"),
        FieldPanel("known_problems"),
        MultiFieldPanel(
            [
                FieldPanel("feedback_and_contact"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("response_days"),
            ],
            heading="Feedback and contact",
        ),
        FieldPanel("disproportionate_burden"),
        FieldPanel("not_in_scope"),
        FieldPanel("improvements"),
        MultiFieldPanel(
            [FieldPanel("prepared_on"), FieldPanel("last_reviewed")],
            heading="Preparation of this statement",
        ),
    ]

    search_fields = Page.search_fields + [index.SearchField("using_this_website")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    max_count_per_parent = 1  # one home page per site, so one statement per site

    api_fields = [
        APIField("website_name"),
        APIField("scope"),
        APIField("organisation"),
        APIField("using_this_website"),
        APIField("known_problems"),
        APIField("feedback_and_contact"),
        APIField("contact_email"),
        APIField("contact_phone"),
        APIField("response_days"),
        APIField("disproportionate_burden"),
        APIField("not_in_scope"),
        APIField("improvements"),
        APIField("prepared_on"),
        APIField("last_reviewed"),
        # Worked out from the stored audits when read; see api.page_fields.
        APIField("compliance"),
    ]

    class Meta:
        verbose_name = "accessibility statement"
