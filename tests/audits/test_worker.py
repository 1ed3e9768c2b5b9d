"""The real parts: a page published in the CMS is audited by the real task worker, in the real
browser, on the real frontend, and its result is in the database within the time bound."""

import httpx
import pytest

from tests.audits.conftest import run_in_cms
from tests.stack import free_port, start_cms, start_frontend, start_worker

pytestmark = [pytest.mark.integration, pytest.mark.browser]

# Seconds from publishing to the stored result (the benchmark's target is 15 on an idle worker;
# this leaves room for a loaded test machine).
RESULT_WITHIN_S = 45

WAIT_FOR_QUEUE = """
import json, time
from audits.models import AuditRun, PageAuditResult
deadline = time.monotonic() + 200
while AuditRun.objects.pending().exists() and time.monotonic() < deadline:
    time.sleep(0.2)
latest = PageAuditResult.objects.newest().filter(kind="page")
print(json.dumps({
    "pending": AuditRun.objects.pending().count(),
    "statuses": sorted(set(latest.values_list("status", flat=True))),
    "pages": latest.values("page").distinct().count(),
}))
"""

CHANGE_AND_WAIT = """
import json, time
from django.utils import timezone
from wagtail.models import Page
from audits.models import AuditRun, PageAuditResult
page = Page.objects.get(slug={slug!r}).specific
since = timezone.now()
began = time.monotonic()
if {action!r} == "publish":
    page.save_revision().publish()
else:
    page.unpublish()
published_in = time.monotonic() - began
run = None
while time.monotonic() - began < {bound}:
    run = AuditRun.objects.filter(page=page, queued_at__gte=since).first()
    if run is not None and run.state == "finished":
        break
    time.sleep(0.1)
results = PageAuditResult.objects.newest().filter(page=page)
print(json.dumps({{
    "published_in": published_in,
    "elapsed": time.monotonic() - began,
    "state": run and run.state,
    "source": run and run.source,
    "results": {{
        r.viewport: {{"status": r.status, "error": r.error, "path": r.path, "run": r.run_id}}
        for r in results
    }},
}}))
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    frontend_port = free_port()
    cms = start_cms(
        tmp_path_factory.mktemp("audit-worker"),
        port=free_port(),
        extra_env={"FRONTEND_URL": f"http://127.0.0.1:{frontend_port}"},
    )
    frontend = start_frontend(port=frontend_port, cms_url=cms.url)
    yield cms
    frontend.stop()
    cms.stop()


@pytest.fixture(scope="module")
def worker(stack):
    worker = start_worker(stack)
    # Loading the demo content published every page: the worker audits them first.
    queue = run_in_cms(stack, WAIT_FOR_QUEUE)
    assert queue["pending"] == 0, queue
    yield worker
    worker.stop()


def change_and_wait(stack, slug, action="publish"):
    return run_in_cms(
        stack, CHANGE_AND_WAIT.format(slug=slug, action=action, bound=RESULT_WITHIN_S)
    )


def test_the_demo_pages_published_on_loading_were_audited(stack, worker):
    queue = run_in_cms(stack, WAIT_FOR_QUEUE)
    assert queue["pages"] == 6 and queue["statuses"] == ["passed"], queue


SITE_AUDIT = """
import json, time
from audits.models import AuditRun
from audits.statement import statement_compliance
from audits.tasks import queue_site_audit
run = queue_site_audit()
deadline = time.monotonic() + 200
while run.state != "finished" and time.monotonic() < deadline:
    time.sleep(0.2)
    run.refresh_from_db()
facts = statement_compliance()
documents = [(d.title, str(d.fix_by), [p.path for p in d.pages]) for d in facts.documents]
print(json.dumps({
    "documents": documents,
    "state": run.state,
    "error": run.error,
    "source": run.source,
    "complete": run.complete,
    "pages": sorted(set(run.results.values_list("path", flat=True))),
    "statuses": sorted(set(run.results.values_list("status", flat=True))),
    "status": facts.status,
    "widths": facts.audit and facts.audit.viewport_widths,
}))
"""


def test_a_site_audit_by_the_worker_fills_in_the_accessibility_statement(stack, worker):
    outcome = run_in_cms(stack, SITE_AUDIT)
    assert outcome["state"] == "finished" and outcome["error"] == "", outcome
    assert (outcome["source"], outcome["complete"]) == ("site-task", True)
    assert "/accessibility-statement/" in outcome["pages"]
    assert "/serious-case-reviews/child-b/" in outcome["pages"]
    assert outcome["statuses"] == ["passed"], outcome  # the statement passes its own audit
    # Every page passes; the demo's stand-in report is an untagged PDF (as the council's was),
    # accepted in the audit's baseline until a tagged one replaces it.
    assert outcome["documents"] == [
        ["Child B serious case review report", "2027-06-30", ["/serious-case-reviews/child-b/"]]
    ]
    assert (outcome["status"], outcome["widths"]) == ("partially-compliant", [1280, 320])

    # The frontend shows it (the CMS told it the statement changed) and every page links to it.
    frontend = stack.env["FRONTEND_URL"]
    page = httpx.get(f"{frontend}/accessibility-statement/")
    assert page.status_code == 200
    assert "This website is partially compliant with the" in page.text
    assert "We plan to fix this by" in page.text and "30 June 2027" in page.text
    tested = f"automated test of {len(outcome['pages'])} pages at desktop (1280 pixels wide)"
    assert f"{tested} and 320 pixels wide" in page.text
    review = httpx.get(f"{frontend}/serious-case-reviews/child-b/")
    assert 'href="/accessibility-statement/">Accessibility statement</a>' in review.text


def test_a_published_page_is_audited_by_the_worker_in_the_browser(stack, worker):
    outcome = change_and_wait(stack, "child-b")
    assert outcome["state"] == "finished", outcome
    assert outcome["elapsed"] < RESULT_WITHIN_S
    assert outcome["source"] == "on-publish"
    results = outcome["results"]
    assert sorted(results) == ["desktop", "mobile"]
    assert {r["status"] for r in results.values()} == {"passed"}, results
    assert {r["path"] for r in results.values()} == {"/serious-case-reviews/child-b/"}
    assert worker.running


def test_an_unpublished_page_is_recorded_as_no_longer_live(stack, worker):
    outcome = change_and_wait(stack, "about-serious-case-reviews", action="unpublish")
    assert outcome["state"] == "finished", outcome
    assert {r["status"] for r in outcome["results"].values()} == {"not-live"}
    assert {r["error"] for r in outcome["results"].values()} == {"unpublished"}


def test_a_worker_without_a_browser_records_that_and_carries_on(stack, worker):
    worker.stop()
    no_browser = start_worker(
        stack, name="no-browser", extra_env={"A11Y_CHROMIUM": "/nonexistent/chromium"}
    )
    try:
        outcome = change_and_wait(stack, "family-a")
        assert outcome["state"] == "finished", outcome
        for result in outcome["results"].values():
            assert result["status"] == "not-audited"
            assert result["error"].startswith(
                "no browser: Chromium not found at /nonexistent/chromium"
            )
        assert no_browser.running
    finally:
        no_browser.stop()
        worker.start()
