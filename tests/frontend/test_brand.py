"""The site is the council's, not on GOV.UK: no crown, GOV.UK logo or Crown copyright."""

import re
from pathlib import Path

import httpx
import pytest

from frontend import create_app
from frontend.config import TestConfig
from tests.frontend.conftest import REVIEW
from tests.frontend.html_checks import Outline

PAGES = (
    "/",
    "/serious-case-reviews/",
    "/serious-case-reviews/child-b/",
    "/serious-case-reviews/about-serious-case-reviews/",
    "/no-such-page/",
    "/preview?content_type=pages.reviewpage&token=abc",
)


def tudor_crown(app) -> str:
    """The crown's outline from GOV.UK Frontend's own logo, so the check follows the package."""
    logo = (Path(app.config["GOVUK_FRONTEND_DIST"]) / "macros" / "logo.njk").read_text()
    crown = logo.split("{%- set _tudorCrown %}")[1].split("{%- endset %}")[0]
    return re.search(r'<path d="([^"]+)"', crown).group(1)


def footer_of(html: str) -> str:
    return html.split('<footer class="govuk-template__footer">')[1].split("</footer>")[0]


def test_the_crown_check_finds_the_crown_in_gov_uks_header(app):
    # Proves the check below can fail: GOV.UK's own header carries the crown it looks for.
    header = app.jinja_env.from_string(
        '{% from "govuk_frontend_jinja/components/header/macro.html" import govukHeader %}'
        "{{ govukHeader({}) }}"
    )
    assert tudor_crown(app) in header.render()


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_no_gov_uk_brand(client, app, fake_cms, path):
    fake_cms.previews[("pages.reviewpage", "abc")] = REVIEW
    html = client.get(path).get_data(as_text=True)
    assert "<main" in html
    assert tudor_crown(app) not in html
    for mark in ("govuk-header", "govuk-logo", "govuk-footer__crown", "govuk-footer__copyright"):
        assert mark not in html, mark
    assert "Crown copyright" not in html
    assert "nationalarchives.gov.uk" not in html  # the Crown copyright and OGL links
    # GOV.UK's favicons and app icons are the crown.
    assert "/assets/images/" not in html and 'rel="icon"' not in html


def test_service_navigation_names_the_site_and_footer_has_its_copyright(client):
    html = client.get("/serious-case-reviews/child-b/").get_data(as_text=True)
    header = html.split('<header class="govuk-template__header">')[1].split("</header>")[0]
    assert 'class="govuk-service-navigation' in header
    assert ("Safeguarding case reviews", "/") in Outline(header).links
    footer = footer_of(html)
    assert 'class="govuk-footer"' in footer
    text = " ".join(re.sub(r"<[^>]+>", " ", footer).split())
    assert text == "Support links Accessibility statement © Merton Council"


def test_the_footer_links_to_the_accessibility_statement_the_page_names(client, fake_cms):
    review = fake_cms.pages["/serious-case-reviews/child-b/"]
    review["accessibility_statement"] = {"id": 9, "title": "Accessibility", "path": "/about/a11y/"}
    footer = footer_of(client.get("/serious-case-reviews/child-b/").get_data(as_text=True))
    assert ("Accessibility statement", "/about/a11y/") in Outline(footer).links
    # A page without that (or an error page) links to the configured address.
    footer = footer_of(client.get("/no-such-page/").get_data(as_text=True))
    assert ("Accessibility statement", "/accessibility-statement/") in Outline(footer).links


def test_site_name_and_copyright_come_from_config(fake_cms, tmp_path):
    config = type(
        "OtherCouncil",
        (TestConfig,),
        {
            "CACHE_DIR": str(tmp_path / "cache"),
            "API_TRANSPORT": httpx.MockTransport(fake_cms.handle),
            "SERVICE_NAME": "Example case reviews",
            "COPYRIGHT": "© Example Borough Council",
        },
    )
    app = create_app(config)
    html = app.test_client().get("/").get_data(as_text=True)
    app.extensions["cms"].close()
    assert ("Example case reviews", "/") in Outline(html).links
    assert "© Example Borough Council" in footer_of(html)
    assert "Merton Council" not in footer_of(html)
