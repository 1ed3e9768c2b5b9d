"""The demo content rebuilds Merton's page faithfully, and a second run changes nothing."""

import datetime
import html
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision, Site

from pages.models import GuidancePage, HomePage, ReviewIndexPage, ReviewPage

SEED = (Path(__file__).parent / "seed" / "merton-serious-case-reviews.txt").read_text()


def plain(rich_text):
    return html.unescape(re.sub(r"<[^>]+>", "", str(rich_text))).strip()


def in_seed(text):
    """True when ``text`` appears in the seed, ignoring line wrapping."""
    return " ".join(text.split()) in " ".join(SEED.split())


def run_loader():
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def statements(page):
    return [block.value for block in page.body if block.block_type == "statement"]


def reports(page):
    return [block.value for block in page.body if block.block_type == "report"]


@pytest.mark.django_db
class TestDemoContent:
    def test_tree_and_site(self, demo_site):
        site = Site.objects.get(is_default_site=True)
        assert isinstance(site.root_page.specific, HomePage)
        index = ReviewIndexPage.objects.get()
        assert index.url == "/serious-case-reviews/"
        assert [child.specific_class for child in index.get_children()] == [
            ReviewPage,
            ReviewPage,
            GuidancePage,
        ]
        assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
        assert all(page.live for page in Page.objects.filter(depth__gt=1))

    def test_index_intro_and_last_updated_come_from_the_seed(self, demo_site):
        index = ReviewIndexPage.objects.get()
        assert index.title == "Serious case reviews" and in_seed(index.title)
        assert in_seed(plain(index.intro))
        assert "This page was last updated on Tuesday 21 February 2017" in SEED
        assert index.content_changed_on == datetime.date(2017, 2, 21)
        assert index.last_reviewed is None

    def test_child_b(self, demo_site):
        review = ReviewPage.objects.get(slug="child-b")
        assert review.title == "Child B: serious case review" and in_seed(review.title)
        assert review.subject == "Child B"
        assert review.date_published == datetime.date(2017, 2, 20)
        [statement] = statements(review)
        assert (
            statement["date"] == datetime.date(2017, 2, 20) and "Statement 20 February 2017" in SEED
        )
        assert in_seed(
            f"Chair of the Merton Safeguarding Children Board, {statement['speaker']} said:"
        )
        assert statement["role"] == "Chair of the Merton Safeguarding Children Board"
        assert in_seed(f"“{plain(statement['quote'].source)}”")
        [report] = reports(review)
        assert in_seed(report["link_text"])
        document = report["document"]
        assert document.file_extension == "pdf" and document.page_count == 3

    def test_family_a(self, demo_site):
        review = ReviewPage.objects.get(slug="family-a")
        assert review.title == "Family A: serious case review" and in_seed(review.title)
        [statement] = statements(review)
        assert (
            statement["date"] == datetime.date(2015, 11, 23)
            and "Statement 23 November 2015" in SEED
        )
        assert statement["speaker"] == "Keith Makin"
        assert in_seed(f"“{plain(statement['quote'].source)}”")
        [report] = reports(review)
        assert report["document"] is None and report["url"].startswith("https://")
        assert in_seed(f"{report['link_text']} ({report['site_name']})")

    def test_guidance(self, demo_site):
        guidance = GuidancePage.objects.get()
        assert guidance.title == "About serious case reviews" and in_seed(guidance.title)
        blocks = {block.block_type: block.value for block in guidance.body}
        criteria = blocks["criteria_list"]
        assert in_seed(criteria["intro"])
        texts = [item["text"] for item in criteria["items"]]
        assert all(in_seed(text) for text in texts)
        sub_items = criteria["items"][1]["sub_items"]
        assert in_seed(f"(i) {sub_items[0]} (ii) {sub_items[1]}")
        paragraphs = [
            plain(block.value.source) for block in guidance.body if block.block_type == "paragraph"
        ]
        assert len(paragraphs) == 3 and all(in_seed(text) for text in paragraphs)
        citation = blocks["citation"]
        assert in_seed(f"Source: {citation['organisation']} website: {citation['title']}")

    def test_second_run_changes_nothing(self, demo_site):
        counts = (
            Page.objects.count(),
            Revision.objects.count(),
            get_document_model().objects.count(),
        )
        latest = {page.pk: page.latest_revision_id for page in Page.objects.all()}
        assert "(0 change(s))" in run_loader()
        assert (
            Page.objects.count(),
            Revision.objects.count(),
            get_document_model().objects.count(),
        ) == counts
        assert {page.pk: page.latest_revision_id for page in Page.objects.all()} == latest

    def test_edited_content_is_put_back(self, demo_site):
        review = ReviewPage.objects.get(slug="child-b")
        review.title = "Changed by an editor"
        review.save_revision().publish()
        output = run_loader()
        assert "(1 change(s))" in output
        assert ReviewPage.objects.get(slug="child-b").title == "Child B: serious case review"
