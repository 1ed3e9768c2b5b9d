"""Validation and API output of the StreamField blocks editors fill in."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from a11y_tests.own_checks.link_text import is_generic_link_text
from pages.blocks import (
    CitationBlock,
    CriteriaListBlock,
    GuidanceBodyBlock,
    HeadingBlock,
    ParagraphBlock,
    ReportLinkBlock,
    ReviewBodyBlock,
    StatementBlock,
)
from pages.demo_pdf import build_pdf


def statement(**overrides):
    value = {
        "date": "2017-02-20",
        "speaker": "Keith Makin",
        "role": "Chair of the Merton Safeguarding Children Board",
        "quote": "<p>This is a very sad case.</p>",
    }
    value.update(overrides)
    block = StatementBlock()
    return block, block.to_python(value)


def block_errors(excinfo):
    return {
        name: [str(m) for m in error.messages] for name, error in excinfo.value.block_errors.items()
    }


class TestStatementBlock:
    def test_a_complete_statement_is_valid(self):
        block, value = statement()
        assert block.clean(value)["speaker"] == "Keith Makin"

    def test_a_statement_dated_in_the_future_is_rejected(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        block, value = statement(date=tomorrow.isoformat())
        with pytest.raises(ValidationError) as excinfo:
            block.clean(value)
        assert block_errors(excinfo) == {"date": ["The statement date cannot be in the future."]}

    def test_a_statement_dated_today_is_accepted(self):
        block, value = statement(date=timezone.localdate().isoformat())
        assert block.clean(value)["date"] == timezone.localdate()

    @pytest.mark.parametrize("field", ["date", "speaker", "role", "quote"])
    def test_every_field_is_required(self, field):
        block, value = statement(**{field: None if field == "date" else ""})
        with pytest.raises(ValidationError) as excinfo:
            block.clean(value)
        assert field in excinfo.value.block_errors

    @pytest.mark.parametrize("quote", ['<p data-block-key="a"></p>', "<p> &nbsp;</p><p></p>"])
    def test_a_quote_without_words_is_rejected(self, quote):
        # What an emptied rich text editor submits: the quote's own required check lets it by.
        block, value = statement(quote=quote)
        with pytest.raises(ValidationError) as excinfo:
            block.clean(value)
        assert block_errors(excinfo) == {
            "quote": ["Enter the statement's words: a statement cannot be published without them."]
        }

    def test_a_draft_may_hold_an_empty_statement(self):
        block, value = statement(date=None, speaker="", role="", quote="<p></p>")
        assert block.clean_deferred(value)["quote"].source == "<p></p>"

    def test_a_quote_linking_with_generic_text_is_rejected(self):
        block, value = statement(
            quote='<p>Our response is <a href="https://a.example">here</a>.</p>'
        )
        with pytest.raises(ValidationError) as excinfo:
            block.clean(value)
        assert block_errors(excinfo) == {
            "quote": [
                'Link text "here" does not say where the link goes. Describe the destination, '
                'e.g. "Child B serious case review report (PDF)".'
            ]
        }

    def test_a_draft_quote_may_link_with_generic_text(self):
        quote = '<p>Our response is <a href="https://a.example">here</a>.</p>'
        block, value = statement(quote=quote)
        assert block.clean_deferred(value)["quote"].source == quote

    def test_api_representation_of_an_empty_statement(self):
        block, value = statement(date=None, speaker="", role="", quote="")
        assert block.get_api_representation(value) == {
            "date": None,
            "speaker": "",
            "role": "",
            "quote": "",
        }

    def test_api_representation(self):
        block, value = statement()
        assert block.get_api_representation(value) == {
            "date": "2017-02-20",
            "speaker": "Keith Makin",
            "role": "Chair of the Merton Safeguarding Children Board",
            "quote": "<p>This is a very sad case.</p>",
        }


@pytest.fixture
def report_pdf(db):
    document = get_document_model()(title="Child B serious case review report")
    document.file.save("child-b.pdf", ContentFile(build_pdf("Child B", [["a"], ["b"]])), save=False)
    document.save()
    return document


def report(**overrides):
    value = {
        "document": None,
        "url": "https://www.example.org/family-a",
        "link_text": "More information about Family A serious case review",
        "site_name": "Kingston LSCB website",
    }
    value.update(overrides)
    block = ReportLinkBlock()
    return block, block.to_python(value)


class TestReportLinkBlock:
    def test_external_link_with_site_name_is_valid(self):
        block, value = report()
        assert block.clean(value)["site_name"] == "Kingston LSCB website"

    def test_document_link_is_valid(self, report_pdf):
        block, value = report(document=report_pdf.pk, url="", site_name="")
        assert block.clean(value)["document"] == report_pdf

    def test_document_and_url_together_are_rejected(self, report_pdf):
        block, value = report(document=report_pdf.pk)
        with pytest.raises(ValidationError) as excinfo:
            block.clean(value)
        errors = block_errors(excinfo)
        assert errors["document"] == ["Choose a document or enter a web address, not both."]
        assert errors["url"] == errors["document"]

    def test_neither_document_nor_url_is_rejected(self):
        block, value = report(url="", site_name="")
        with pytest.raises(ValidationError) as excinfo:
            block.clean(value)
        assert block_errors(excinfo)["url"] == ["Choose a document or enter a web address."]

    def test_external_link_needs_the_destination_site_name(self):
        block, value = report(site_name="")
        with pytest.raises(ValidationError) as excinfo:
            block.clean(value)
        assert "site_name" in excinfo.value.block_errors

    @pytest.mark.parametrize(
        "text",
        [
            "click here",
            "Click here.",
            "HERE",
            "Read more",
            "read more…",
            "Download",
            "View report",
            "  view   REPORT! ",
        ],
    )
    def test_generic_link_text_is_rejected(self, text):
        block, value = report(link_text=text)
        with pytest.raises(ValidationError) as excinfo:
            block.clean(value)
        [message] = block_errors(excinfo)["link_text"]
        assert "does not say where the link goes" in message

    def test_empty_link_text_is_rejected(self):
        block, value = report(link_text="")
        with pytest.raises(ValidationError) as excinfo:
            block.clean(value)
        assert "link_text" in excinfo.value.block_errors

    @pytest.mark.parametrize(
        "text",
        [
            "View Report for Child B serious case review",
            "More information about Family A serious case review",
            "Download the Child B report",
        ],
    )
    def test_descriptive_link_text_is_accepted(self, text):
        assert not is_generic_link_text(text)

    def test_api_representation_of_an_external_link(self):
        block, value = report()
        assert block.get_api_representation(value) == {
            "kind": "external",
            "url": "https://www.example.org/family-a",
            "link_text": "More information about Family A serious case review",
            "site_name": "Kingston LSCB website",
        }

    def test_api_representation_of_a_document(self, report_pdf, settings):
        settings.WAGTAILADMIN_BASE_URL = "https://cms.example.org"
        block, value = report(
            document=report_pdf.pk, url="", site_name="", link_text="Child B report"
        )
        representation = block.get_api_representation(value)
        assert representation["kind"] == "document"
        assert representation["url"].startswith("https://cms.example.org/documents/")
        assert representation["extension"] == "pdf"
        assert representation["content_type"] == "application/pdf"
        assert representation["page_count"] == 2
        assert representation["size_bytes"] == report_pdf.file.size > 0
        assert representation["link_text"] == "Child B report"


class TestParagraphBlock:
    def test_each_link_whose_text_says_nothing_is_named(self):
        block = ParagraphBlock()
        value = block.to_python(
            '<p>The report is <a linktype="document" id="1">Click <b>here</b></a>; the '
            'response <a href="https://a.example/r">read&nbsp;more…</a>.</p>'
        )
        with pytest.raises(ValidationError) as excinfo:
            block.clean(value)
        assert [message[: message.index(" does")] for message in excinfo.value.messages] == [
            'Link text "Click here"',
            'Link text "read more…"',
        ]

    def test_links_that_name_their_destination_are_accepted(self):
        block = ParagraphBlock()
        source = '<p>Read <a href="https://a.example/r">the Child B report (PDF)</a>.</p>'
        assert block.clean(block.to_python(source)).source == source

    def test_a_draft_may_say_click_here_until_it_is_published(self):
        block = ParagraphBlock()
        source = '<p><a href="https://a.example/r">Click here</a> for the report.</p>'
        assert block.clean_deferred(block.to_python(source)).source == source


class TestGuidanceBlocks:
    def test_heading_level_is_a_number(self):
        block = HeadingBlock()
        value = block.to_python({"text": "About", "level": "h3"})
        assert block.get_api_representation(value) == {"text": "About", "level": 3}

    def test_criteria_list_nests_one_level(self):
        block = CriteriaListBlock()
        value = block.to_python(
            {
                "intro": "SCRs must be undertaken where —",
                "items": [
                    {"text": "abuse or neglect is suspected; and", "sub_items": []},
                    {
                        "text": "either —",
                        "sub_items": ["the child has died; or", "was seriously harmed."],
                    },
                ],
            }
        )
        block.clean(value)
        assert block.get_api_representation(value) == {
            "intro": "SCRs must be undertaken where —",
            "items": [
                {"text": "abuse or neglect is suspected; and", "sub_items": []},
                {
                    "text": "either —",
                    "sub_items": ["the child has died; or", "was seriously harmed."],
                },
            ],
        }

    def test_criteria_list_needs_at_least_one_item(self):
        block = CriteriaListBlock()
        with pytest.raises(ValidationError):
            block.clean(block.to_python({"intro": "Where —", "items": []}))

    def test_citation_without_url(self):
        block = CitationBlock()
        value = block.to_python(
            {"organisation": "Department for Education", "title": "Serious Case Reviews", "url": ""}
        )
        assert block.get_api_representation(value) == {
            "organisation": "Department for Education",
            "title": "Serious Case Reviews",
            "url": None,
        }


class TestBodyOutline:
    @staticmethod
    def body(block, *levels):
        return block.to_python(
            [
                {"type": "heading", "value": {"text": f"Heading {n}", "level": level}}
                if level
                else {"type": "paragraph", "value": "<p>Text.</p>"}
                for n, level in enumerate(levels)
            ]
        )

    @pytest.mark.parametrize("block_class", [ReviewBodyBlock, GuidanceBodyBlock])
    def test_a_level_3_heading_needs_a_level_2_above_it(self, block_class):
        block = block_class()
        with pytest.raises(ValidationError) as excinfo:
            block.clean(self.body(block, None, "h3", "h2", "h3"))
        assert list(excinfo.value.block_errors) == [1]
        assert "must come after a level 2 heading" in str(excinfo.value.block_errors[1])

    def test_an_outline_from_level_2_down_is_accepted(self):
        block = ReviewBodyBlock()
        assert len(block.clean(self.body(block, "h2", None, "h3", "h3", "h2"))) == 5

    def test_a_draft_may_skip_a_level_until_it_is_published(self):
        block = ReviewBodyBlock()
        assert len(block.clean_deferred(self.body(block, "h3", None))) == 2
