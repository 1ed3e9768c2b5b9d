"""The CLI as CI runs it: a subprocess, its exit code, its messages and its three reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from a11y_tests.config import REPO_ROOT
from tests.a11y.site import FixtureSite, free_port_in_range

pytestmark = pytest.mark.browser

CLEAN_PAGES = ("clean", "image-alt-fixed", "label-fixed", "reflow-fixed")


@pytest.fixture
def site():
    site = FixtureSite().start()
    yield site
    site.stop()


def run_cli(site_url, report_dir, *options, env=None):
    # The repository's own baseline must not change what these fixtures prove.
    own_baseline = () if "--baseline" in options else ("--no-baseline",)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "a11y_tests",
            "--cms-url",
            site_url,
            "--frontend-url",
            site_url,
            "--report-dir",
            str(report_dir),
            "--workers",
            "1",
            *own_baseline,
            *options,
        ],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed


def results_of(report_dir: Path) -> dict:
    return json.loads((report_dir / "results.json").read_text())


def test_clean_site_exits_0_with_all_three_reports(site, tmp_path):
    site.publish(*CLEAN_PAGES)
    run = run_cli(site.url, tmp_path)
    assert run.returncode == 0, run.stderr

    document = results_of(tmp_path)
    assert document["axe_version"] == "4.14.1"
    assert document["summary"]["audits"] == 2 * (len(CLEAN_PAGES) + 1)  # + the 404 page
    assert {r["status"] for r in document["results"]} == {"passed"}
    assert "[10/10]" in run.stderr  # a progress line per page × viewport

    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert int(suite.get("tests")) == 10 and int(suite.get("failures")) == 0
    html = (tmp_path / "report.html").read_text()
    assert "axe-core 4.14.1" in html and ">passed<" in html


def test_defects_exit_1_and_each_report_shows_rule_page_viewport_and_node(site, tmp_path):
    site.publish("image-alt", "reflow")
    run = run_cli(site.url, tmp_path)
    assert run.returncode == 1, run.stderr

    rows = {r["id"]: r for r in results_of(tmp_path)["results"]}
    image = rows["/image-alt/@desktop"]["violations"][0]
    assert (image["id"], image["nodes"][0]["target"]) == ("image-alt", ["img"])
    assert [v["id"] for v in rows["/image-alt/@mobile"]["violations"]] == ["image-alt"]
    assert rows["/reflow/@desktop"]["violations"] == []
    reflow = rows["/reflow/@mobile"]["violations"][0]
    assert (reflow["id"], reflow["nodes"][0]["target"]) == ("reflow-320", ["#fixed-width-panel"])
    screenshot = rows["/reflow/@mobile"]["screenshot"]
    assert (tmp_path / screenshot).read_bytes()[:2] == b"\xff\xd8"

    cases = {case.get("name"): case for case in ET.parse(tmp_path / "junit.xml").iter("testcase")}
    failure = cases["/reflow/@mobile"].find("failure")
    assert "reflow-320" in failure.get("message") and "#fixed-width-panel" in failure.text
    assert cases["/reflow/@desktop"].find("failure") is None

    html = (tmp_path / "report.html").read_text()
    assert "#fixed-width-panel" in html and "data:image/jpeg;base64," in html
    assert "https://www.w3.org/WAI/WCAG21/Understanding/reflow.html" in html


def test_baseline_accepts_then_expires_then_goes_stale(site, tmp_path):
    site.publish("image-alt")
    entry = (
        '[[accepted]]\nrule = "image-alt"\npage = "/image-alt/"\n'
        'reason = "Chart alt text being written"\nexpires = {}\n'
    )
    baseline = tmp_path / "baseline.toml"

    baseline.write_text(entry.format("2099-12-31"))
    accepted = run_cli(
        site.url, tmp_path / "a", "--viewport", "desktop", "--baseline", str(baseline)
    )
    summary = results_of(tmp_path / "a")["summary"]
    assert accepted.returncode == 0, accepted.stderr
    assert (summary["accepted"], summary["violations"]) == (1, 0)

    baseline.write_text(entry.format("2020-01-31"))
    expired = run_cli(
        site.url, tmp_path / "b", "--viewport", "desktop", "--baseline", str(baseline)
    )
    assert expired.returncode == 1
    assert "1 expired" in expired.stderr
    assert results_of(tmp_path / "b")["baseline"]["expired"][0]["expires"] == "2020-01-31"

    site.pages.clear()
    site.publish("image-alt-fixed")
    baseline.write_text(entry.format("2099-12-31"))
    stale = run_cli(site.url, tmp_path / "c", "--viewport", "desktop", "--baseline", str(baseline))
    assert stale.returncode == 0
    assert "1 stale" in stale.stderr
    assert "Stale: image-alt" in (tmp_path / "c" / "report.html").read_text()


def test_page_that_cannot_be_loaded_fails_the_run(site, tmp_path):
    site.publish("clean", "server-error")
    run = run_cli(site.url, tmp_path, "--viewport", "desktop")
    assert run.returncode == 1
    assert "ERROR HTTP 500" in run.stderr
    rows = {r["id"]: r for r in results_of(tmp_path)["results"]}
    assert rows["/server-error/@desktop"]["status"] == "error"
    assert rows["/clean/@desktop"]["status"] == "passed"


def test_changed_since_last_run_audits_only_newer_pages(site, tmp_path):
    site.publish("clean", "label-fixed", at="2020-01-01T00:00:00+00:00")
    assert run_cli(site.url, tmp_path, "--viewport", "desktop").returncode == 0
    first_run = results_of(tmp_path)["started_at"]
    site.publish("image-alt", at="2999-01-01T00:00:00+00:00")  # after the first run began

    run = run_cli(site.url, tmp_path, "--viewport", "desktop", "--changed-since", "last-run")
    assert run.returncode == 1
    assert "[1/1] desktop  /image-alt/" in run.stderr
    document = results_of(tmp_path)
    assert document["unchanged_pages"] == ["/clean/", "/label-fixed/"]
    rows = {row["path"]: row for row in document["results"]}
    assert rows["/image-alt/"].get("carried_over_from") is None
    assert {
        path: row["carried_over_from"] for path, row in rows.items() if path != "/image-alt/"
    } == dict.fromkeys(["/clean/", "/label-fixed/", "/a11y-audit-no-such-page/"], first_run)


def test_changed_since_keeps_failing_until_the_failure_is_fixed(site, tmp_path):
    site.publish("clean", "image-alt", at="2020-01-01T00:00:00+00:00")
    assert run_cli(site.url, tmp_path, "--viewport", "desktop").returncode == 1

    # Nothing changed: nothing is audited, and the known failure still fails the run.
    again = run_cli(site.url, tmp_path, "--viewport", "desktop", "--changed-since", "last-run")
    assert again.returncode == 1, again.stderr
    rows = {row["path"]: row for row in results_of(tmp_path)["results"]}
    assert rows["/image-alt/"]["status"] == "failed" and rows["/image-alt/"]["carried_over_from"]

    # Today's baseline decides for carried results too.
    baseline = tmp_path / "baseline.toml"
    baseline.write_text(
        '[[accepted]]\nrule = "image-alt"\npage = "/image-alt/"\n'
        'reason = "Chart alt text being written"\nexpires = 2099-12-31\n'
    )
    accepted = run_cli(
        site.url,
        tmp_path,
        "--viewport",
        "desktop",
        "--changed-since",
        "last-run",
        "--baseline",
        str(baseline),
    )
    assert accepted.returncode == 0, accepted.stderr
    assert results_of(tmp_path)["summary"]["accepted"] == 1


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        (("--cms-url", "http://127.0.0.1:{free}"), {}, "CMS not reachable at http://127.0.0.1:"),
        (
            (),
            {"A11Y_CHROMIUM": "/nonexistent/chromium"},
            "apt-get install chromium chromium-driver",
        ),
        ((), {"A11Y_AXE_SCRIPT": "/nonexistent/axe.min.js"}, "run `npm ci`"),
        (("--baseline", "/nonexistent/baseline.toml"), {}, "cannot read baseline"),
        (("--changed-since", "last-run"), {}, "needs a previous"),
        (("--viewport", "tiny"), {}, "viewport 'tiny'"),
        (("--viewport", "0x0"), {}, "must be 200 to 8000 CSS pixels"),
        (("--tags", "wcag2a,wcag2aaa2"), {}, "no axe-core rule is tagged wcag2aaa2"),
        (("--report-dir", "/proc/a11y-reports"), {}, "cannot write reports to /proc/a11y-reports"),
    ],
    ids=[
        "cms-down",
        "no-browser",
        "no-axe",
        "no-baseline-file",
        "no-last-run",
        "bad-viewport",
        "zero-viewport",
        "unknown-tag",
        "report-dir",
    ],
)
def test_cannot_run_exits_2_with_a_message_not_a_traceback(site, tmp_path, options, env, message):
    site.publish("clean")
    free = free_port_in_range(range(site.port + 1, 8400))
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "a11y_tests",
            "--cms-url",
            site.url,
            "--frontend-url",
            site.url,
            "--report-dir",
            str(tmp_path),
            *[option.format(free=free) for option in options],
        ],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2, completed.stderr
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stderr.startswith("a11y-audit: cannot run:")
