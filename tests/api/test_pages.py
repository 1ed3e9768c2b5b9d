"""Page detail and find: the stock v3 shape plus the fields docs/api.md promises."""

import re

from pages.models import ReviewPage

from .conftest import make_review, page_link


def detail(api, page, **params):
    response = api.get(f"/api/v3/pages/{page.pk}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_find_redirects_to_the_detail_url(api, demo):
    response = api.get("/api/v3/pages/find/", {"html_path": "/serious-case-reviews/child-b/"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/api/v3/pages/{demo['child_b'].pk}/")


def test_find_of_unknown_path_is_problem_404(api, demo):
    response = api.get("/api/v3/pages/find/", {"html_path": "/serious-case-reviews/nobody/"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_review_detail_has_every_documented_field(api, demo):
    data = detail(api, demo["child_b"])
    assert data["meta"]["type"] == "pages.ReviewPage"
    assert data["path"] == "/serious-case-reviews/child-b/"
    assert data["breadcrumbs"] == [
        {"title": "Merton Safeguarding Children Board", "path": "/"},
        {"title": "Serious case reviews", "path": "/serious-case-reviews/"},
    ]
    assert data["subject"] == "Child B"
    assert data["review_type"] == "scr"
    assert data["review_type_label"] == "Serious case review"
    assert data["date_published"] == "2017-02-20"
    assert data["board"] == "Merton Safeguarding Children Board"
    assert data["themes"] == []
    assert data["latest_statement_date"] == "2017-02-20"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["last_updated"])


def test_statement_and_document_report_blocks(api, demo):
    body = detail(api, demo["child_b"])["body"]
    assert [block["type"] for block in body] == ["statement", "report"]
    statement = body[0]["value"]
    assert statement["date"] == "2017-02-20"
    assert statement["speaker"] == "Keith Makin"
    assert statement["role"] == "Chair of the Merton Safeguarding Children Board"
    assert statement["quote"].startswith("<p>This is a very sad case")
    report = body[1]["value"]
    assert report["kind"] == "document"
    assert report["url"].startswith("http://testserver/documents/")
    assert report["extension"] == "pdf"
    assert report["content_type"] == "application/pdf"
    assert report["size_bytes"] > 0
    assert report["page_count"] == 3
    assert report["link_text"] == "View Report for Child B serious case review"
    assert body[0]["id"]


def test_external_report_block(api, demo):
    report = detail(api, demo["family_a"])["body"][1]["value"]
    assert report == {
        "kind": "external",
        "url": "https://www.kingstonandrichmondlscb.org.uk/family-a-serious-case-review",
        "link_text": "More information about Family A serious case review",
        "site_name": "Kingston LSCB website",
    }


def test_guidance_blocks(api, demo):
    data = detail(api, demo["guidance"])
    types = [block["type"] for block in data["body"]]
    assert types == ["criteria_list", "paragraph", "paragraph", "paragraph", "citation"]
    criteria = data["body"][0]["value"]
    assert criteria["items"][0] == {
        "text": "abuse or neglect of a child is known or suspected; and",
        "sub_items": [],
    }
    assert len(criteria["items"][1]["sub_items"]) == 2
    assert data["body"][-1]["value"] == {
        "organisation": "Department for Education",
        "title": "Serious Case Reviews",
        "url": "https://www.gov.uk/government/collections/serious-case-reviews",
    }


def test_heading_block_gives_its_level_as_a_number(api, demo):
    guidance = demo["guidance"]
    guidance.body = [("heading", {"text": "Criteria", "level": "h3"})] + [
        (block.block_type, block.value) for block in guidance.body
    ]
    guidance.save_revision().publish()
    heading = detail(api, guidance)["body"][0]
    assert heading["type"] == "heading"
    assert heading["value"] == {"text": "Criteria", "level": 3}


def test_index_detail_lists_guidance_reviews_and_filters(api, demo):
    data = detail(api, demo["index"])
    assert data["intro"].startswith("<p>In some instances")
    assert data["last_reviewed"] is None  # the seed's date is when the content changed
    assert data["last_updated"] == "2017-02-21"
    [guidance] = data["guidance_pages"]
    assert {key: guidance[key] for key in ("id", "title", "path", "summary")} == {
        "id": demo["guidance"].pk,
        "title": "About serious case reviews",
        "path": "/serious-case-reviews/about-serious-case-reviews/",
        "summary": "",
    }
    # The index shows the guidance in full, so its body comes in the same call.
    assert guidance["body"] == detail(api, demo["guidance"])["body"]
    assert [block["type"] for block in guidance["body"]] == [
        "criteria_list",
        "paragraph",
        "paragraph",
        "paragraph",
        "citation",
    ]
    reviews = data["reviews"]
    assert reviews["count"] == 2
    assert reviews["limit"] == 20
    assert [item["path"] for item in reviews["items"]] == [
        "/serious-case-reviews/child-b/",
        "/serious-case-reviews/family-a/",
    ]
    first = reviews["items"][0]
    assert first["statements"][0]["speaker"] == "Keith Makin"
    assert first["reports"][0]["kind"] == "document"
    assert data["filters"] == {
        "years": [2017, 2015],
        "review_types": [{"value": "scr", "label": "Serious case review"}],
        "boards": ["Kingston LSCB", "Merton Safeguarding Children Board"],
        "themes": [],
    }


def test_index_filters_offer_each_board_once_and_the_themes_of_live_reviews(api, demo):
    family_a = demo["family_a"]
    family_a.board = "KINGSTON lscb"  # the board filter ignores case: one option
    family_a.themes.add("Neglect", "Information sharing")
    family_a.save_revision().publish()
    draft = make_review(demo["index"], "draft-review", publish=False)
    draft.themes.add("Not yet published")
    draft.save()

    filters = api.get(f"/api/v3/pages/{demo['index'].pk}/").json()["filters"]

    assert filters["boards"] == ["Kingston LSCB", "Merton Safeguarding Children Board"] or (
        filters["boards"] == ["KINGSTON lscb", "Merton Safeguarding Children Board"]
    )
    assert filters["themes"] == [
        {"value": "information-sharing", "label": "Information sharing"},
        {"value": "neglect", "label": "Neglect"},
    ]


def test_index_gives_only_the_first_twenty_reviews_and_the_total(api, demo):
    for number in range(21):
        make_review(demo["index"], f"review-{number}")
    reviews = detail(api, demo["index"])["reviews"]
    assert reviews["count"] == 23
    assert len(reviews["items"]) == 20


def test_home_detail_lists_its_sections(api, demo):
    data = detail(api, demo["home"])
    assert data["path"] == "/"
    assert data["breadcrumbs"] == []
    assert data["sections"] == [
        {"id": demo["index"].pk, "title": "Serious case reviews", "path": "/serious-case-reviews/"}
    ]


def test_rich_text_page_links_are_frontend_relative_paths(api, demo):
    review = make_review(demo["index"], "linked", statements=2, link_to=demo["child_b"])
    quote = detail(api, review)["body"][0]["value"]["quote"]
    assert '<a href="/serious-case-reviews/child-b/">related review</a>' in quote
    assert "linktype" not in quote
    assert "testserver" not in quote and "localhost" not in quote


def test_rich_text_link_to_a_page_that_is_not_live_has_no_href(api, demo):
    draft = make_review(demo["index"], "draft-target", publish=False)
    review = make_review(demo["index"], "linking", link_to=draft)
    quote = detail(api, review)["body"][0]["value"]["quote"]
    assert "<a>related review</a>" in quote
    assert "draft-target" not in quote


def test_rich_text_document_links_point_at_the_cms(api, demo):
    document_id = demo["child_b"].body[1].value["document"].pk
    review = demo["family_a"]
    review.body = [
        (
            "paragraph",
            f'<p>Read <a linktype="document" id="{document_id}">the Child B report</a>.</p>',
        )
    ] + [(block.block_type, block.value) for block in review.body]
    review.save_revision().publish()
    paragraph = detail(api, review)["body"][0]["value"]
    assert re.search(r'href="http://testserver/documents/\d+/[^"]+\.pdf"', paragraph), paragraph


def test_links_in_the_index_summaries_are_resolved_too(api, demo):
    make_review(
        demo["index"],
        "newer",
        link_to=demo["family_a"],
        date_published=demo["child_b"].date_published,
    )
    items = detail(api, demo["index"])["reviews"]["items"]
    newer = next(item for item in items if item["path"].endswith("/newer/"))
    assert 'href="/serious-case-reviews/family-a/"' in newer["statements"][0]["quote"]


def test_review_summary_themes_are_sorted_names(api, demo):
    review = ReviewPage.objects.get(pk=demo["child_b"].pk)
    review.themes.add("neglect", "information sharing")
    review.save_revision().publish()
    item = detail(api, demo["index"])["reviews"]["items"][0]
    assert item["themes"] == ["information sharing", "neglect"]
    assert detail(api, review)["themes"] == ["information sharing", "neglect"]


def test_page_link_helper_matches_stored_rich_text(demo):
    # Guards the fixture: stored links must use Wagtail's own markup.
    assert (
        page_link(demo["child_b"])
        == f'<a linktype="page" id="{demo["child_b"].pk}">related review</a>'
    )
