"""An editor creates, edits and publishes each page type through the Wagtail admin."""

import html

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from pages.models import GuidancePage, HomePage, ReviewIndexPage, ReviewPage


def listblock(items):
    """Form data for a ListBlock, as the admin's list editor submits it."""
    data = {
        str(i): {"value": item, "deleted": "", "order": str(i), "id": ""}
        for i, item in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk)
    )


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def review_form(**overrides):
    data = {
        "title": "Child C: local child safeguarding practice review",
        "slug": "child-c",
        "subject": "Child C",
        "review_type": "lcspr",
        "date_published": "2021-03-04",
        "board": "Merton Safeguarding Children Partnership",
        "summary": "Learning about information sharing between schools and health visitors.",
        "themes": "neglect, information sharing",
        "body": streamfield(
            [
                (
                    "statement",
                    {
                        "date": "2021-03-04",
                        "speaker": "Jane Doe",
                        "role": "Independent Chair, Merton Safeguarding Children Partnership",
                        "quote": rich_text("<p>We accept every recommendation.</p>"),
                    },
                ),
                (
                    "report",
                    {
                        "document": "",
                        "url": "https://www.example.org/child-c",
                        "link_text": "Child C practice review report",
                        "site_name": "Example partnership website",
                    },
                ),
            ]
        ),
    }
    data.update(overrides)
    return nested_form_data(data)


CLICK_HERE_PARAGRAPH = (
    '<p>The full report: <a href="https://www.example.org/child-c.pdf">click here</a>.</p>'
)
CLICK_HERE_REFUSED = (
    'Link text "click here" does not say where the link goes. Describe the destination, '
    'e.g. "Child B serious case review report (PDF)".'
)


def form_errors_text(response):
    """The page as the editor reads it: block errors travel in JSON inside an attribute."""
    return html.unescape(response.content.decode()).replace('\\"', '"')


def body_with_click_here_link(where):
    """A review body whose paragraph, or statement quote, links with the words "click here"."""
    if where == "paragraph":
        return streamfield([("paragraph", rich_text(CLICK_HERE_PARAGRAPH))])
    return streamfield(
        [
            (
                "statement",
                {
                    "date": "2021-03-04",
                    "speaker": "Jane Doe",
                    "role": "Independent Chair, Merton Safeguarding Children Partnership",
                    "quote": rich_text(CLICK_HERE_PARAGRAPH),
                },
            )
        ]
    )


@pytest.fixture
def index(demo_site):
    return ReviewIndexPage.objects.get()


