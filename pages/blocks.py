"""StreamField blocks for reviews and guidance.

Each block validates what an editor types, renders its own admin preview and
owns its API output (``get_api_representation``), so the JSON the frontend
receives is decided next to the form the editor fills in.
"""

import datetime
import html
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

# The one definition of a generic link text, shared with the accessibility audit.
from a11y_tests.own_checks.link_text import is_generic_link_text

from .documents import absolute_document_url
from .site_settings import accessible_formats_email

# Rich text in quotes and paragraphs stays plain: emphasis and links only, so
# every page reads the same way and the frontend owns all layout.
QUOTE_FEATURES = ["bold", "italic", "link", "document-link"]
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


def _text_or_empty(value):
    """A text field's API value. A draft may hold empty fields, and a block stored before a
    field existed has None there; the API's contract is a string either way."""
    return value or ""


HEADING_LEVELS = {"h2": 2, "h3": 3}


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level keeps the page outline correct (no skipped levels)."""

    text = blocks.CharBlock(
        max_length=255, help_text="Short, descriptive heading, e.g. 'About serious case reviews'."
    )
    level = blocks.ChoiceBlock(
        choices=[("h2", "Level 2 (section)"), ("h3", "Level 3 (sub-section)")],
        default="h2",
        help_text="Use level 3 only under a level 2 heading.",
    )

    class Meta:
        icon = "title"
        template = "pages/blocks/heading.html"
        preview_value = {"text": "About serious case reviews", "level": "h2"}
        description = "A heading that starts a section of the page."

    def get_api_representation(self, value, context=None):
        # Level 2 is the form's default, so a draft whose level was never set reads as one.
        return {
            "text": _text_or_empty(value["text"]),
            "level": HEADING_LEVELS.get(value["level"], 2),
        }


# A link in stored rich text: Wagtail writes that HTML itself, and links never nest.
RICH_TEXT_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.DOTALL)


def generic_link_errors(rich_text_source):
    """A message for each link in rich text whose words alone say nothing ("click here").

    Screen reader users often move from link to link, hearing only each link's words.
    """
    texts = [
        " ".join(html.unescape(strip_tags(words)).split())
        for words in RICH_TEXT_LINK.findall(rich_text_source or "")
    ]
    return [
        f'Link text "{text}" does not say where the link goes. Describe the destination, '
        'e.g. "Child B serious case review report (PDF)".'
        for text in texts
        if is_generic_link_text(text)
    ]


class ParagraphBlock(blocks.RichTextBlock):
    """Body text with emphasis, lists and links.

    Links must say where they go when the page is published; a draft may still say
    "click here" while the editor works on it, and its preview's Checks panel points it out."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "pages/blocks/paragraph.html"
        preview_value = (
            "<p>LSCBs should also conduct reviews of cases which do not meet the criteria "
            "for an SCR.</p>"
        )
        description = "One or more paragraphs of text."

    def clean(self, value):
        value = super().clean(value)
        if not self.is_deferred_validation and (errors := generic_link_errors(value.source)):
            raise ValidationError(errors)
        return value


class StatementBlock(blocks.StructBlock):
    """A dated public statement about a review, quoted word for word."""

    date = blocks.DateBlock(help_text="The date the statement was made. Cannot be in the future.")
    speaker = blocks.CharBlock(
        max_length=255, help_text="Who made the statement, e.g. 'Keith Makin'."
    )
    role = blocks.CharBlock(
        max_length=255,
        help_text=(
            "Their role and organisation, e.g. 'Chair of the Merton Safeguarding Children Board'."
        ),
    )
    quote = blocks.RichTextBlock(
        features=QUOTE_FEATURES,
        help_text="The statement exactly as given. Do not add quotation marks: the site adds them.",
    )

    class Meta:
        icon = "openquote"
        template = "pages/blocks/statement.html"
        preview_value = {
            "date": datetime.date(2017, 2, 20),
            "speaker": "Keith Makin",
            "role": "Chair of the Merton Safeguarding Children Board",
            "quote": "<p>This is a very sad case where, despite a lot of support from many "
            "agencies, a young person was regrettably harmed.</p>",
        }
        description = "A dated statement by a named person, shown as a quotation."

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["date"] and value["date"] > timezone.localdate():
            errors["date"] = ValidationError("The statement date cannot be in the future.")
        # Drafts (deferred validation) may stay incomplete, as Wagtail allows for required
        # fields, and their links may still say "click here".
        if not self.is_deferred_validation:
            quote = value["quote"]
            # An emptied editor still submits "<p></p>", which passes the quote's own
            # required check and would publish as an empty quotation.
            if not _has_text(quote):
                errors["quote"] = ValidationError(
                    "Enter the statement's words: a statement cannot be published without them."
                )
            elif link_errors := generic_link_errors(quote.source):
                errors["quote"] = ValidationError(link_errors)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_api_representation(self, value, context=None):
        # Drafts (and so previews) may hold an empty statement: no date, no words yet.
        date = value["date"]
        return {
            "date": date.isoformat() if date else None,
            "speaker": _text_or_empty(value["speaker"]),
            "role": _text_or_empty(value["role"]),
            "quote": self.child_blocks["quote"].get_api_representation(value["quote"], context),
        }


