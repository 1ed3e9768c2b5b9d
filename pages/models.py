"""Page types for publishing safeguarding case reviews.

The tree an editor builds::

    HomePage
    └── ReviewIndexPage   "Serious case reviews"
        ├── ReviewPage    "Child B: serious case review"
        ├── ReviewPage    "Family A: serious case review"
        └── GuidancePage  "About serious case reviews"

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
from pypdf.errors import PdfReadError
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_headless_preview.models import HeadlessMixin

from .blocks import GuidanceBodyBlock, ReviewBodyBlock, generic_link_errors
from .uploads import validate_document_content

INTRO_FEATURES = ["bold", "italic", "link", "document-link"]


class ReportDocument(AbstractDocument):
    """A Wagtail document that knows how many pages it has.

    Review reports are linked GOV.UK-style ("PDF, 1.2 MB, 48 pages"); counting
    pages once on save keeps that off every API request.
    """

    page_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="Number of pages, counted automatically for PDF files.",
    )

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
        if self.file and self._file_changed():
            self.page_count = self._count_pdf_pages()
            self.file_size = self.file.size
        super().save(*args, **kwargs)

    def _file_changed(self):
        if self.pk is None:
            return True
        previous = type(self).objects.filter(pk=self.pk).values_list("file", flat=True).first()
        return previous != self.file.name or self.page_count is None

    def _count_pdf_pages(self):
        if not self.file.name.lower().endswith(".pdf"):
            return None
        try:
            self.file.open("rb")
            self.file.seek(0)
            return len(PdfReader(self.file).pages)
        except (PdfReadError, OSError, ValueError):
            # A damaged PDF still publishes; the frontend simply omits the count.
            return None
        finally:
            self.file.seek(0)


class IntroPageForm(WagtailAdminPageForm):
    """The editor's form for pages with an intro: its links must say where they go when the
    page is published, as in body paragraphs; a draft may still say "click here"."""

    def clean_intro(self):
        intro = self.cleaned_data["intro"]
        if not self.is_deferred_validation and (errors := generic_link_errors(intro)):
            raise ValidationError(errors)
        return intro


class HomePage(HeadlessMixin, Page):
    """The site's front page: a short welcome and links to its sections."""

    intro = RichTextField(
        features=INTRO_FEATURES,
        blank=True,
        help_text="A sentence or two shown under the site title.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    base_form_class = IntroPageForm

    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.ReviewIndexPage"]
    max_count = 1

    api_fields = [APIField("intro"), APIField("sections")]

    class Meta:
        verbose_name = "home page"


class ReviewIndexPage(HeadlessMixin, Page):
    """A section listing case reviews, newest first, with guidance about them.

    Replaces a single long council page ("Serious case reviews"): each review
    and guidance page is its own page, and the index brings them together.
    """

    intro = RichTextField(
        features=INTRO_FEATURES,
        help_text="Explain what these reviews are and why they are published.",
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        verbose_name="last reviewed",
        help_text=(
            "Optional. Shown as 'Last updated' instead of the publish date, "
            "e.g. when you have checked the page is still correct without changing it."
        ),
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


class ReviewPage(HeadlessMixin, Page):
    """One published review: who it is about, who led it, statements and the report.

    Statements and report links are structured blocks rather than free text so
    dates, speakers and link texts are checked when the editor saves.
    """

    subject = models.CharField(
        max_length=100,
        help_text=(
            "The pseudonym used in the review, e.g. 'Child B' or 'Family A'. Never a real name."
        ),
    )
    review_type = models.CharField(
        max_length=20,
        choices=ReviewType.choices,
        default=ReviewType.SERIOUS_CASE_REVIEW,
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

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("subject"),
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
        return ReviewType(self.review_type).label


class GuidancePage(HeadlessMixin, Page):
    """Explains the review process, with its criteria and the source they come from."""

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

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["pages.ReviewIndexPage"]
    subpage_types = []

    api_fields = [APIField("summary"), APIField("body")]

    class Meta:
        verbose_name = "guidance page"
