"""The editor's form: no guessed review type, a slug from the subject, a report block that says
what it needs, page types that describe themselves, and errors that name their tab."""

import html
import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from wagtail.models import get_page_models
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from pages.models import AccessibilityStatementPage, ReviewIndexPage, ReviewPage

from .test_admin import add_url, edit_url, form_errors_text, review_form


@pytest.fixture
def index(demo_site):
    return ReviewIndexPage.objects.get()


def page_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def banner(response):
    """The error banner's text: Wagtail's message and the list of errors under it."""
    messages = page_of(response).select(".messages li.error, .messages .error")
    return " ".join(html.unescape(m.get_text(" ", strip=True)) for m in messages)


def publish(admin_client, url, form):
    return admin_client.post(url, {**form, "action-publish": "publish"})


@pytest.mark.django_db
class TestReviewType:
    def test_a_new_review_has_no_type_until_one_is_chosen(self, admin_client, index):
        select = page_of(admin_client.get(add_url(ReviewPage, index))).find(
            "select", attrs={"name": "review_type"}
        )
        options = select.find_all("option")
        assert options[0]["value"] == "" and options[0].has_attr("selected")
        assert not any(option.has_attr("selected") for option in options[1:])
        assert [option["value"] for option in options[1:]] == ["scr", "lcspr", "national", "other"]

    def test_publishing_without_a_type_is_refused(self, admin_client, index):
        response = publish(admin_client, add_url(ReviewPage, index), review_form(review_type=""))
        assert response.status_code == 200
        assert "This field is required." in form_errors_text(response)
        assert not ReviewPage.objects.filter(slug="child-c").exists()


@pytest.mark.django_db
class TestSlugFromSubject:
    def test_the_subject_fills_in_the_slug_and_the_title_does_not(self, admin_client, index):
        form = page_of(admin_client.get(add_url(ReviewPage, index)))
        subject = form.find("input", attrs={"name": "subject"})
        assert "w-sync" in subject["data-controller"].split()
        assert subject["data-w-sync-target-value"] == "#id_slug"
        assert "w-sync#apply" in subject["data-action"]
        title = form.find("input", attrs={"name": "title"})
        assert "#id_slug" not in title.get("data-w-sync-target-value", "")

    def test_the_title_help_shows_the_pattern(self, admin_client, index):
        response = admin_client.get(add_url(ReviewPage, index))
        assert "e.g. 'Child C: local child safeguarding practice review'" in form_errors_text(
            response
        )

    def test_a_review_published_without_a_slug_takes_it_from_the_subject(self, admin_client, index):
        response = publish(admin_client, add_url(ReviewPage, index), review_form(slug=""))
        assert response.status_code == 302, banner(response)
        review = ReviewPage.objects.get(subject="Child C")
        assert review.slug == "child-c" and review.url_path.endswith("/child-c/")

    def test_a_subject_already_in_use_gets_a_slug_of_its_own(self, admin_client, index):
        response = publish(
            admin_client,
            add_url(ReviewPage, index),
            review_form(slug="", subject="Child B", title="Child B: second review"),
        )
        assert response.status_code == 302, banner(response)
        assert ReviewPage.objects.get(title="Child B: second review").slug == "child-b-2"


@pytest.mark.django_db
class TestReportBlockForm:
    def test_labels_and_help_say_one_of_document_or_web_address(self, admin_client, index):
        text = form_errors_text(admin_client.get(add_url(ReviewPage, index)))
        assert '"Web address"' in text and '"Url"' not in text
        assert "Choose a document or enter a web address: one of the two, not both." in text
        assert "Leave empty when you choose a document." in text
        assert "Only for web addresses, and then needed" in text

    def test_the_site_name_controller_is_on_the_block_and_its_script_is_served(
        self, admin_client, client, index
    ):
        response = admin_client.get(add_url(ReviewPage, index))
        assert '"attrs": {"data-controller": "report-link"}' in form_errors_text(response)
        script = static("pages/report-link.js")
        assert page_of(response).find("script", src=script)
        served = client.get(script)
        assert served.status_code == 200
        body = b"".join(served.streaming_content if served.streaming else [served.content])
        assert b"window.wagtail.app.register('report-link'" in body


