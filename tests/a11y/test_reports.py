"""The report step on its own: what JUnit, pytest text and report.html say, and the files that
are written (and removed) in the report directory."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from a11y_tests.analyse import outlined_screenshot
from a11y_tests.baseline import BaselineOutcome
from a11y_tests.config import DESKTOP, MOBILE, AuditSettings
from a11y_tests.model import AuditResult, Target
from a11y_tests.report import (
    ReportDirError,
    RunInfo,
    build_document,
    prepare_report_dir,
    screenshot_name,
    write_reports,
)
from a11y_tests.report.text import describe_rules, describe_run
from a11y_tests.tabs import MAX_SCREENSHOT_HEIGHT
from tests.a11y.site import FIXTURES

JPEG = b"\xff\xd8 a picture"
CONTRAST_SUMMARY = (
    "Fix any of the following:\n"
    "  Element has insufficient color contrast of 2.08 (foreground color: #aaaaaa, background "
    "color: #ffffff, font size: 12.0pt (16px), font weight: normal). Expected contrast ratio "
    "of 4.5:1\n"
)
CONTRAST = {
    "id": "color-contrast",
    "impact": "serious",
    "tags": ["wcag2aa", "wcag143"],
    "wcag": ["1.4.3"],
    "description": "",
    "help": "Elements must meet minimum color contrast",
    "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/color-contrast",
    "nodes": [
        {
            "target": [".faint"],
            "html": '<p class="faint">',
            "impact": "serious",
            "failureSummary": CONTRAST_SUMMARY,
        }
    ],
}


GENERIC_LINK = {
    "id": "link-text-generic",
    "impact": "moderate",
    "tags": ["cat.name-role-value", "best-practice"],
    "wcag": [],
    "description": "Ensures link text describes where the link goes without its context",
    "help": "Link text must make sense on its own, not just 'click here' or 'read more'",
    "helpUrl": "https://www.w3.org/WAI/WCAG22/Understanding/link-purpose-in-context.html",
    "nodes": [{"target": ["main a"], "html": '<a href="/r">click here</a>', "impact": "moderate"}],
}


def result(
    path: str, *, viewport=DESKTOP, violations=(), warnings=(), screenshot=None
) -> AuditResult:
    return AuditResult(
        Target(url=f"http://site.test{path}", path=path),
        viewport,
        violations=list(violations),
        warnings=list(warnings),
        screenshot=screenshot,
    )


def document_of(results: list[AuditResult], **run) -> dict:
    return build_document(
        results,
        BaselineOutcome(path=None),
        RunInfo(
            cms_url="http://cms.test",
            frontend_url="http://site.test",
            axe_version="4.14.1",
            started_at="2026-02-01T09:00:00+00:00",
            finished_at="2026-02-01T09:05:00+00:00",
            settings=AuditSettings(),
            **run,
        ),
    )


def junit_cases(report_dir: Path) -> dict[str, ET.Element]:
    return {case.get("name"): case for case in ET.parse(report_dir / "junit.xml").iter("testcase")}


def test_axe_explanation_is_in_the_text_junit_and_pytest_share(tmp_path):
    text = describe_rules([CONTRAST], "violations")
    assert (
        '  * .faint\n    <p class="faint">\n    Fix any of the following:\n'
        "      Element has insufficient color contrast of 2.08 (foreground"
    ) in text
    assert text.endswith("Expected contrast ratio of 4.5:1")  # no blank or trailing lines

    results = [result("/faint/", violations=[CONTRAST])]
    write_reports(document_of(results), results, tmp_path, ["junit"])
    failure = junit_cases(tmp_path)["/faint/@desktop"].find("failure")
    assert "Expected contrast ratio of 4.5:1" in failure.text


@pytest.mark.browser
def test_reflow_screenshot_shows_the_overflowing_width(audit_worker):
    reflow = Target(url=(FIXTURES / "reflow.html").as_uri(), path="/reflow/")
    audited = audit_worker.audit(reflow, MOBILE)
    assert [rule["id"] for rule in audited.violations] == ["reflow-320"], audited.error

    shot = Image.open(io.BytesIO(outlined_screenshot(audit_worker.tab, audited.violations)))
    # The 600 px panel and the body's margin, not the 320 px the phone shows at once.
    assert shot.width >= 600 + 16
    assert shot.height <= MAX_SCREENSHOT_HEIGHT


def test_report_dir_is_created_and_proved_writable(tmp_path):
    prepare_report_dir(tmp_path / "reports" / "a11y")
    assert (tmp_path / "reports" / "a11y").is_dir()
    assert list((tmp_path / "reports" / "a11y").iterdir()) == []  # the probe is gone


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("file", "it is not a directory"),
        ("file/sub", "Not a directory"),
        ("/proc/x", "No such file or directory"),
    ],
    ids=["existing-file", "under-a-file", "proc"],
)
def test_unusable_report_dir_is_a_clear_error(tmp_path, where, reason):
    (tmp_path / "file").write_text("not a directory")
    report_dir = tmp_path / where
    with pytest.raises(ReportDirError) as raised:
        prepare_report_dir(report_dir)
    assert str(raised.value) == f"cannot write reports to {report_dir}: {reason}"
    assert isinstance(raised.value, ValueError)


def test_screenshot_names_are_unique_stable_and_safe():
    paths = ["/a-b/", "/a/b/", "/", "/home/", "/list/?page=2", "/list/?page=3"]
    names = [screenshot_name(result(path, screenshot=JPEG)) for path in paths]
    assert len(set(names)) == len(paths)
    assert names == [screenshot_name(result(path, screenshot=JPEG)) for path in paths]
    assert names[0].startswith("screenshots/a-b-") and names[3].startswith("screenshots/home-")
    for name in names:
        assert re.fullmatch(r"screenshots/[A-Za-z0-9-]+--desktop\.jpg", name), name
    assert screenshot_name(result("/a/b/", viewport=MOBILE, screenshot=JPEG)) != names[1]


def test_rerun_removes_only_unreferenced_screenshots_and_shows_carried_over_ones(tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    (shots / "gone-12345678--desktop.jpg").write_bytes(JPEG)  # a page no longer in the run
    (shots / "kept-87654321--desktop.png").write_bytes(b"\x89PNG carried over")
    (shots / "README.txt").write_text("not an image: not ours to delete")
    fresh = result("/faint/", violations=[CONTRAST], screenshot=JPEG)
    document = document_of([fresh], changed_since="2026-01-20T00:00:00+00:00")
    carried = {
        **document["results"][0],
        "id": "/kept/@desktop",
        "path": "/kept/",
        "screenshot": "screenshots/kept-87654321--desktop.png",
        "carried_over_from": "2026-01-20T00:00:00+00:00",
    }
    document["results"].append(carried)

    write_reports(document, [fresh], tmp_path, ["json", "html"])
    assert {path.name for path in shots.iterdir()} == {
        "README.txt",
        "kept-87654321--desktop.png",
        Path(screenshot_name(fresh)).name,
    }
    html = (tmp_path / "report.html").read_text()
    assert base64.b64encode(b"\x89PNG carried over").decode() in html
    assert base64.b64encode(JPEG).decode() in html


def test_junit_alone_writes_no_screenshots(tmp_path):
    results = [result("/faint/", violations=[CONTRAST], screenshot=JPEG)]
    write_reports(document_of(results), results, tmp_path, ["junit"])
    assert not (tmp_path / "screenshots").exists()
    write_reports(document_of(results), results, tmp_path, ["html"])
    assert (tmp_path / screenshot_name(results[0])).read_bytes() == JPEG


def test_every_page_link_in_the_html_has_its_section(tmp_path):
    results = [result("/clean/"), result("/faint/", violations=[CONTRAST]), result("/also/")]
    write_reports(document_of(results), results, tmp_path, ["html"])
    html = (tmp_path / "report.html").read_text()
    links = re.findall(r'href="#([^"]+)"', html)
    assert links == ["audit-1"]
    assert all(f'id="{target}"' in html for target in links)

    clean = [result("/clean/")]
    write_reports(document_of(clean), clean, tmp_path, ["html"])
    assert 'href="#' not in (tmp_path / "report.html").read_text()


def test_partial_run_and_carried_over_rows_are_stated(tmp_path):
    since, earlier = "2026-01-20T00:00:00+00:00", "2026-01-19T22:00:00+00:00"
    results = [result("/faint/", violations=[CONTRAST]), result("/kept/")]
    document = document_of(results, changed_since=since, unchanged_pages=["/kept/", "/other/"])
    document["results"][1]["carried_over_from"] = earlier
    write_reports(document, results, tmp_path, ["junit", "html"])
    note = f"not re-audited: unchanged since {since}; result from the run of {earlier}"

    html = (tmp_path / "report.html").read_text()
    assert f"only pages changed since {since}" in html
    assert "<li>/kept/</li><li>/other/</li>" in html
    assert html.count(note) == 1 and f'/kept/<div class="carried">{note}</div>' in html

    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert (properties["changed_since"], properties["unchanged_pages"]) == (since, "2")
    assert suite.find("system-out").text.endswith("were not re-audited:\n/kept/\n/other/")
    cases = junit_cases(tmp_path)
    assert cases["/kept/@desktop"].find("system-out").text == note
    assert cases["/faint/@desktop"].find("system-out").text.startswith("violations (1):")


def test_a_full_run_says_nothing_about_partial_runs(tmp_path):
    results = [result("/faint/", violations=[CONTRAST])]
    write_reports(document_of(results), results, tmp_path, ["junit", "html"])
    assert "Partial run" not in (tmp_path / "report.html").read_text()
    assert "changed_since" not in (tmp_path / "junit.xml").read_text()


@pytest.mark.parametrize(
    ("results", "headline", "tone"),
    [
        ([result("/clean/")], "passed", "passed"),
        ([result("/links/", warnings=[GENERIC_LINK])], "passed with 1 warning", "warning"),
        (
            [result("/links/", warnings=[GENERIC_LINK]), result("/more/", warnings=[GENERIC_LINK])],
            "passed with 2 warnings",
            "warning",
        ),
        (
            [result("/faint/", violations=[CONTRAST], warnings=[GENERIC_LINK])],
            "failed",
            "failed",
        ),
    ],
    ids=["clean", "one-warning", "two-warnings", "violation"],
)
def test_the_headline_is_plain_green_only_without_warnings(tmp_path, results, headline, tone):
    document = document_of(results)
    write_reports(document, results, tmp_path, ["html"])
    html = (tmp_path / "report.html").read_text()
    assert f'<h1>Accessibility audit <span class="{tone}">{headline}</span></h1>' in html
    assert f"<title>Accessibility audit: {headline}</title>" in html
    assert describe_run(document).startswith(f"{headline}: axe-core 4.14.1: ")


def test_the_console_line_counts_every_kind_of_finding():
    results = [result("/links/", warnings=[GENERIC_LINK]), result("/clean/", viewport=MOBILE)]
    assert describe_run(document_of(results)) == (
        "passed with 1 warning: axe-core 4.14.1: 2 audits of 2 pages: 0 violations, 0 errors, "
        "1 warnings, 0 to review, 0 accepted, 0 expired and 0 stale baseline entries"
    )
