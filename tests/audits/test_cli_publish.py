"""``a11y-audit --publish-to`` against the real CMS (gunicorn) with a token made as the admin
makes one: the run is stored whole; a refused publish is exit code 2 with the reason."""

import json
import os
import subprocess
import sys

import pytest

from tests.a11y.site import FixtureSite
from tests.audits.conftest import run_in_cms
from tests.stack import REPO_ROOT, free_port, start_cms, start_frontend

pytestmark = [pytest.mark.integration, pytest.mark.browser]

MAKE_TOKEN = """
import json
from audits.models import AuditPublishToken
entry = AuditPublishToken(name="CI")
token = entry.issue()
entry.save()
print(json.dumps(token))
"""

STORED_RUNS = """
import json
from audits.models import AuditRun, AuditScreenshot
print(json.dumps([
    {
        "run": run.pk,
        "source": run.source,
        "complete": run.complete,
        "results": run.results.count(),
        "pages": run.page_count,
        "screenshots": AuditScreenshot.objects.filter(result__run=run).count(),
        "axe_version": run.axe_version,
    }
    for run in AuditRun.objects.exclude(source="on-publish").order_by("pk")
]))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    frontend_port = free_port()
    cms = start_cms(
        tmp_path_factory.mktemp("audit-publish"),
        port=free_port(),
        extra_env={"FRONTEND_URL": f"http://127.0.0.1:{frontend_port}"},
    )
    frontend = start_frontend(port=frontend_port, cms_url=cms.url)
    yield cms, frontend
    frontend.stop()
    cms.stop()


@pytest.fixture(scope="module")
def token(site):
    return run_in_cms(site[0], MAKE_TOKEN)


@pytest.fixture
def fixture_site():
    """The audit's fixture pages, two of them with findings (and so screenshots)."""
    pages = FixtureSite().start()
    pages.publish("clean", "image-alt", "reflow")
    yield pages
    pages.stop()


def audit_and_publish(cms, site_url, frontend_url, report_dir, token, *options):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "a11y_tests",
            "--cms-url",
            site_url,
            "--frontend-url",
            frontend_url,
            "--report-dir",
            str(report_dir),
            "--no-baseline",
            "--publish-to",
            cms.url,
            *options,
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "A11Y_PUBLISH_TOKEN": token},
        capture_output=True,
        text=True,
        timeout=300,
    )


def stored_run(cms, completed):
    stored = run_in_cms(cms, STORED_RUNS)[-1]
    assert f"published to {cms.url} as run {stored['run']}" in completed.stderr
    return stored


def test_the_audit_of_the_site_is_posted_to_the_cms_and_stored_whole(site, token, tmp_path):
    cms, frontend = site
    completed = audit_and_publish(
        cms, cms.url, frontend.url, tmp_path, token, "--viewport", "desktop"
    )
    document = json.loads((tmp_path / "results.json").read_text())
    # The pages pass; the exit code also answers for the demo's PDF, which the CMS does not store.
    assert {row["status"] for row in document["results"]} == {"passed"}, completed.stderr
    assert completed.returncode == document["summary"]["exit_code"], completed.stderr
    stored = stored_run(cms, completed)
    assert stored["source"] == "cli-publish" and stored["complete"]
    assert stored["results"] == document["summary"]["audits"]
    assert stored["pages"] == document["summary"]["pages"]
    assert stored["axe_version"] == document["axe_version"]


def test_screenshots_of_findings_travel_with_the_results(site, token, fixture_site, tmp_path):
    cms, _ = site
    completed = audit_and_publish(cms, fixture_site.url, fixture_site.url, tmp_path, token)
    assert completed.returncode == 1, completed.stderr  # the fixture pages have violations
    document = json.loads((tmp_path / "results.json").read_text())
    named = {row["screenshot"] for row in document["results"] if row["screenshot"]}
    stored = stored_run(cms, completed)
    assert stored["results"] == document["summary"]["audits"] == 8
    assert stored["screenshots"] == len(named) >= 2


def test_a_refused_publish_is_exit_code_2_with_the_reason(site, fixture_site, tmp_path):
    cms, _ = site
    completed = audit_and_publish(
        cms, fixture_site.url, fixture_site.url, tmp_path, "a11y_not-a-token-the-cms-made"
    )
    assert completed.returncode == 2, completed.stderr
    assert (
        f"a11y-audit: could not publish: the CMS at {cms.url}/audits/results/ refused the "
        "results (HTTP 401): Send a publishing token made in the CMS admin"
    ) in completed.stderr
    assert "Traceback" not in completed.stderr