def _has_text(rich_text):
    """True when rich text has readable words, not just empty paragraphs or spaces."""
    source = rich_text.source if rich_text else ""
    return bool(html.unescape(strip_tags(source or "")).strip())


FAILED_DOCUMENT_WARNING = (
    "— ⚠ Warning: this PDF did not pass its accessibility check, so some readers may not be "
    "able to use it. Publish the report as a web page too, or replace it with an accessible PDF "
    "(its page in Documents says how)."
)


class ReportLinkBlock(blocks.StructBlock):
    """A link to the published report: an uploaded document or a page on another website.

    Exactly one of the two is needed, as the block's help says; the site's name is asked for only
    with a web address (the editor's ``report-link`` controller, ``pages/static``, shows it
    once there is one).
    """

    document = DocumentChooserBlock(
        required=False,
        label="Document",
        help_text="The report file, usually a PDF. Leave empty when you enter a web address.",
    )
    url = blocks.URLBlock(
        required=False,
        label="Web address",
        help_text=(
            "The report's address on another website, e.g. 'https://www.example.org/report'. "
            "Leave empty when you choose a document."
        ),
    )
    link_text = blocks.CharBlock(
        max_length=255,
        help_text=(
            "Says where the link goes, e.g. 'Report for Child B serious case review'. "
            "Not 'click here' or 'view report' on its own."
        ),
    )
    site_name = blocks.CharBlock(
        required=False,
        max_length=255,
        label="Site name",
        help_text=(
            "Only for web addresses, and then needed: the website's name, "
            "e.g. 'Kingston LSCB website'."
        ),
    )

    class Meta:
        icon = "doc-full"
        template = "pages/blocks/report_link.html"
        preview_value = {
            "url": "https://www.example.org/family-a-review",
            "link_text": "More information about Family A serious case review",
            "site_name": "Kingston LSCB website",
        }
        description = "A link to a review report: an uploaded PDF or another website."
        help_text = "Choose a document or enter a web address: one of the two, not both."
        form_attrs = {"data-controller": "report-link"}

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["document"] and value["url"]:
            message = "Choose a document or enter a web address, not both."
            errors["document"] = ValidationError(message)
            errors["url"] = ValidationError(message)
        elif not value["document"] and not value["url"]:
            message = "Choose a document or enter a web address."
            errors["document"] = ValidationError(message)
            errors["url"] = ValidationError(message)
        if value["url"] and not value["site_name"]:
            errors["site_name"] = ValidationError(
                "Name the website this link goes to, e.g. 'Kingston LSCB website'."
            )
        if is_generic_link_text(value["link_text"]):
            errors["link_text"] = ValidationError(
                f"'{value['link_text']}' does not say where the link goes. "
                "Describe the report, e.g. 'Report for Child B serious case review'."
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_api_representation(self, value, context=None):
        document = value["document"]
        if document is None:
            return {
                "kind": "external",
                "url": _text_or_empty(value["url"]),
                "link_text": _text_or_empty(value["link_text"]),
                "site_name": _text_or_empty(value["site_name"]),
            }
        request = (context or {}).get("request")
        return {
            "kind": "document",
            "title": document.title,
            "url": absolute_document_url(document, request),
            "filename": document.filename,
            "extension": document.file_extension.lower(),
            "content_type": document.content_type,
            "size_bytes": document.get_file_size(),
            "page_count": document.page_count,
            "link_text": _text_or_empty(value["link_text"]),
            "accessibility": {
                "status": document.accessibility_status,
                "problems": document.accessibility_problems,
                "request_email": accessible_formats_email(request),
            },
        }

    def get_form_state(self, value):
        """The editor's form, with a warning beside a chosen document that did not pass its
        PDF accessibility check (``clean`` can only refuse, and a report may have to be
        published as it came): the document chooser shows it after the document's title each
        time the page is opened. The chooser's badge and the editor's message say it sooner."""
        state = super().get_form_state(value)
        document = value.get("document")
        if document is not None and document.accessibility_failed and state.get("document"):
            state["document"] = {
                **state["document"],
                "title": f"{state['document']['title']} {FAILED_DOCUMENT_WARNING}",
            }
        return state


class CriterionBlock(blocks.StructBlock):
    """One item of a criteria list, optionally with its own sub-items."""

    text = blocks.CharBlock(
        max_length=1000,
        help_text="The criterion, e.g. 'abuse or neglect of a child is known or suspected; and'.",
    )
    sub_items = blocks.ListBlock(
        blocks.CharBlock(max_length=1000),
        required=False,
        default=[],
        help_text="Optional alternatives or conditions under this item, shown as (i), (ii), …",
    )

    class Meta:
        icon = "list-ul"

    def get_api_representation(self, value, context=None):
        return {
            "text": _text_or_empty(value["text"]),
            "sub_items": [_text_or_empty(item) for item in value["sub_items"] or []],
        }


class CriteriaListBlock(blocks.StructBlock):
    """A lead-in sentence and the list of conditions it introduces."""

    intro = blocks.CharBlock(
        required=False,
        max_length=1000,
        help_text=(
            "The sentence that introduces the list, e.g. "
            "'SCRs must be undertaken by LSCBs where —'."
        ),
    )
    items = blocks.ListBlock(CriterionBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "pages/blocks/criteria_list.html"
        preview_value = {
            "intro": "Serious case reviews must be undertaken where —",
            "items": [
                {"text": "abuse or neglect of a child is known or suspected; and", "sub_items": []},
                {
                    "text": "either —",
                    "sub_items": ["the child has died; or", "the child has been seriously harmed."],
                },
            ],
        }
        description = "A list of criteria; each item can have sub-items one level deep."

    def get_api_representation(self, value, context=None):
        return {
            "intro": _text_or_empty(value["intro"]),
            "items": [
                self.child_blocks["items"].child_block.get_api_representation(item, context)
                for item in value["items"] or []
            ],
        }


class CitationBlock(blocks.StructBlock):
    """Where the guidance comes from, so readers can check the original."""

    organisation = blocks.CharBlock(max_length=255, help_text="e.g. 'Department for Education'.")
    title = blocks.CharBlock(
        max_length=255, help_text="Title of the source, e.g. 'Serious Case Reviews'."
    )
    url = blocks.URLBlock(required=False, help_text="Address of the source, if it is online.")

    class Meta:
        icon = "link"
        template = "pages/blocks/citation.html"
        preview_value = {
            "organisation": "Department for Education",
            "title": "Serious Case Reviews",
            "url": "https://www.gov.uk/government/collections/serious-case-reviews",
        }
        description = "The source of this guidance."

    def get_api_representation(self, value, context=None):
        return {
            "organisation": _text_or_empty(value["organisation"]),
            "title": _text_or_empty(value["title"]),
            "url": value["url"] or None,
        }


class OutlinedBodyBlock(blocks.StreamBlock):
    """A page body whose headings form an outline: a level 3 heading needs a level 2 above it,
    or screen reader users navigating by heading find a sub-section with no section.

    Checked on publish; a draft may be out of order while the editor works on it, and its
    preview's Checks panel points the skipped level out."""

    def clean(self, value):
        value = super().clean(value)
        if self.is_deferred_validation:
            return value
        errors = {}
        seen_level_2 = False
        for index, child in enumerate(value):
            if child.block_type != "heading":
                continue
            if HEADING_LEVELS.get(child.value["level"]) == 2:
                seen_level_2 = True
            elif not seen_level_2:
                errors[index] = ValidationError(
                    "A level 3 heading must come after a level 2 heading: make this one "
                    "level 2, or add a level 2 heading above it."
                )
        if errors:
            raise StreamBlockValidationError(block_errors=errors)
        return value


class ReviewBodyBlock(OutlinedBodyBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    statement = StatementBlock()
    report = ReportLinkBlock()


class GuidanceBodyBlock(OutlinedBodyBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    criteria_list = CriteriaListBlock()
    citation = CitationBlock()
