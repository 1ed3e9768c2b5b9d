"""Benchmark: what queueing an accessibility audit adds to a publish, and how soon its result is
stored.

Starts the real CMS (demo content, fresh SQLite) and the real frontend under gunicorn; this
process publishes through the same database, as the admin's publish does.

1. Publish overhead: ``--publishes`` publishes with the on-publish audit handler connected and
   as many without, alternated in one run over the demo reviews and guidance page. Each is timed
   from ``save_revision()`` to the end of ``publish()``, on-commit callbacks included (the
   frontend's revalidation is off for both, so only the queueing differs). Each queued audit is
   set aside between publishes, so every publish pays for a new one. Target: the median
   publish takes < 50 ms longer with the handler.
2. Time to result: the audit worker (``db_worker --backend audits``) is started and left idle,
   then ``--audits`` publishes follow one another, each timed from the start of the publish to
   its result being stored (frontend revalidated, job claimed, page audited at both viewports
   in the browser, results written). Target: < 15 s.

    .venv/bin/python bench/publish.py [--publishes 60] [--audits 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.stack import (  # noqa: E402
    DEFAULT_REVALIDATE_SECRET,
    free_port,
    start_cms,
    start_frontend,
    start_worker,
)

OVERHEAD_TARGET_MS = 50
RESULT_TARGET_S = 15
PAGES = ("child-b", "family-a", "about-serious-case-reviews")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def use_stack_database(cms) -> None:
    """Point this process's Django at the stack's database and frontend, then set it up."""
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MEDIA_ROOT", "FRONTEND_URL"):
        os.environ[name] = cms.env[name]
    os.environ["REVALIDATE_SECRET"] = DEFAULT_REVALIDATE_SECRET
    import django

    django.setup()


def publish(page) -> float:
    """Seconds from the new revision to the end of its publish (on-commit work included)."""
    started = time.perf_counter()
    page.save_revision().publish()
    return time.perf_counter() - started


def measure_overhead(publishes: int) -> dict[str, list[float]]:
    from django.test import override_settings
    from wagtail.models import Page
    from wagtail.signals import page_published

    from audits.models import AuditRun
    from audits.signal_handlers import audit_on_publish

    pages = [Page.objects.get(slug=slug).specific for slug in PAGES]
    times: dict[str, list[float]] = {"with audit": [], "without": []}
    with override_settings(REVALIDATE_SECRET=""):
        for number in range(publishes):
            page = pages[number % len(pages)]
            # Alternate which goes first, so neither always follows the other.
            order = ("with audit", "without") if number % 2 else ("without", "with audit")
            for variant in order:
                if variant == "without":
                    page_published.disconnect(dispatch_uid="audit-on-publish")
                times[variant].append(publish(page) * 1000)
                if variant == "without":
                    page_published.connect(audit_on_publish, dispatch_uid="audit-on-publish")
                # Set the queued audit aside: the next publish queues a new one.
                AuditRun.objects.filter(state=AuditRun.State.QUEUED).update(
                    state=AuditRun.State.FINISHED
                )
    set_aside = AuditRun.objects.filter(results__isnull=True)
    assert set_aside.count() == publishes, "the handler did not queue one audit per publish"
    clear_queue()
    return times


def clear_queue() -> None:
    """No audit waiting and no job for the worker."""
    from django_tasks_db.models import DBTaskResult

    from audits.models import AuditRun

    AuditRun.objects.filter(results__isnull=True).delete()
    DBTaskResult.objects.all().delete()


def wait_for_idle_queue(timeout_s: float = 300) -> None:
    from audits.models import AuditRun

    deadline = time.monotonic() + timeout_s
    while AuditRun.objects.pending().exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the worker did not empty the queue")
        time.sleep(0.2)


def measure_time_to_result(audits: int) -> list[dict[str, float]]:
    from django.utils import timezone
    from wagtail.models import Page

    from audits.models import AuditRun

    page = Page.objects.get(slug="child-b").specific
    timings = []
    for _ in range(audits):
        since = timezone.now()
        started = time.perf_counter()
        publish(page)
        while True:
            run = AuditRun.objects.filter(page=page, queued_at__gte=since).first()
            if run is not None and run.state == AuditRun.State.FINISHED:
                break
            if time.perf_counter() - started > 120:
                raise RuntimeError("no result within 120 s")
            time.sleep(0.05)
        timings.append(
            {
                "total": time.perf_counter() - started,
                "waiting": (run.started_at - run.queued_at).total_seconds(),
                "auditing": (run.finished_at - run.started_at).total_seconds(),
                "status": ", ".join(sorted(set(run.results.values_list("status", flat=True)))),
            }
        )
        time.sleep(1)  # the worker is idle again before the next publish
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publishes", type=int, default=60, help="Timed publishes per variant.")
    parser.add_argument("--audits", type=int, default=5, help="Publishes timed to their result.")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="publish-bench-"))
    frontend_port = free_port()
    cms = start_cms(
        workdir, port=free_port(), extra_env={"FRONTEND_URL": f"http://127.0.0.1:{frontend_port}"}
    )
    frontend = worker = None
    try:
        frontend = start_frontend(port=frontend_port, cms_url=cms.url)
        use_stack_database(cms)
        # Loading the demo content queued audits; the worker starts only after the overhead is
        # measured, so nothing else runs meanwhile.
        clear_queue()
        times = measure_overhead(args.publishes)
        worker = start_worker(cms)
        wait_for_idle_queue()
        timings = measure_time_to_result(args.audits)
    finally:
        for process in (worker, frontend, cms):
            if process is not None:
                process.stop()

    print(f"Publish, {args.publishes} each, ms       median      p95")
    for variant, values in times.items():
        print(f"  {variant:<28} {statistics.median(values):8.1f} {percentile(values, 0.95):8.1f}")
    added = statistics.median(times["with audit"]) - statistics.median(times["without"])
    added_p95 = percentile(times["with audit"], 0.95) - percentile(times["without"], 0.95)
    print(f"  {'added by queueing the audit':<28} {added:8.1f} {added_p95:8.1f}")
    print(f"\nPublish to stored result (idle worker), {args.audits} publishes:")
    for number, timing in enumerate(timings, 1):
        print(
            f"  {number}: {timing['total']:5.2f} s (waiting {timing['waiting']:.2f} s, "
            f"auditing {timing['auditing']:.2f} s) {timing['status']}"
        )
    totals = [timing["total"] for timing in timings]
    print(f"  median {statistics.median(totals):.2f} s, max {max(totals):.2f} s")
    met = added < OVERHEAD_TARGET_MS and max(totals) < RESULT_TARGET_S
    print(
        f"\nTargets: < {OVERHEAD_TARGET_MS} ms added to a publish, < {RESULT_TARGET_S} s to the "
        f"result: {'met' if met else 'NOT met'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
