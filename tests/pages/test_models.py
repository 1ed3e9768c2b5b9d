"""Page-tree rules, model validation and the values models work out for themselves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page

from pages.demo_pdf import build_pdf
from pages.models import GuidancePage, HomePage, ReviewIndexPage, ReviewPage


def statement_block(date):
    return {
        "type": "statement",
        "value": {"date": date, "speaker": "A Person", "role": "Chair", "quote": "<p>Said.</p>"},
    }


def add_review(index, slug, date_published, statements=(), live=True):
    review = ReviewPage(
        title=f"{slug} review",
        slug=slug,
        subject=slug,
        review_type="scr",
        date_published=date_published,
        board="Merton Safeguarding Children Board",
        body=[statement_block(date) for date in statements],
        live=live,
    )
    index.add_child(instance=review)
    return review


@pytest.fixture
def index(demo_site):
    return ReviewIndexPage.objects.get(slug="serious-case-reviews")


class TestPageTree:
    @pytest.mark.parametrize(
        "parent, child, allowed",
        [
            (HomePage, ReviewIndexPage, True),
            (HomePage, ReviewPage, False),
            (HomePage, GuidancePage, False),
            (ReviewIndexPage, ReviewPage, True),
            (ReviewIndexPage, GuidancePage, True),
            (ReviewIndexPage, ReviewIndexPage, False),
            (ReviewPage, ReviewPage, False),
            (ReviewPage, GuidancePage, False),
            (GuidancePage, ReviewPage, False),
        ],
    )
    def test_which_pages_go_where(self, parent, child, allowed):
        assert (child in parent.allowed_subpage_models()) is allowed
        assert (parent in child.allowed_parent_page_models()) is allowed

    def test_only_one_home_page(self, demo_site):
        root = Page.get_first_root_node()
        assert not HomePage.can_create_at(root)

    def test_verbose_names_read_well_in_the_admin(self):
        assert ReviewIndexPage._meta.verbose_name == "review index page"
        assert ReviewPage._meta.verbose_name == "review page"
        assert GuidancePage._meta.verbose_name == "guidance page"

    def test_str_is_the_title(self, index):
        assert str(index) == "Serious case reviews"


class TestReviewPage:
    def test_publication_date_cannot_be_in_the_future(self, index):
        review = add_review(index, "child-c", datetime.date(2020, 1, 1))
        review.date_published = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(ValidationError) as excinfo:
            review.full_clean()
        assert "date_published" in excinfo.value.message_dict

    def test_latest_statement_date_follows_the_body(self, index):
        review = add_review(
            index, "child-c", datetime.date(2020, 1, 1), ["2019-05-01", "2020-01-02"]
        )
        assert review.latest_statement_date == datetime.date(2020, 1, 2)
        review.body = [statement_block("2018-03-03")]
        review.save()
        review.refresh_from_db()
        assert review.latest_statement_date == datetime.date(2018, 3, 3)

    def test_review_without_statements_has_no_latest_statement_date(self, index):
        assert add_review(index, "child-c", datetime.date(2020, 1, 1)).latest_statement_date is None

    def test_subject_board_and_statements_are_searchable(self, index):
        add_review(index, "child-z", datetime.date(2020, 1, 1), ["2020-01-01"])
        found = ReviewPage.objects.live().search("child-z")
        assert [page.slug for page in found] == ["child-z"]
        assert {page.slug for page in ReviewPage.objects.live().search("Kingston")} == {"family-a"}
        assert {page.slug for page in ReviewPage.objects.live().search("rigorous monitoring")} == {
            "child-b"
        }


class TestReviewIndexPage:
    def test_reviews_are_newest_first(self, index):
        add_review(index, "child-c", datetime.date(2016, 6, 1))
        assert [review.slug for review in index.reviews()] == ["child-b", "child-c", "family-a"]

    def test_drafts_and_private_reviews_are_not_listed(self, index):
        add_review(index, "draft", datetime.date(2019, 1, 1), live=False)
        private = add_review(index, "private", datetime.date(2019, 1, 1))
        private.view_restrictions.create(restriction_type="password", password="secret")
        assert [review.slug for review in index.reviews()] == ["child-b", "family-a"]

    def test_guidance_pages_in_tree_order(self, index):
        assert [page.slug for page in index.guidance_pages()] == ["about-serious-case-reviews"]


class TestReportDocument:
    def make(self, name, content):
        document = get_document_model()(title=name)
        document.file.save(name, ContentFile(content), save=False)
        document.save()
        return document

    def test_pdf_pages_are_counted_once_on_save(self, db, django_assert_num_queries):
        document = self.make("report.pdf", build_pdf("Report", [["1"], ["2"], ["3"], ["4"]]))
        assert document.page_count == 4
        assert document.file_size == document.file.size
        fetched = get_document_model().objects.get(pk=document.pk)
        with django_assert_num_queries(0):
            assert fetched.page_count == 4

    def test_replacing_the_file_recounts(self, db):
        document = self.make("report.pdf", build_pdf("Report", [["1"]]))
        document.file.save(
            "report-v2.pdf", ContentFile(build_pdf("Report", [["1"], ["2"]])), save=False
        )
        document.save()
        assert get_document_model().objects.get(pk=document.pk).page_count == 2

    def test_non_pdf_and_damaged_pdf_have_no_count(self, db):
        assert self.make("notes.txt", b"plain text").page_count is None
        assert self.make("broken.pdf", b"%PDF-1.4 this is not really a pdf").page_count is None
