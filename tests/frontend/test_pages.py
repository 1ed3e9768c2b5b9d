"""Every page type renders from the API's JSON (stubbed here) as docs/api.md describes it."""

import logging
import re

from tests.frontend.html_checks import assert_accessible_structure


def text_of(response):
    """The page's text with tags removed and whitespace collapsed, for wording checks."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|svg|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_index_reproduces_the_seed_page(client):
    response = client.get("/serious-case-reviews/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    outline = assert_accessible_structure(html)
    text = text_of(response)
    assert outline.title.strip() == "Serious case reviews - Safeguarding case reviews"
    assert "In some instances where a child has suffered harm" in text
    # "On this page" lists every review and guidance page, linking to their sections.
    assert "On this page" in text
    assert ("Child B: serious case review", "#review-child-b") in outline.links
    assert ("Review 2: serious case review", "#review-review-2") in outline.links
    assert ("About serious case reviews", "#guidance-about-serious-case-reviews") in outline.links
    assert {
        "review-child-b",
        "review-review-2",
        "guidance-about-serious-case-reviews",
    } <= set(outline.ids)
    # Each review heading links to the review's own page, saying so in hidden words.
    assert (
        "Child B: serious case review (read the full review)",
        "/serious-case-reviews/child-b/",
    ) in outline.links
    assert "Statement 20 February 2017" in text
    assert "Chair of the Merton Safeguarding Children Board, Keith Makin said:" in text
    assert "“This is a very sad case" in text
    # The report is fetched from this site, which streams it from the CMS.
    assert (
        "View Report for Child B serious case review",
        "/documents/1/child-b-serious-case-review.pdf",
    ) in outline.links
    assert "(PDF, 1.2 MB, 48 pages)" in text
    assert "The final decision on whether to conduct the SCR rests with the LSCB Chair." in text
    assert (
        "More information about Family A serious case review (Kingston LSCB website)",
        "https://www.example.org/family-a-serious-case-review",
    ) in outline.links
    assert "What the law says about when a review must be carried out." in text
    assert "Last updated 21 February 2017" in text
    # Two reviews fit on one page: filters, but no pagination.
    assert "Filter reviews" in text
    assert 'class="govuk-pagination' not in html


def test_index_paginates_and_filters_when_reviews_do_not_fit(client, fake_cms):
    fake_cms.set_review_count(25)
    first = client.get("/serious-case-reviews/")
    text = text_of(first)
    assert "Filter reviews" in text
    assert "25 reviews, page 1 of 2" in text
    html = first.get_data(as_text=True)
    assert 'href="/serious-case-reviews/?page=2"' in html
    assert html.count('<section aria-labelledby="') == 20 + 1  # 20 reviews + guidance

    second = client.get("/serious-case-reviews/?page=2")
    assert second.status_code == 200
    assert "(page 2 of 2)" in second.get_data(as_text=True)
    listing = fake_cms.calls[-1]
    assert listing.url.path == "/api/v3/reviews/"
    assert listing.url.params["offset"] == "20" and listing.url.params["child_of"] == "4"
    assert "Review 25: serious case review" in text_of(second)

    filtered = client.get("/serious-case-reviews/?year=2015")
    assert fake_cms.calls[-1].url.params["year"] == "2015"
    assert "12 reviews" in text_of(filtered)
    assert "Clear filters" in text_of(filtered)
    assert '<option value="2015" selected>' in filtered.get_data(as_text=True)


def test_index_pages_that_do_not_exist_are_404s(client, fake_cms):
    """Filters have their own answers (tests/frontend/test_readers_filters.py)."""
    fake_cms.set_review_count(25)
    for query in ("page=0", "page=x", "page=3", "year=2015&page=2", "page=99999999"):
        response = client.get(f"/serious-case-reviews/?{query}")
        assert response.status_code == 404, query
        assert "Page not found" in text_of(response)


def test_review_page(client):
    response = client.get("/serious-case-reviews/child-b/")
    assert response.status_code == 200
    outline = assert_accessible_structure(response.get_data(as_text=True))
    text = text_of(response)
    assert "Serious case review Child B: serious case review" in text
    assert "Published 20 February 2017" in text
    assert "Led by Merton Safeguarding Children Board" in text
    assert "Statement 20 February 2017" in text
    assert "Chair of the Merton Safeguarding Children Board, Keith Makin said:" in text
    assert "regrettably harmed.”" in text
    assert "(PDF, 1.2 MB, 48 pages)" in text
    assert (
        "More information about Family A serious case review (Kingston LSCB website)",
        "https://www.example.org/family-a-serious-case-review",
    ) in outline.links
    assert "Request an accessible format of Child B serious case review report" in text
    assert "Last updated 22 February 2017" in text
    # Breadcrumbs from the page's ancestors.
    assert ("Merton Safeguarding Children Board", "/") in outline.links
    assert ("Serious case reviews", "/serious-case-reviews/") in outline.links


def test_guidance_page(client):
    response = client.get("/serious-case-reviews/about-serious-case-reviews/")
    assert response.status_code == 200
    assert_accessible_structure(response.get_data(as_text=True))
    text = text_of(response)
    assert "When a review is needed" in text
    assert "SCRs must be undertaken by LSCBs where —" in text
    assert "either — (i) the child has died; or (ii) the child has been seriously harmed." in text
    assert "The final decision rests with the Chair." in text
    assert "Source: Department for Education website: Serious Case Reviews" in text


def test_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    outline = assert_accessible_structure(response.get_data(as_text=True))
    assert ("Serious case reviews", "/serious-case-reviews/") in outline.links
    assert 'aria-label="Breadcrumb"' not in response.get_data(as_text=True)


def test_titles_are_unique(client):
    titles = {
        client.get(path).get_data(as_text=True).split("<title>")[1].split("</title>")[0]
        for path in (
            "/",
            "/serious-case-reviews/",
            "/serious-case-reviews/child-b/",
            "/serious-case-reviews/about-serious-case-reviews/",
        )
    }
    assert len(titles) == 4


def test_unknown_page_is_an_accessible_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_accessible_structure(response.get_data(as_text=True))
    assert "Page not found" in text_of(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_path_without_trailing_slash_redirects(client):
    response = client.get("/serious-case-reviews?year=2017")
    assert response.status_code == 301
    assert response.headers["Location"] == "/serious-case-reviews/?year=2017"


def test_slash_redirect_stays_on_this_site(client):
    for path in ("/%2F%2Fevil.example", "/%2Fevil.example"):
        location = client.get(path).headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), location


def test_unknown_page_type_is_a_logged_500(client, fake_cms, caplog):
    fake_cms.pages["/serious-case-reviews/child-b/"]["meta"]["type"] = "pages.EventPage"
    with caplog.at_level(logging.ERROR):
        response = client.get("/serious-case-reviews/child-b/")
    assert response.status_code == 500
    assert_accessible_structure(response.get_data(as_text=True))
    assert "Sorry, there is a problem with the service" in text_of(response)
    assert "Traceback" not in response.get_data(as_text=True)
    assert "pages.EventPage" in caplog.text


def test_sitemap_and_robots(client):
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert sitemap.mimetype == "application/xml"
    xml = sitemap.get_data(as_text=True)
    assert "<loc>http://frontend.test/serious-case-reviews/child-b/</loc>" in xml
    assert "<lastmod>2017-02-22</lastmod>" in xml
    assert xml.count("<url>") == 4
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://frontend.test/sitemap.xml" in robots
    assert "Disallow: /preview" in robots


def test_sitemap_and_robots_use_the_configured_address_not_the_host_header(client):
    """Otherwise anyone could have cached copies point search engines at their own site."""
    for path in ("/sitemap.xml", "/robots.txt"):
        body = client.get(path, headers={"Host": "evil.example"}).get_data(as_text=True)
        assert "evil.example" not in body, path
        assert "http://frontend.test/" in body, path


def test_method_not_allowed_says_which_methods_are(client):
    response = client.post("/serious-case-reviews/")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "This page cannot do that" in text_of(response)


def test_index_without_reviews_or_guidance_has_no_empty_contents_list(client, fake_cms):
    index = fake_cms.pages["/serious-case-reviews/"]
    index["reviews"] = {"count": 0, "limit": 20, "items": []}
    index["guidance_pages"] = []
    response = client.get("/serious-case-reviews/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_accessible_structure(html)
    assert "On this page" not in html
    assert "There are no reviews." in text_of(response)


def test_filtered_views_name_their_filters_in_the_title(client, fake_cms):
    fake_cms.set_review_count(25)

    def title(query):
        html = client.get(f"/serious-case-reviews/?{query}").get_data(as_text=True)
        return html.split("<title>")[1].split("</title>")[0].strip()

    assert title("") == "Serious case reviews - Safeguarding case reviews"
    # Filtered: what by, and what was found.
    assert title("year=2017") == (
        "Serious case reviews: 2017 (13 reviews) - Safeguarding case reviews"
    )
    assert title("review_type=scr&page=2") == (
        "Serious case reviews: Serious case review (25 reviews, page 2 of 2)"
        " - Safeguarding case reviews"
    )
    assert title("year=2015&review_type=scr&page=1") == (
        "Serious case reviews: 2015, Serious case review (12 reviews) - Safeguarding case reviews"
    )
    assert title("year=1999") == (
        "Serious case reviews: 1999 (no reviews match) - Safeguarding case reviews"
    )
    assert title("page=2") == "Serious case reviews (page 2 of 2) - Safeguarding case reviews"


def test_editor_written_rich_text_gets_govuk_styles(client, fake_cms):
    """Wagtail 8 puts a data-block-key on every paragraph an editor writes."""
    guidance = fake_cms.pages["/serious-case-reviews/about-serious-case-reviews/"]
    guidance["body"][2]["value"] = '<p data-block-key="x1y2z">The final decision rests.</p>'
    html = client.get("/serious-case-reviews/about-serious-case-reviews/").get_data(as_text=True)
    assert '<p data-block-key="x1y2z" class="govuk-body">The final decision rests.</p>' in html


def test_index_shows_guidance_headings_one_level_below_its_section(client, fake_cms):
    """The guidance page's own h2s and h3s sit under the section's h2 on the index."""
    guidance = fake_cms.pages["/serious-case-reviews/"]["guidance_pages"][0]
    guidance["body"] = [
        {"type": "heading", "id": "h1", "value": {"text": "When a review is needed", "level": 2}},
        {"type": "heading", "id": "h2", "value": {"text": "Who decides", "level": 3}},
    ]
    html = client.get("/serious-case-reviews/").get_data(as_text=True)
    assert_accessible_structure(html)
    section = html.split('id="guidance-about-serious-case-reviews"')[1]
    assert '<h3 class="govuk-heading-m">When a review is needed</h3>' in section
    assert '<h4 class="govuk-heading-s">Who decides</h4>' in section
    # On the guidance page itself they keep their own levels.
    page = client.get("/serious-case-reviews/about-serious-case-reviews/").get_data(as_text=True)
    assert '<h2 class="govuk-heading-l">When a review is needed</h2>' in page


def test_review_slugs_never_clash_with_the_index_pages_own_ids(client, fake_cms):
    """A review slugged "year" must not take the id of the year filter (or the skip link's)."""
    fake_cms.set_review_count(25)  # so the filters, with their "year" id, are shown
    index = fake_cms.pages["/serious-case-reviews/"]
    for review, slug in zip(index["reviews"]["items"], ("year", "main-content"), strict=False):
        review["path"] = f"/serious-case-reviews/{slug}/"
    index["guidance_pages"][0]["path"] = "/serious-case-reviews/review-year/"
    html = client.get("/serious-case-reviews/").get_data(as_text=True)
    outline = assert_accessible_structure(html)  # no duplicate ids
    assert ("Child B: serious case review", "#review-year") in outline.links
    assert ("Review 2: serious case review", "#review-main-content") in outline.links
    assert ("About serious case reviews", "#guidance-review-year") in outline.links
    assert '<section aria-labelledby="title-review-year"' in html
