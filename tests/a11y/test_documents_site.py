"""The audit CLI checks the PDFs the real site links to: uploaded to the CMS, linked from a
report block and from rich text, read through the real frontend."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from a11y_tests.config import REPO_ROOT
from tests.a11y import pdfs

pytestmark = [pytest.mark.browser, pytest.mark.integration]

INDEX = "/serious-case-reviews/"  # its listing links each review's report too
REVIEW = "/serious-case-reviews/family-a/"
GUIDANCE = "/serious-case-reviews/about-serious-case-reviews/"
CHILD_B = "/serious-case-reviews/child-b/"

# Child B's report block gets the good PDF; the untitled PDF is linked from Family A's new
# report block and from a paragraph of the guidance page. Published as an editor would, so the
# CMS tells the frontend to revalidate those pages and their listing.
UPLOAD_AND_LINK = """
from pathlib import Path
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText
from pages.models import GuidancePage, ReviewPage

def upload(title, name, path):
    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(Path(path).read_bytes()), save=False)
    document.save()
    return document

good = upload("Child B report", "child-b-report.pdf", {good!r})
untitled = upload("Family A overview", "family-a-overview.pdf", {untitled!r})

child_b = ReviewPage.objects.get(slug="child-b")
body = [(block.block_type, block.value) for block in child_b.body]
for kind, value in body:
    if kind == "report":
        value["document"] = good
child_b.body = body
child_b.save_revision().publish()

family_a = ReviewPage.objects.get(slug="family-a")
family_a.body = [(block.block_type, block.value) for block in family_a.body] + [
    ("report", {{"document": untitled, "url": "", "site_name": "",
                "link_text": "Family A serious case review overview report"}}),
]
family_a.save_revision().publish()

guidance = GuidancePage.objects.get(slug="about-serious-case-reviews")
guidance.body = [(block.block_type, block.value) for block in guidance.body] + [
    ("paragraph", RichText(
        f'<p>The <a linktype="document" id="{{untitled.id}}">overview of the Family A review</a> '
        "sums up what agencies learnt.</p>"
    )),
]
guidance.save_revision().publish()
"""


@pytest.fixture(scope="module")
def linked_site(cms_stack, tmp_path_factory):
    cms, frontend = cms_stack
    folder = tmp_path_factory.mktemp("pdfs")
    good, untitled = folder / "good.pdf", folder / "untitled.pdf"
    good.write_bytes(pdfs.good_document())
    untitled.write_bytes(pdfs.edited(pdfs.good_document(), pdfs.no_title))
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            UPLOAD_AND_LINK.format(good=str(good), untitled=str(untitled)),
        ],
        cwd=REPO_ROOT,
        env=cms.env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return cms, frontend


def audit(cms, frontend, report_dir, *options):
    """The CLI against the real site, desktop only (all the documents need), and its results;
    the repository's own baseline stays out unless a test gives one."""
    baseline = () if "--baseline" in options else ("--no-baseline",)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "a11y_tests",
            "--cms-url",
            cms.url,
            "--frontend-url",
            frontend.url,
            "--report-dir",
            str(report_dir),
            "--workers",
            "2",
            "--viewport",
            "desktop",
            "--no-screenshots",
            *baseline,
            *options,
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed, json.loads((report_dir / "results.json").read_text())


def test_a_failing_pdf_linked_from_two_pages_is_checked_once_and_fails_the_run(
    linked_site, tmp_path
):
    cms, frontend = linked_site
    run, results = audit(cms, frontend, tmp_path)

    assert run.returncode == 1, run.stderr
    assert {row["status"] for row in results["results"]} == {"passed"}  # the pages are fine
    documents = {row["path"].rsplit("/", 1)[1]: row for row in results["documents"]}
    assert sorted(documents) == ["child-b-report.pdf", "family-a-overview.pdf"]
    untitled, good = documents["family-a-overview.pdf"], documents["child-b-report.pdf"]
    assert sorted(untitled["linked_from"]) == sorted([INDEX, REVIEW, GUIDANCE])
    # Wagtail's address for it, on the CMS or wherever the frontend serves documents.
    assert untitled["url"].startswith((f"{cms.url}/documents/", f"{frontend.url}/documents/"))
    assert (untitled["status"], [f["check"] for f in untitled["violations"]]) == (
        "failed",
        ["pdf-title"],
    )
    assert (good["status"], sorted(good["linked_from"]), good["pages"]) == (
        "passed",
        [INDEX, CHILD_B],
        pdfs.GOOD_PAGES,
    )
    assert results["summary"]["documents"]["checked"] == 2
    assert f"document {untitled['url']} failed: pdf-title" in run.stderr

    cases = {case.get("name"): case for case in ET.parse(tmp_path / "junit.xml").iter("testcase")}
    assert cases[untitled["url"]].find("failure") is not None
    assert cases[good["url"]].find("failure") is None
    html = (tmp_path / "report.html").read_text()
    assert "<h2>Documents</h2>" in html and f">{GUIDANCE}</a>" in html

    # Accepted in the baseline by check id and document path, it no longer fails the run.
    baseline = tmp_path / "baseline.toml"
    baseline.write_text(
        '[[accepted]]\nrule = "pdf-title"\ndocument = "/documents/*/family-a-overview*.pdf"\n'
        'reason = "A titled version is on its way"\nexpires = 2099-12-31\n'
    )
    run, results = audit(cms, frontend, tmp_path / "accepted", "--baseline", str(baseline))

    assert run.returncode == 0, run.stderr
    [accepted] = [row for row in results["documents"] if row["url"] == untitled["url"]]
    assert (accepted["status"], accepted["violations"]) == ("passed", [])
    assert accepted["accepted"][0]["baseline"]["reason"] == "A titled version is on its way"
    assert results["baseline"]["stale"] == []
