"""The accessibility statement as readers see it: the model statement's structure and fixed
wording, with the compliance facts the API gives filled in."""

import copy
import itertools
import re

import pytest

from tests.frontend.html_checks import Outline

PATH = "/accessibility-statement/"
STATEMENT = {
    "id": 20,
    "meta": {"type": "pages.AccessibilityStatementPage", "slug": "accessibility-statement"},
    "title": "Accessibility statement",
    "path": PATH,
    "breadcrumbs": [{"title": "Merton Safeguarding Children Board", "path": "/"}],
    "last_updated": "2026-12-01",
    "website_name": "Merton case reviews",
    "scope": "the case reviews website",
    "organisation": "Merton Safeguarding Children Board",
    "using_this_website": "<p>You should be able to zoom in up to 400%.</p>",
    "known_problems": "<p>Some older PDFs are not accessible.</p>",
    "feedback_and_contact": "<p>Ask us for another format.</p>",
    "contact_email": "accessibility@example.com",
    "contact_phone": "020 8545 0000",
    "response_days": 5,
    "disproportionate_burden": "",
    "not_in_scope": "<p>PDFs published before 2018.</p>",
    "improvements": "<p>We test every page.</p>",
    "prepared_on": "2026-11-01",
    "last_reviewed": "2026-11-20",
    "compliance": {
        "status": "partially-compliant",
        "standard": "WCAG 2.2 AA",
        "caveats": [],
        "audit": {
            "tested_on": "2026-11-30",
            "page_count": 12,
            "viewport_widths": [1280, 320],
            "untested_paths": [],
            "age_days": 1,
            "max_age_days": 30,
        },
        "non_compliances": [
            {
                "rule_id": "image-alt",
                "problem": "Images must have alternative text",
                "criteria": [{"number": "1.1.1", "name": "Non-text content", "level": "A"}],
                "pages": [{"title": "Child B: serious case review", "path": "/reviews/child-b/"}],
                "fix_by": None,
                "fix_plan": "",
            },
            {
                "rule_id": "color-contrast",
                "problem": "Elements must meet minimum color contrast ratio thresholds",
                "criteria": [
                    {"number": "1.4.3", "name": "Contrast (minimum)", "level": "AA"},
                    {"number": "1.4.11", "name": "Non-text contrast", "level": "AA"},
                ],
                "pages": [{"title": "Guidance", "path": "/reviews/guidance/"}],
                "fix_by": "2027-03-31",
                "fix_plan": "The new colour palette ships with the spring release.",
            },
        ],
        "documents": [
            {
                "title": "Child B report",
                "path": "/documents/3/child-b.pdf",
                "problems": ["It has no tags, so screen readers cannot follow its structure."],
                "criteria": [{"number": "1.3.1", "name": "Info and relationships", "level": "A"}],
                "pages": [{"title": "Child B: serious case review", "path": "/reviews/child-b/"}],
                "fix_by": None,
                "fix_plan": "",
            }
        ],
    },
}


def text_of(html):
    """The text as read: inline tags join their neighbours, block tags separate them."""
    inline_removed = re.sub(r"</?(?:a|time|strong)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline_removed).split())


@pytest.fixture
def statement(fake_cms):
    fake_cms.pages[PATH] = copy.deepcopy(STATEMENT)
    return fake_cms.pages[PATH]


def test_the_statement_follows_the_model_statement(client, statement):
    response = client.get(PATH)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    outline = Outline(html)
    text = text_of(html)
    assert "This accessibility statement applies to the case reviews website." in text
    assert "This website is run by Merton Safeguarding Children Board." in text
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "Compliance status",
        "Non-accessible content",
        "Content that’s not within the scope of the accessibility regulations",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ):
        assert heading in text, heading
    assert "Disproportionate burden" not in text  # left empty by the editor
    headings = outline.headings
    assert headings[0] == 1
    assert all(later <= earlier + 1 for earlier, later in itertools.pairwise(headings))
    assert ("accessibility@example.com", "mailto:accessibility@example.com") in outline.links
    assert "get back to you in 5 working days" in text
    assert "Equality and Human Rights Commission (EHRC) is responsible for enforcing" in text


def test_partial_compliance_lists_each_problem_with_its_criteria_pages_and_fix_date(
    client, statement
):
    text = text_of(client.get(PATH).get_data(as_text=True))
    assert (
        "This website is partially compliant with the Web Content Accessibility Guidelines "
        "version 2.2 AA standard, due to the non-compliances listed below." in text
    )
    assert (
        "Images must have alternative text. This fails WCAG 2.2 success criterion 1.1.1 "
        "(Non-text content)." in text
    )
    assert (
        "This fails WCAG 2.2 success criteria 1.4.3 (Contrast (minimum)) and 1.4.11 "
        "(Non-text contrast)." in text
    )
    assert (
        "We plan to fix this by 31 March 2027. The new colour palette ships with the spring "
        "release." in text
    )
    assert "Child B: serious case review" in text
    assert (
        "This statement was prepared on 1 November 2026. It was last reviewed on 20 November "
        "2026." in text
    )
    assert (
        "This website was last tested on 30 November 2026, with an automated test of 12 pages "
        "at desktop (1280 pixels wide) and 320 pixels wide against WCAG 2.2 AA." in text
    )


@pytest.mark.parametrize(
    ("caveats", "says"),
    [
        (["never-audited"], "This website has not been tested yet."),
        (["audit-out-of-date"], "Our latest test was more than 30 days ago."),
        (["pages-not-audited"], "Our latest test could not check 2 pages."),
    ],
)
def test_without_trustworthy_evidence_it_never_claims_compliance(client, statement, caveats, says):
    compliance = statement["compliance"]
    compliance.update(status="not-assessed", caveats=caveats, non_compliances=[])
    compliance["audit"]["untested_paths"] = ["/a/", "/b/"]
    if caveats == ["never-audited"]:
        compliance["audit"] = None
    text = text_of(client.get(PATH).get_data(as_text=True))
    assert "fully compliant" not in text
    assert "We cannot yet say how far this website complies with" in text
    assert says in text


def test_failing_pdfs_are_listed_with_their_problems_criteria_and_linking_pages(client, statement):
    html = client.get(PATH).get_data(as_text=True)
    text = text_of(html)
    assert "1 PDF document may not work well with assistive technology" in text
    assert "PDFs and other documents" in text
    assert "It has no tags, so screen readers cannot follow its structure." in text
    assert "This fails WCAG 2.2 success criterion 1.3.1 (Info and relationships)." in text
    links = Outline(html).links
    assert ("Child B report", "/documents/3/child-b.pdf") in links
    assert links.count(("Child B: serious case review", "/reviews/child-b/")) == 2