@pytest.mark.django_db
class TestPageTypeDescriptions:
    def test_every_page_type_describes_itself(self):
        ours = [model for model in get_page_models() if model._meta.app_label == "pages"]
        assert AccessibilityStatementPage in ours
        assert all(model.get_page_description() for model in ours)

    def test_the_page_type_chooser_shows_the_descriptions(self, admin_client, index):
        chooser = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=[index.pk]))
        text = html.unescape(chooser.content.decode())
        assert ReviewPage.page_description in text
        assert "Guidance about reviews, with criteria lists and its source" in text


@pytest.mark.django_db
class TestErrorsOnOtherTabs:
    def test_a_clashing_slug_is_named_with_its_tab(self, admin_client, index):
        family_a = ReviewPage.objects.get(slug="family-a")
        response = publish(admin_client, edit_url(family_a), review_form(slug="child-b"))
        assert response.status_code == 200
        message = banner(response)
        assert "The page could not be saved due to validation errors." in message
        assert "The Promote tab has a problem with Slug." in message
        assert "Slug: The slug 'child-b' is already in use within the parent page." in message
        assert message.index("The Promote tab") < message.index("Slug: The slug")
        family_a.refresh_from_db()
        assert family_a.slug == "family-a"

    def test_errors_on_two_tabs_name_both(self, admin_client, index):
        family_a = ReviewPage.objects.get(slug="family-a")
        form = review_form(slug="child-b", last_reviewed="not a date")
        message = banner(publish(admin_client, edit_url(family_a), form))
        assert "The Promote tab has a problem with Slug." in message
        assert "The Settings tab has a problem with Last reviewed." in message

    def test_errors_on_the_content_tab_alone_keep_wagtails_banner(self, admin_client, index):
        response = publish(admin_client, add_url(ReviewPage, index), review_form(board=""))
        message = banner(response)
        assert message.startswith("The page could not be created due to validation errors")
        assert "tab has a problem" not in message

    def test_the_index_form_names_tabs_too(self, admin_client, index):
        form = {
            "title": index.title,
            "slug": index.slug,
            "intro": '{"blocks": [], "entityMap": {}}',
            "last_reviewed": "31/31/2020",
        }
        message = banner(admin_client.post(edit_url(index), form))
        assert "The Settings tab has a problem with Last reviewed." in message


@pytest.mark.django_db
def test_an_editor_republishing_unchanged_content_keeps_its_date(admin_client, index):
    """Publish in the admin moves last_published_at every time; the content's date stays."""
    review = ReviewPage.objects.get(slug="child-b")
    form = edit_form_of(review)
    assert publish(admin_client, edit_url(review), form).status_code == 302
    review.refresh_from_db()
    assert timezone.localdate(review.last_published_at) == timezone.localdate()
    assert review.content_changed_on.isoformat() == "2017-02-20"

    form["summary"] = "What agencies learnt from the review about Child B."
    assert publish(admin_client, edit_url(review), form).status_code == 302
    review.refresh_from_db()
    assert review.content_changed_on == timezone.localdate()

    # The demo content puts its own date back with its words.
    call_command("load_demo_content", stdout=io.StringIO())
    review.refresh_from_db()
    assert review.content_changed_on.isoformat() == "2017-02-20"


def edit_form_of(review):
    """What the admin posts back for ``review`` when the editor changes nothing: each rich
    text goes through the editor's own format and back, as in the browser."""
    blocks = []
    for block in review.body:
        value = dict(block.value)
        if block.block_type == "statement":
            value["date"] = value["date"].isoformat()
            value["quote"] = rich_text(value["quote"].source)
        elif block.block_type == "report":
            value["document"] = value["document"].pk if value["document"] else ""
        blocks.append((block.block_type, value))
    return nested_form_data(
        {
            "title": review.title,
            "slug": review.slug,
            "subject": review.subject,
            "review_type": review.review_type,
            "date_published": review.date_published.isoformat(),
            "board": review.board,
            "summary": review.summary,
            "themes": ", ".join(review.themes.names()),
            "body": streamfield(blocks),
        }
    )
