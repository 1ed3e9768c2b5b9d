"""Readers find the index's filters, and every filter value gets a page that says what it found.

Issue 14, item 3: the filter form shows whenever the index has reviews; a value of the right
kind that matches nothing is a 200 "No reviews match" page with a way back; a value of the
wrong kind is a 400 that names the filter. Unit tests use the stub CMS (tests/frontend/conftest.py,
which refuses values as the API does); the integration tests ask the real CMS.
"""

import re

import httpx
import pytest

from tests.frontend.html_checks import Outline, assert_accessible_structure

INDEX_PATH = "/serious-case-reviews/"


def text_of(html: str) -> str:
    html = re.sub(r"<(script|svg|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def title_of(html: str) -> str:
    return " ".join(Outline(html).title.split())


def status_region(html: str) -> str:
    """The text of the results count region, which assistive technology announces."""
    found = re.search(r'<div role="status"[^>]*>(.*?)</div>', html, flags=re.S)
    assert found, "the results count must be in a status region"
    return text_of(found.group(1))


def field_names(html: str) -> list[str]:
    return re.findall(r'<(?:input|select)[^>]* name="([a-z_]+)"', html)


@pytest.fixture
def themed_index(fake_cms):
    """The stub index names boards and themes to choose, as the API is asked to (docs/api.md)."""
    index = fake_cms.pages[INDEX_PATH]
    index["filters"]["boards"] = ["Kingston LSCB", "Merton Safeguarding Children Board"]
    index["filters"]["themes"] = [{"value": "neglect", "label": "Neglect"}]
    fake_cms.all_reviews[1]["board"] = "Kingston LSCB"
    fake_cms.all_reviews[0]["themes"] = ["Neglect"]
    fake_cms.all_reviews[1]["summary"] = "Lessons about information sharing."
    return index


def test_the_filter_form_shows_whenever_the_index_has_reviews(client, fake_cms, themed_index):
    html = client.get(INDEX_PATH).get_data(as_text=True)
    outline = assert_accessible_structure(html)
    # Two reviews, one page of them: the form is there all the same, every filter in it.
    assert field_names(html) == ["search", "year", "review_type", "board", "theme"]
    assert 'role="search" aria-labelledby="filter-heading"' in html  # a landmark
    for label in ("Search reviews", "Year published", "Type of review", "Theme"):
        assert f">\n    {label}\n  </label>" in html, label
    assert "Lead board or partnership" in text_of(html)
    assert '<option value="neglect">Neglect</option>' in html
    assert status_region(html) == "2 reviews"
    assert "Clear filters" not in text_of(html)  # nothing to clear
    assert "#results-heading" not in outline.links


def test_an_index_without_reviews_has_no_filter_form(client, fake_cms):
    fake_cms.pages[INDEX_PATH]["reviews"] = {"count": 0, "limit": 20, "items": []}
    html = client.get(INDEX_PATH).get_data(as_text=True)
    assert "Filter reviews" not in html
    assert "There are no reviews." in text_of(html)


@pytest.mark.parametrize(
    ("query", "found", "announced"),
    [
        ("board=kingston+lscb", "Review 2: serious case review", "Lead board or partnership"),
        ("theme=neglect", "Child B: serious case review", "Theme: Neglect"),
        ("search=information+sharing", "Review 2: serious case review", "“information sharing”"),
    ],
)
def test_each_filter_narrows_the_listing_and_is_announced(
    client, fake_cms, themed_index, query, found, announced
):
    response = client.get(f"{INDEX_PATH}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_accessible_structure(html)
    listing = fake_cms.calls[-1]
    assert listing.url.path == "/api/v3/reviews/"
    name, value = query.split("=")
    assert listing.url.params[name] == value.replace("+", " ")
    region = status_region(html)
    assert region.startswith("1 review Filtered by:")
    assert announced in region
    assert found in text_of(html)
    assert "1 review" in title_of(html)
    assert "Clear filters" in text_of(html)


def test_a_valid_value_that_matches_nothing_is_a_200_that_says_so(client, fake_cms):
    """No review of this type yet: the CMS accepts the value and finds nothing."""
    response = client.get(f"{INDEX_PATH}?review_type=lcspr")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    outline = assert_accessible_structure(html)
    assert "No reviews match" in status_region(html)
    assert "Type of review: lcspr" in status_region(html)
    assert ("clear the filters to see all 2 reviews", INDEX_PATH) in outline.links
    assert title_of(html).startswith("Serious case reviews: lcspr (no reviews match)")
    # The form still shows the choice, so applying it again keeps it.
    assert '<option value="lcspr" selected>lcspr</option>' in html
    # Guidance is still on the page; the contents list names what there is.
    assert ("About serious case reviews", "#guidance-about-serious-case-reviews") in outline.links
    assert "Page not found" not in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("year=abc", "year", "Year published must be a year, like 2017"),
        ("year=1066", "year", "Year published must be a year, like 2017"),
        ("review_type=nonsense", "review_type", "Type of review must be one of the types"),
        ("search=%22unpaired", "search", "Search for words only"),
        ("board=Merton%07Board", "board", "Lead board or partnership must be one in the list"),
        ("theme=" + "x" * 201, "theme", "Theme must be one of the themes in the list"),
    ],
)
def test_a_value_of_the_wrong_kind_is_a_400_naming_the_filter(
    client, fake_cms, query, field, message
):
    calls_before = len(fake_cms.calls)
    response = client.get(f"{INDEX_PATH}?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    outline = assert_accessible_structure(html, banner_first=True)  # the summary comes first
    assert title_of(html).startswith("Error: Serious case reviews")
    # GOV.UK's error summary, each message linking to its field, and the message on the field.
    assert 'class="govuk-error-summary"' in html
    assert any(href == f"#{field}" and message in text for text, href in outline.links)
    assert f'id="{field}-error"' in html
    assert "Traceback" not in html and "Page not found" not in html
    # The form is there to put it right, and a way back to every review.
    assert ("Clear filters", INDEX_PATH) in outline.links
    if field in ("board", "theme"):
        # Control characters and overlong text never reach the CMS.
        assert not any(c.url.path == "/api/v3/reviews/" for c in fake_cms.calls[calls_before:])


def test_pagination_keeps_every_filter(client, fake_cms):
    fake_cms.set_review_count(45)
    html = client.get(f"{INDEX_PATH}?search=review&year=2017").get_data(as_text=True)
    assert "23 reviews, page 1 of 2" in status_region(html)
    assert 'href="/serious-case-reviews/?search=review&amp;year=2017&amp;page=2"' in html


# The real CMS (demo content: Child B 2017, Merton board; Family A 2015, Kingston LSCB).


def get(stack, query=""):
    return httpx.get(f"{stack.frontend.url}{INDEX_PATH}{query}", timeout=10)


@pytest.mark.integration
def test_the_real_cms_filters_and_refuses_as_the_pages_say(stack):
    index = get(stack)
    assert "Filter reviews" in index.text  # two reviews, one page: the form is there
    assert status_region(index.text) == "2 reviews"

    by_board = get(stack, "?board=Kingston+LSCB")
    assert by_board.status_code == 200
    assert status_region(by_board.text).startswith("1 review")
    assert "Family A: serious case review" in text_of(by_board.text)
    assert "Child B: serious case review" not in text_of(by_board.text)

    searched = get(stack, "?search=regrettably")
    assert status_region(searched.text).startswith("1 review")
    assert "Child B: serious case review" in text_of(searched.text)

    # No local child safeguarding practice review is published yet.
    none_yet = get(stack, "?review_type=lcspr")
    assert none_yet.status_code == 200
    assert status_region(none_yet.text).startswith("No reviews match")
    assert ("clear the filters to see all 2 reviews", INDEX_PATH) in Outline(none_yet.text).links
    assert get(stack, "?year=1999").status_code == 200

    for query, message in (
        ("?year=abc", "Year published must be a year"),
        ("?review_type=colour", "Type of review must be one of the types"),
        ("?search=%22", "Search for words only"),
    ):
        refused = get(stack, query)
        assert refused.status_code == 400, query
        assert_accessible_structure(refused.text, banner_first=True)
        assert message in text_of(refused.text), query
