"""`pytest a11y_tests` against a given site: one test per page × viewport, readable failures,
reports kept, and a site that cannot be discovered fails instead of passing empty."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from a11y_tests.config import REPO_ROOT
from tests.a11y.site import FixtureSite, free_port_in_range

pytestmark = pytest.mark.browser


def run_pytest(cms_url, frontend_url, *options, env=None):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "a11y_tests",
            "-p",
            "no:cacheprovider",
            "-rA",
            "--cms-url",
            cms_url,
            "--frontend-url",
            frontend_url,
            *options,
        ],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_one_test_per_page_and_viewport_with_a_readable_failure(tmp_path):
    site = FixtureSite().start()
    try:
        site.publish("clean", "image-alt")
        run = run_pytest(site.url, site.url, env={"A11Y_REPORT_DIR": str(tmp_path)})
    finally:
        site.stop()
    output = run.stdout
    assert run.returncode == 1, output
    for page in ("/clean/", "/a11y-audit-no-such-page/"):
        for viewport in ("desktop", "mobile"):
            assert f"PASSED a11y_tests/test_pages.py::test_page[{page}@{viewport}]" in output
    assert "FAILED a11y_tests/test_pages.py::test_page[/image-alt/@desktop]" in output
    assert "FAILED a11y_tests/test_pages.py::test_page[/image-alt/@mobile]" in output
    # The failure names rule, impact, help URL, WCAG criterion, selector and HTML of the node.
    assert "- image-alt [critical] Images must have alternative text" in output
    assert "WCAG: 1.1.1; help: https://dequeuniversity.com/rules/axe/4.14/image-alt" in output
    assert "  * img\n    <img src=" in output

    document = json.loads((tmp_path / "results.json").read_text())
    assert document["summary"]["audits"] == 6 and document["summary"]["failed"] == 2
    assert (tmp_path / "junit.xml").is_file() and (tmp_path / "report.html").is_file()


def test_undiscoverable_site_is_a_failing_test_not_an_empty_pass():
    dead = f"http://127.0.0.1:{free_port_in_range()}"
    run = run_pytest(dead, dead)
    assert run.returncode == 1
    assert "FAILED a11y_tests/test_pages.py::test_page[discovery]" in run.stdout
    assert "cannot discover the pages to audit: CMS not reachable" in run.stdout


def test_without_a_site_or_a_plugin_to_start_one_it_says_how_to_give_one():
    env = {k: v for k, v in os.environ.items() if k not in ("A11Y_CMS_URL", "A11Y_FRONTEND_URL")}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "a11y_tests",
            "-p",
            "no:cacheprovider",
            "-rA",
            "-p",
            "no:tests.a11y_stack_plugin",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 1, run.stdout
    assert "FAILED a11y_tests/test_pages.py::test_page[discovery]" in run.stdout
    assert "no site to audit: pass --cms-url and --frontend-url" in run.stdout
