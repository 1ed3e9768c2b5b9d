"""Anonymous callers never receive content that is not live and public, through any endpoint."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.rich_text import RichText

from pages.models import ReviewIndexPage

from .conftest import make_review

SECRET = "SECRET"


@pytest.fixture
def hidden(demo):
    """One page or document for each rule, each carrying the word SECRET."""
    index = demo["index"]
    draft = make_review(index, "draft", publish=False, subject=f"{SECRET} draft")
    withdrawn = make_review(index, "withdrawn", subject=f"{SECRET} withdrawn")
    withdrawn.unpublish()
    password = make_review(index, "password", subject=f"{SECRET} password")
    PageViewRestriction.objects.create(
        page=password, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    section = ReviewIndexPage(
        title=f"{SECRET} section", slug="internal", intro="<p>Internal reviews.</p>"
    )
    demo["home"].add_child(instance=section)
    section.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Board members"))
    descendant = make_review(section, "inside", subject=f"{SECRET} descendant")

    # A newer revision of a live page, saved but not published.
    child_b = demo["child_b"].get_latest_revision_as_object()
    child_b.title = f"{SECRET} newer revision"
    child_b.save_revision()

    private = Collection.get_first_root_node().add_child(name="Board only")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = get_document_model()(title=f"{SECRET} private report", collection=private)
    document.file.save("private-report.pdf", ContentFile(b"%PDF-1.4 private"), save=False)
    document.save()
    with_private_report = make_review(
        index, "public-with-private-report", date_published=datetime.date(2021, 1, 1)
    )
    with_private_report.body = [
        (block.block_type, block.value) for block in with_private_report.body
    ] + [
        (
            "report",
            {
                "document": document,
                "url": "",
                "link_text": "Board report for this review",
                "site_name": "",
            },
        )
    ]
    with_private_report.save_revision().publish()
    return {
        "pages": [draft, withdrawn, password, section, descendant],
        "document": document,
        "with_private_report": with_private_report,
        **demo,
    }


def assert_no_secret(response):
    assert SECRET not in response.content.decode(), response.content.decode()[:2000]


def test_detail_and_find_are_404_for_each_rule(api, hidden):
    # Draft, withdrawn, password-protected, group-restricted section, page inside that section.
    for page in hidden["pages"]:
        response = api.get(f"/api/v3/pages/{page.pk}/")
        assert response.status_code == 404, page
        assert response["Content-Type"] == "application/problem+json"
        assert not response.has_header("ETag")
        site_path = page.url_path.removeprefix("/home")
        assert api.get("/api/v3/pages/find/", {"html_path": site_path}).status_code == 404, page
        assert api.get("/api/v3/pages/find/", {"id": page.pk}).status_code == 404, page


def test_pages_listing_and_search_leave_them_out(api, hidden):
    listed = api.get("/api/v3/pages/", {"limit": 20})
    assert_no_secret(listed)
    ids = {item["id"] for item in listed.json()["items"]}
    assert not ids & {page.pk for page in hidden["pages"]}
    assert_no_secret(api.get("/api/v3/pages/", {"search": SECRET}))


def test_reviews_listing_and_its_search_leave_them_out(api, hidden):
    assert_no_secret(api.get("/api/v3/reviews/", {"limit": 20}))
    searched = api.get("/api/v3/reviews/", {"search": SECRET})
    assert searched.json()["count"] == 0
    assert api.get("/api/v3/reviews/", {"child_of": hidden["pages"][3].pk}).status_code == 404


def test_sitemap_and_index_detail_leave_them_out(api, hidden):
    assert_no_secret(api.get("/api/v3/sitemap/", {"limit": 100}))
    assert_no_secret(api.get(f"/api/v3/pages/{hidden['index'].pk}/"))
    assert_no_secret(api.get(f"/api/v3/pages/{hidden['home'].pk}/"))


def test_the_live_revision_is_served_not_a_newer_draft(api, hidden):
    response = api.get(f"/api/v3/pages/{hidden['child_b'].pk}/")
    assert response.json()["title"] == "Child B: serious case review"
    assert_no_secret(response)
    # Even asking for the draft gives the live version without a token.
    assert_no_secret(api.get(f"/api/v3/pages/{hidden['child_b'].pk}/", {"version": "draft"}))


def test_reports_in_private_collections_are_left_out(api, hidden):
    page = hidden["with_private_report"]
    response = api.get(f"/api/v3/pages/{page.pk}/")
    assert response.status_code == 200
    assert_no_secret(response)
    assert [
        block["value"]["kind"] for block in response.json()["body"] if block["type"] == "report"
    ] == ["external"]
    assert_no_secret(api.get("/api/v3/reviews/"))


def test_documents_endpoint_and_file_hide_private_documents(api, hidden):
    document = hidden["document"]
    assert_no_secret(api.get("/api/v3/documents/"))
    assert api.get(f"/api/v3/documents/{document.pk}/").status_code == 404
    served = api.get(document.url)
    assert served.status_code in (302, 403)
    assert b"private" not in b"".join(getattr(served, "streaming_content", [served.content]))


def test_an_editor_session_does_not_widen_public_answers(api, hidden):
    api.force_login(User.objects.create_superuser("editor", "editor@example.org", "pw"))
    assert api.get(f"/api/v3/pages/{hidden['pages'][0].pk}/").status_code == 404
    assert_no_secret(api.get("/api/v3/reviews/"))
    assert_no_secret(api.get(f"/api/v3/pages/{hidden['with_private_report'].pk}/"))


def test_preview_needs_a_valid_token(api, hidden):
    response = api.get("/api/v3/page_preview/", {"content_type": "pages.reviewpage", "token": "x"})
    assert response.status_code == 403
    assert_no_secret(response)


def test_rich_text_links_to_private_documents_keep_their_text_and_lose_the_link(api, hidden):
    """Paragraphs, statement quotes and intros may link a private document: the words stay,
    its address and file name never reach an anonymous reader (detail, find, listing)."""
    document = hidden["document"]
    link = f'<a linktype="document" id="{document.pk}">the board minutes</a>'
    page = hidden["with_private_report"].get_latest_revision_as_object()
    blocks = [(block.block_type, block.value) for block in page.body]
    statement = next(value for kind, value in blocks if kind == "statement")
    statement["quote"] = RichText(f"<p>As set out in {link}, we agree.</p>")
    page.body = [*blocks, ("paragraph", RichText(f"<p>Read {link} for the detail.</p>"))]
    page.save_revision().publish()
    index = hidden["index"].get_latest_revision_as_object()
    index.intro = f"<p>Minutes: {link}.</p>"
    index.save_revision().publish()

    detail = api.get(f"/api/v3/pages/{page.pk}/")
    found = api.get(
        "/api/v3/pages/find/",
        {"html_path": "/serious-case-reviews/" + page.slug + "/"},
        follow=True,
    )
    listing = api.get("/api/v3/reviews/")
    index_detail = api.get(f"/api/v3/pages/{index.pk}/")
    for response in (detail, found, listing, index_detail):
        assert response.status_code == 200
        body = response.content.decode()
        assert "the board minutes" in body
        for leak in ("private-report.pdf", f"/documents/{document.pk}/"):
            assert leak not in body, (
                response.request["PATH_INFO"],
                body[body.find(leak) - 300 :][:600],
            )
    paragraph = detail.json()["body"][-1]["value"]
    assert "<a>the board minutes</a>" in paragraph


def test_rich_text_links_to_public_documents_keep_their_address(api, hidden):
    public = get_document_model()(title="Public report")
    public.file.save("public-report.pdf", ContentFile(b"%PDF-1.4 public"), save=False)
    public.save()
    index = hidden["index"].get_latest_revision_as_object()
    index.intro = f'<p>See <a linktype="document" id="{public.pk}">the public report</a>.</p>'
    index.save_revision().publish()
    intro = api.get(f"/api/v3/pages/{index.pk}/").json()["intro"]
    assert f"/documents/{public.pk}/public-report.pdf" in intro
