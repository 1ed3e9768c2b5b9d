"""The real parts: the demo report's PDF is checked by the real task worker; the API gives the
outcome and the frontend shows GOV.UK's notice under its link, with the email editors set; a
replaced, accessible PDF takes the notice away at once."""

import time

import httpx
import pytest

from tests.a11y.pdfs import good_document
from tests.audits.conftest import run_in_cms
from tests.stack import free_port, start_cms, start_frontend, start_worker

pytestmark = pytest.mark.integration

REVIEW = "/serious-case-reviews/child-b/"
NOTICE = "This file may not be suitable for users of assistive technology."
EMAIL = "accessible.formats@merton.gov.uk"
CHECKED_WITHIN_S = 45

SET_EMAIL = f"""
import json
from wagtail.models import Site
from pages.site_settings import AccessibleFormatSettings
settings = AccessibleFormatSettings.for_site(Site.objects.get(is_default_site=True))
settings.request_email = {EMAIL!r}
settings.save()
print(json.dumps(settings.request_email))
"""

# Waits until the report's check has an outcome.
WAIT_FOR_CHECK = """
import json, time
from pages.models import ReportDocument
began = time.monotonic()
document = ReportDocument.objects.get(title="Child B serious case review report")
while document.accessibility_status == "not-checked" and time.monotonic() - began < {bound}:
    time.sleep(0.2)
    document.refresh_from_db()
print(json.dumps({{
    "status": document.accessibility_status,
    "problems": document.accessibility_problems,
    "elapsed": time.monotonic() - began,
}}))
"""

REPLACE_FILE = """
import json
from django.core.files.base import ContentFile
from pages.models import ReportDocument
document = ReportDocument.objects.get(title="Child B serious case review report")
with open({path!r}, "rb") as pdf:
    document.file = ContentFile(pdf.read(), name="child-b-serious-case-review-accessible.pdf")
document.save()  # autocommit: the check is queued at once
print(json.dumps(document.accessibility_status))
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    frontend_port = free_port()
    cms = start_cms(
        tmp_path_factory.mktemp("document-checks"),
        port=free_port(),
        extra_env={"FRONTEND_URL": f"http://127.0.0.1:{frontend_port}"},
    )
    # The notice's address comes from the CMS, not from the frontend's own setting.
    frontend = start_frontend(
        port=frontend_port, cms_url=cms.url, extra_env={"ACCESSIBLE_FORMAT_EMAIL": ""}
    )
    assert run_in_cms(cms, SET_EMAIL) == EMAIL
    # The page audits the demo queued end quickly without a browser; the PDF check needs none.
    worker = start_worker(cms, extra_env={"A11Y_CHROMIUM": "/nonexistent/chromium"})
    yield cms, frontend
    worker.stop()
    frontend.stop()
    cms.stop()


def report_of(cms):
    page = httpx.get(
        f"{cms.url}/api/v3/pages/find/", params={"html_path": REVIEW}, follow_redirects=True
    )
    assert page.status_code == 200
    return next(block["value"] for block in page.json()["body"] if block["type"] == "report")


def test_the_worker_checks_the_report_and_readers_are_told(stack, tmp_path):
    cms, frontend = stack
    checked = run_in_cms(cms, WAIT_FOR_CHECK.format(bound=CHECKED_WITHIN_S))
    assert checked["status"] == "failed", checked
    assert checked["problems"][0].startswith("The document is not tagged"), checked

    accessibility = report_of(cms)["accessibility"]
    assert accessibility == {
        "status": "failed",
        "problems": checked["problems"],
        "request_email": EMAIL,
    }
    page = httpx.get(frontend.url + REVIEW, timeout=10).text
    assert NOTICE in page
    assert f'href="mailto:{EMAIL}?subject=Request%20for%20%E2%80%98Child%20B%20serious' in page

    # An accessible PDF replaces it: checked again, and the frontend is told at once.
    accessible = tmp_path / "accessible.pdf"
    accessible.write_bytes(good_document())
    assert run_in_cms(cms, REPLACE_FILE.format(path=str(accessible))) == "not-checked"
    rechecked = run_in_cms(cms, WAIT_FOR_CHECK.format(bound=CHECKED_WITHIN_S))
    assert rechecked["status"] == "passed", rechecked
    assert report_of(cms)["accessibility"]["status"] == "passed"
    deadline = time.monotonic() + 5
    while NOTICE in (page := httpx.get(frontend.url + REVIEW, timeout=10).text):
        assert time.monotonic() < deadline, "the frontend still shows the notice"
        time.sleep(0.2)
    assert "View Report for Child B serious case review" in page
