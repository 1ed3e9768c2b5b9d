"""Two audit workers on PostgreSQL never take the same job (django-tasks-db claims a job with
SELECT … FOR UPDATE SKIP LOCKED). Runs in `make test-postgres`, where DATABASE_URL is
PostgreSQL; the workers audit "without a browser", which is quick and still a full task."""

import os

import pytest

from tests.audits.conftest import run_in_cms
from tests.stack import free_port, scratch_postgres_database, start_cms, start_worker

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs DATABASE_URL=postgres://…; runs in `make test-postgres`",
    ),
]

JOBS = 60

QUEUE_MANY = f"""
import json
from django.db import transaction
from wagtail.models import Page
from audits.models import AuditRun
from audits.tasks import audit_page
pages = list(Page.objects.filter(depth__gt=1))
# One transaction: the workers see every job at once and compete for them.
with transaction.atomic():
    for number in range({JOBS}):
        run = AuditRun.objects.create(
            source="on-publish", state="queued", page=pages[number % len(pages)]
        )
        audit_page.enqueue(run.pk)
print(json.dumps({JOBS}))
"""

WAIT_AND_REPORT = """
import json, time
from django_tasks_db.models import DBTaskResult
from audits.models import AuditRun
deadline = time.monotonic() + 180
# Page audits only: the demo content's PDF check is a job of its own, with no run.
jobs = DBTaskResult.objects.filter(backend_name="audits", task_path="audits.tasks.audit_page")
while jobs.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists() and time.monotonic() < deadline:
    time.sleep(0.2)
print(json.dumps({
    "jobs": [(job.status, job.worker_ids) for job in jobs],
    "runs": [(run.state, run.results.count()) for run in AuditRun.objects.all()],
}))
"""


@pytest.fixture
def scratch_database():
    with scratch_postgres_database("case_reviews_audit_queue_check") as url:
        yield url


def test_two_workers_share_the_queue_without_taking_a_job_twice(
    scratch_database, tmp_path, answering_frontend
):
    cms = start_cms(
        tmp_path,
        port=free_port(),
        extra_env={
            "DATABASE_URL": scratch_database,
            "FRONTEND_URL": answering_frontend,
            # Every run stays to be counted.
            "AUDIT_HISTORY_LENGTH": "1000",
        },
    )
    no_browser = {"A11Y_CHROMIUM": "/nonexistent/chromium"}
    workers = [start_worker(cms, name=name, extra_env=no_browser) for name in ("a", "b")]
    try:
        run_in_cms(cms, QUEUE_MANY)
        report = run_in_cms(cms, WAIT_AND_REPORT)
    finally:
        for worker in workers:
            worker.stop()
        cms.stop()

    jobs, runs = report["jobs"], report["runs"]
    assert len(jobs) == len(runs) >= JOBS  # loading the demo content queued some too
    assert {status for status, _ in jobs} == {"SUCCESSFUL"}
    # Each job claimed once, by one worker; between them, both took jobs.
    assert all(len(worker_ids) == 1 for _, worker_ids in jobs)
    assert {worker_ids[0] for _, worker_ids in jobs} == {"a", "b"}
    # Each run audited once: one result per viewport, not two.
    assert {tuple(run) for run in runs} == {("finished", 2)}
