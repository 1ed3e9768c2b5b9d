"""Defects an editor can cause through the CMS are caught on the real frontend, and pass once the
editor fixes them. Content is saved the way a script or import would, past form validation."""

from __future__ import annotations

import subprocess
import sys

import pytest

from a11y_tests.config import DESKTOP, MOBILE, REPO_ROOT
from a11y_tests.discover import discover

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PAGE_PATH = "/serious-case-reviews/editor-defects/"

# A guidance page whose body skips from h1 to h3 and whose rich text has an empty link and a
# "click here" link: the editor's rich text field accepts both.
PUBLISH = """
from wagtail.rich_text import RichText
from pages.models import GuidancePage, ReviewIndexPage

heading_level, paragraph = {heading_level!r}, {paragraph!r}
page = GuidancePage.objects.filter(slug="editor-defects").first()
if page is None:
    page = GuidancePage(title="Editor defects", slug="editor-defects", body=[])
    ReviewIndexPage.objects.live().get(slug="serious-case-reviews").add_child(instance=page)
page.body = [
    ("heading", {{"text": "Background", "level": heading_level}}),
    ("paragraph", RichText(paragraph)),
]
page.save_revision().publish()
"""

BROKEN = {
    "heading_level": "h3",
    "paragraph": '<p>The overview report is <a href="https://example.org/overview"></a> online. '
    'To read the summary, <a href="https://example.org/summary">click here</a>.</p>',
}
FIXED = {
    "heading_level": "h2",
    "paragraph": '<p>Read the <a href="https://example.org/overview">overview report</a> and '
    'the <a href="https://example.org/summary">summary of findings</a>.</p>',
}


def publish(cms, content: dict) -> None:
    """Publish as the CMS does, so its revalidation call reaches the frontend."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PUBLISH.format(**content)],
        cwd=REPO_ROOT,
        env=cms.env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def audit_editor_page(worker, cms, frontend):
    targets = {t.path: t for t in discover(cms.url, frontend.url).targets}
    assert PAGE_PATH in targets, "the new page must be discovered from the CMS sitemap"
    return {
        viewport.name: worker.audit(targets[PAGE_PATH], viewport) for viewport in (DESKTOP, MOBILE)
    }


def ids(rules):
    return sorted(rule["id"] for rule in rules)


def test_editor_defects_are_caught_then_pass_once_fixed(cms_stack, audit_worker):
    cms, frontend = cms_stack
    publish(cms, BROKEN)
    for viewport, result in audit_editor_page(audit_worker, cms, frontend).items():
        assert result.error is None, result.error
        assert ids(result.violations) == ["link-name"], viewport
        assert ids(result.warnings) == ["heading-order", "link-text-generic"], viewport
        (empty_link,) = result.violations[0]["nodes"]
        assert 'href="https://example.org/overview"' in empty_link["html"]

    publish(cms, FIXED)
    for viewport, result in audit_editor_page(audit_worker, cms, frontend).items():
        assert result.error is None, result.error
        assert (result.violations, result.warnings) == ([], []), viewport