@pytest.mark.django_db
class TestEditorJourneys:
    def test_create_and_publish_a_review(self, admin_client, index):
        response = admin_client.post(
            add_url(ReviewPage, index), {**review_form(), "action-publish": "publish"}
        )
        assert response.status_code == 302, response.content[:2000]
        review = ReviewPage.objects.get(slug="child-c")
        assert review.live and not review.has_unpublished_changes
        assert review.get_parent().specific == index
        assert sorted(review.themes.names()) == ["information sharing", "neglect"]
        [statement] = [block.value for block in review.body if block.block_type == "statement"]
        assert statement["speaker"] == "Jane Doe"
        assert str(review.latest_statement_date) == "2021-03-04"

    def test_edit_saves_a_draft_then_publishes(self, admin_client, index):
        admin_client.post(
            add_url(ReviewPage, index), {**review_form(), "action-publish": "publish"}
        )
        review = ReviewPage.objects.get(slug="child-c")
        response = admin_client.post(edit_url(review), review_form(title="Child C: renamed"))
        assert response.status_code == 302
        review.refresh_from_db()
        assert review.title == "Child C: local child safeguarding practice review"
        assert review.has_unpublished_changes
        response = admin_client.post(
            edit_url(review), {**review_form(title="Child C: renamed"), "action-publish": "publish"}
        )
        assert response.status_code == 302
        review.refresh_from_db()
        assert review.title == "Child C: renamed" and not review.has_unpublished_changes

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("body-1-value-link_text", "Click here", b"does not say where the link goes"),
            ("body-0-value-date", "2999-01-01", b"The statement date cannot be in the future."),
            # An emptied rich text editor still sends "<p></p>".
            ("body-0-value-quote", rich_text(""), b"a statement cannot be published without them"),
            ("body-0-value-speaker", "  ", b"This field is required."),
        ],
        ids=["generic-link-text", "future-statement", "statement-without-words", "no-speaker"],
    )
    def test_bad_block_input_is_a_form_error_and_nothing_is_published(
        self, admin_client, index, field, value, message
    ):
        form = review_form()
        form[field] = value
        response = admin_client.post(
            add_url(ReviewPage, index), {**form, "action-publish": "publish"}
        )
        assert response.status_code == 200
        assert message in response.content
        assert not ReviewPage.objects.filter(slug="child-c").exists()

    @pytest.mark.parametrize("where", ["paragraph", "statement"])
    def test_publishing_a_link_that_says_click_here_is_refused_naming_the_link(
        self, admin_client, index, where
    ):
        response = admin_client.post(
            add_url(ReviewPage, index),
            {**review_form(body=body_with_click_here_link(where)), "action-publish": "publish"},
        )
        assert response.status_code == 200
        assert CLICK_HERE_REFUSED in form_errors_text(response)
        assert not ReviewPage.objects.filter(slug="child-c").exists()

    @pytest.mark.parametrize("where", ["paragraph", "statement"])
    def test_a_draft_may_say_click_here_until_it_is_published(self, admin_client, index, where):
        response = admin_client.post(
            add_url(ReviewPage, index), review_form(body=body_with_click_here_link(where))
        )
        assert response.status_code == 302, response.content[:2000]
        draft = ReviewPage.objects.get(slug="child-c")
        assert not draft.live
        assert ">click here</a>" in str(draft.get_latest_revision_as_object().body.raw_data)

    def test_an_intro_linking_with_click_here_publishes_only_once_the_link_says_where(
        self, admin_client, index
    ):
        def intro_form(intro, **action):
            return nested_form_data(
                {"title": index.title, "slug": index.slug, "intro": rich_text(intro), **action}
            )

        publish = {"action-publish": "publish"}
        response = admin_client.post(edit_url(index), intro_form(CLICK_HERE_PARAGRAPH, **publish))
        assert response.status_code == 200
        assert CLICK_HERE_REFUSED in form_errors_text(response)
        index.refresh_from_db()
        assert "click here" not in index.intro and not index.has_unpublished_changes
        # A draft saves; publishing it waits until the link names its destination.
        draft = admin_client.post(edit_url(index), intro_form(CLICK_HERE_PARAGRAPH))
        assert draft.status_code == 302
        described = CLICK_HERE_PARAGRAPH.replace("click here", "Child C practice review report")
        response = admin_client.post(edit_url(index), intro_form(described, **publish))
        assert response.status_code == 302
        index.refresh_from_db()
        assert "Child C practice review report" in index.intro

    def test_a_draft_may_hold_an_empty_statement(self, admin_client, index):
        form = review_form()
        for field, value in {"date": "", "speaker": "", "role": "", "quote": rich_text("")}.items():
            form[f"body-0-value-{field}"] = value
        response = admin_client.post(add_url(ReviewPage, index), form)
        assert response.status_code == 302, response.content[:2000]
        draft = ReviewPage.objects.get(slug="child-c").get_latest_revision_as_object()
        assert not draft.live
        assert draft.body[0].value["date"] is None

    def test_create_and_publish_guidance(self, admin_client, index):
        form = nested_form_data(
            {
                "title": "Rapid reviews",
                "slug": "rapid-reviews",
                "summary": "",
                "body": streamfield(
                    [
                        ("heading", {"text": "When a rapid review is needed", "level": "h2"}),
                        (
                            "criteria_list",
                            {
                                "intro": "A rapid review is carried out where —",
                                "items": listblock(
                                    [
                                        {
                                            "text": "a child has died; or",
                                            "sub_items": listblock([]),
                                        },
                                        {
                                            "text": "a child was seriously harmed and either —",
                                            "sub_items": listblock(
                                                ["abuse is known", "neglect is suspected"]
                                            ),
                                        },
                                    ]
                                ),
                            },
                        ),
                        (
                            "citation",
                            {
                                "organisation": "Department for Education",
                                "title": "Working together to safeguard children",
                                "url": "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2",
                            },
                        ),
                    ]
                ),
                "action-publish": "publish",
            }
        )
        response = admin_client.post(add_url(GuidancePage, index), form)
        assert response.status_code == 302, response.content[:2000]
        guidance = GuidancePage.objects.get(slug="rapid-reviews")
        criteria = [block.value for block in guidance.body if block.block_type == "criteria_list"][
            0
        ]
        assert list(criteria["items"][1]["sub_items"]) == ["abuse is known", "neglect is suspected"]
        assert guidance.live

    def test_create_index_under_home(self, admin_client, demo_site):
        home = HomePage.objects.get()
        form = nested_form_data(
            {
                "title": "Safeguarding adults reviews",
                "slug": "safeguarding-adults-reviews",
                "intro": rich_text(
                    "<p>Reviews where an adult has died or been seriously harmed.</p>"
                ),
                "action-publish": "publish",
            }
        )
        response = admin_client.post(add_url(ReviewIndexPage, home), form)
        assert response.status_code == 302, response.content[:2000]
        assert ReviewIndexPage.objects.get(slug="safeguarding-adults-reviews").live

    def test_edit_index_last_reviewed(self, admin_client, index):
        form = nested_form_data(
            {
                "title": index.title,
                "slug": index.slug,
                "intro": rich_text(index.intro),
                "last_reviewed": "2024-05-06",
                "action-publish": "publish",
            }
        )
        response = admin_client.post(edit_url(index), form)
        assert response.status_code == 302, response.content[:2000]
        index.refresh_from_db()
        assert str(index.last_reviewed) == "2024-05-06"

    def test_review_cannot_be_added_under_home(self, admin_client, demo_site):
        home = HomePage.objects.get()
        response = admin_client.post(
            add_url(ReviewPage, home), {**review_form(), "action-publish": "publish"}
        )
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
        assert not ReviewPage.objects.filter(slug="child-c").exists()

    def test_editor_forms_carry_help_text(self, admin_client, index):
        response = admin_client.get(add_url(ReviewPage, index))
        assert response.status_code == 200
        assert b"Never a real name" in response.content
        assert b"Reviews are listed newest first" in response.content

    @pytest.mark.parametrize(
        "posted",
        [
            '<p>Raw <b>bold</b> text<script>alert(1)</script><img src=x onerror="alert(2)"></p>',
            "not json and not html",
            '{"blocks": "not a list"}',
            "[1, 2, 3]",
        ],
        ids=["html-with-script", "plain-text", "wrong-json-shape", "json-list"],
    )
    def test_rich_text_posted_as_anything_but_editor_json_is_cleaned(
        self, admin_client, index, posted
    ):
        """A script posting raw HTML (or junk) to a rich text field gets it cleaned to the
        field's features, never a server error."""
        form = review_form()
        form["body-0-value-quote"] = posted
        intro_form = nested_form_data({"title": index.title, "slug": index.slug, "intro": posted})
        assert admin_client.post(add_url(ReviewPage, index), form).status_code == 302
        assert admin_client.post(edit_url(index), intro_form).status_code == 302
        quote = ReviewPage.objects.get(slug="child-c").get_latest_revision_as_object().body[0]
        intro = index.get_latest_revision_as_object().intro
        for stored in (quote.value["quote"].source, intro):
            assert "<script" not in stored and "onerror" not in stored and "<img" not in stored
        if posted.startswith("<p>Raw"):
            assert "<b>bold</b>" in quote.value["quote"].source
