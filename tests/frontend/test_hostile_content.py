"""Whatever the API sends, no script reaches a page: rich text is sanitised against what the
CMS's editors can produce, and no link the site builds from API data can run script."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.frontend.conftest import DOCUMENT_REPORT, EXTERNAL_REPORT

INDEX_PATH = "/serious-case-reviews/"
REVIEW_PATH = "/serious-case-reviews/child-b/"
GUIDANCE_PATH = "/serious-case-reviews/about-serious-case-reviews/"

HOSTILE_RICH_TEXT = [
    "<script>alert(1)</script>",
    '<p onclick="alert(1)">Click</p>',
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">link</a>',
    '<a href=" JaVaScRiPt:alert(1)">link</a>',
    '<a href="&#106;avascript:alert(1)">link</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">link</a>',
    '<a href="java&#9;script:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    '<a href="vbscript:msgbox(1)">link</a>',
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body { display: none }</style>",
    "<svg onload=alert(1)><circle r=1></circle></svg>",
    '<form action="https://evil.example/"><input name="password"></form>',
    '<p style="background: url(javascript:alert(1))" class="evil">styled</p>',
    "<object data=x></object><embed src=x><base href=https://evil.example/>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)"></style></mglyph>',
]

HOSTILE_URLS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]


class Elements(HTMLParser):
    """Every element of a page with its attributes (entities decoded, as browsers read them)."""

    def __init__(self, html):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def scheme_of(url: str) -> str:
    # urlsplit reads schemes as browsers do: surrounding controls and spaces stripped, tabs
    # and newlines dropped, letters in any case.
    return urlsplit(url).scheme


def assert_no_script_can_run(html: str) -> None:
    for tag, attributes in Elements(html).elements:
        assert tag not in {"iframe", "style", "object", "embed", "base", "img", "math"}, tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            if name in {"href", "src", "action"}:
                assert scheme_of(value or "") in {"", "http", "https", "mailto"}, (tag, value)
        if tag == "script":
            # Only the page's own: GOV.UK's module script, carrying the CSP nonce.
            assert "nonce" in attributes, attributes
        if tag == "form":
            assert attributes.get("action") == INDEX_PATH, attributes
        if tag == "input":
            assert attributes.get("name") != "password"


def put_rich_text_everywhere(fake_cms, html):
    """``html`` in every rich text field the API has: intros, paragraphs and statement quotes."""
    for page in fake_cms.pages.values():
        if "intro" in page:
            page["intro"] = f"<p>Intro.</p>{html}"
    statement = {**fake_cms.pages[REVIEW_PATH]["body"][0]["value"], "quote": f"<p>Sad.</p>{html}"}
    fake_cms.pages[REVIEW_PATH]["body"][0]["value"] = statement
    paragraph = {"type": "paragraph", "id": "p9", "value": f"<p>Para.</p>{html}"}
    fake_cms.pages[GUIDANCE_PATH]["body"].append(paragraph)
    index = fake_cms.pages[INDEX_PATH]
    index["guidance_pages"][0]["body"].append(paragraph)
    for review in index["reviews"]["items"]:
        review["statements"] = [statement]


@pytest.mark.parametrize("html", HOSTILE_RICH_TEXT)
def test_hostile_rich_text_is_sanitised_on_every_page(client, fake_cms, html):
    put_rich_text_everywhere(fake_cms, html)
    for path in ("/", INDEX_PATH, REVIEW_PATH, GUIDANCE_PATH):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert_no_script_can_run(page)
        assert "Intro." in page or path in (REVIEW_PATH, GUIDANCE_PATH)


def put_url_everywhere(fake_cms, url):
    """``url`` in every address the API gives: reports, citations, page paths and breadcrumbs."""
    reports = [{**DOCUMENT_REPORT, "url": url}, {**EXTERNAL_REPORT, "url": url}]
    review = fake_cms.pages[REVIEW_PATH]
    review["body"][1]["value"], review["body"][2]["value"] = reports
    review["breadcrumbs"] = [{"title": "Home", "path": url}]
    guidance = fake_cms.pages[GUIDANCE_PATH]
    guidance["body"][3]["value"] = {**guidance["body"][3]["value"], "url": url}
    fake_cms.pages["/"]["sections"][0]["path"] = url
    index = fake_cms.pages[INDEX_PATH]
    index["path"] = url
    index["guidance_pages"][0]["path"] = url
    index["guidance_pages"][0]["body"] = guidance["body"]
    for summary in fake_cms.all_reviews:
        summary["path"] = url
        summary["reports"] = reports


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_no_link_built_from_api_data_can_run_script(client, fake_cms, url):
    fake_cms.set_review_count(25)  # so the index shows its filter form, whose action is a path
    put_url_everywhere(fake_cms, url)
    for path in ("/", INDEX_PATH, f"{INDEX_PATH}?year=2017", REVIEW_PATH, GUIDANCE_PATH):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_script_can_run(response.get_data(as_text=True))


def test_safe_links_from_the_api_are_kept(client, fake_cms):
    fake_cms.pages[GUIDANCE_PATH]["body"].append(
        {
            "type": "paragraph",
            "id": "p9",
            "value": '<p data-block-key="k1">See <a href="/serious-case-reviews/">reviews</a>, '
            '<a href="https://www.gov.uk/">GOV.UK</a> and '
            '<a href="mailto:board@example.org">email us</a>.</p>',
        }
    )
    html = client.get(GUIDANCE_PATH).get_data(as_text=True)
    links = {attributes.get("href") for tag, attributes in Elements(html).elements if tag == "a"}
    assert {
        "/serious-case-reviews/",
        "https://www.gov.uk/",
        "mailto:board@example.org",
        "https://www.gov.uk/government/collections/serious-case-reviews",
    } <= links
