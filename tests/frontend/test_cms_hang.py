"""A CMS that hangs (SIGSTOPped: connections are accepted, never answered) must not stall the site.

Runs its own CMS, whose API answers are fresh for one second only, so cached copies go stale
quickly, and a frontend per test with a short circuit breaker cool-down. Timings are printed
(run with ``-s`` to see them).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

import httpx
import pytest

from tests.frontend.conftest import CMS_PORTS, FRONTEND_PORTS, Stack, port_in
from tests.stack import start_cms, start_frontend

pytestmark = pytest.mark.integration

CHILD_B = "/serious-case-reviews/child-b/"
BUDGET_SECONDS = 3
COOL_DOWN_SECONDS = 5
CMS_MAX_AGE_SECONDS = 1


@pytest.fixture(scope="module")
def quickly_stale_cms(tmp_path_factory):
    frontend_port = port_in(FRONTEND_PORTS)
    cms = start_cms(
        tmp_path_factory.mktemp("hung-cms"),
        port=port_in(CMS_PORTS),
        extra_env={
            "API_CACHE_MAX_AGE": str(CMS_MAX_AGE_SECONDS),
            "FRONTEND_URL": f"http://127.0.0.1:{frontend_port}",
        },
    )
    yield cms, frontend_port
    cms.stop()


@pytest.fixture
def stack(quickly_stale_cms):
    """The CMS above and a new frontend (empty cache, closed breaker) for each test; in this
    module it stands in for the session's stack."""
    cms, frontend_port = quickly_stale_cms
    frontend = start_frontend(
        port=frontend_port,
        cms_url=cms.url,
        extra_env={
            "FRONTEND_URL": f"http://127.0.0.1:{frontend_port}",
            "CMS_BREAKER_FAIL_MAX": "3",
            "CMS_BREAKER_RESET_SECONDS": str(COOL_DOWN_SECONDS),
            "CMS_REQUEST_BUDGET_SECONDS": str(BUDGET_SECONDS),
        },
    )
    yield Stack(cms, frontend)
    frontend.stop()


@contextlib.contextmanager
def hung(server):
    """Freeze every process of ``server`` (gunicorn's arbiter and workers) until the block ends."""
    # tests/stack.py starts each server in its own process group, led by the arbiter.
    group = server._process.pid
    os.killpg(group, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(group, signal.SIGCONT)


def timed_get(stack, path):
    started = time.monotonic()
    response = httpx.get(stack.frontend.url + path, timeout=60)
    return response, time.monotonic() - started


def get_concurrently(stack, paths):
    """GET every path at once; each path's (response, seconds, finished at)."""
    results = {}

    def fetch(path):
        response, seconds = timed_get(stack, path)
        results[path] = (response, seconds, time.monotonic())

    threads = [threading.Thread(target=fetch, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    return threads, results


def warm_then_let_go_stale(stack):
    response, _ = timed_get(stack, CHILD_B)
    assert response.status_code == 200
    time.sleep(CMS_MAX_AGE_SECONDS + 0.5)


def test_stale_pages_and_503s_are_served_at_once_while_the_cms_hangs(stack):
    warm_then_let_go_stale(stack)
    timings = {}
    with hung(stack.cms):
        first, timings["stale page, breaker closed"] = timed_get(stack, CHILD_B)
        # Uncached paths fail too, until the breaker has seen enough failures to open.
        threads, results = get_concurrently(stack, [f"/never-cached-{n}/" for n in range(4)])
        for thread in threads:
            thread.join()
        timings["uncached pages, breaker closed (slowest)"] = max(r[1] for r in results.values())
        stale, timings["stale page, breaker open"] = timed_get(stack, CHILD_B)
        unavailable, timings["uncached page, breaker open"] = timed_get(stack, "/never-cached/")
        print("\nhung CMS, one reader at a time:", _format(timings))

    assert first.status_code == 200 and "Child B: serious case review" in first.text
    assert timings["stale page, breaker closed"] < BUDGET_SECONDS + 1
    assert {response.status_code for response, _, _ in results.values()} == {503}
    assert stale.status_code == 200 and "Child B: serious case review" in stale.text
    assert timings["stale page, breaker open"] < 1
    assert unavailable.status_code == 503
    assert unavailable.headers["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in unavailable.text
    assert timings["uncached page, breaker open"] < 1

    # Back again: after the cool-down, one trial call closes the breaker and fresh content shows.
    stack.cms_shell(
        "from pages.models import ReviewPage\n"
        "page = ReviewPage.objects.get(slug='child-b')\n"
        "page.title = 'Child B: serious case review (after the hang)'\n"
        "page.save_revision().publish()\n"
    )
    try:
        started = time.monotonic()
        deadline = started + COOL_DOWN_SECONDS + 20
        while time.monotonic() < deadline:
            response, _ = timed_get(stack, CHILD_B)
            if "(after the hang)" in response.text:
                break
            time.sleep(0.5)
        print(f"fresh content again after {time.monotonic() - started:.1f} s")
        assert "(after the hang)" in response.text
        assert timed_get(stack, "/never-cached/")[0].status_code == 404
    finally:
        stack.cms_shell(
            "from pages.models import ReviewPage\n"
            "page = ReviewPage.objects.get(slug='child-b')\n"
            "page.title = 'Child B: serious case review'\n"
            "page.save_revision().publish()\n"
        )


def test_a_cached_page_waits_little_behind_a_burst_of_uncached_requests(stack):
    """16 uncached requests take every thread (2 workers × 4) while the CMS hangs.

    The first eight each spend their whole budget; the breaker opens as they fail. A request
    that gets a thread in the instant between the first failure and the one that opens the
    breaker spends its budget too, so the bound is two budgets, not one.
    """
    warm_then_let_go_stale(stack)
    with hung(stack.cms):
        started = time.monotonic()
        threads, results = get_concurrently(stack, [f"/burst-{n}/" for n in range(16)])
        time.sleep(0.3)  # the burst is queued first
        cached, cached_seconds = timed_get(stack, CHILD_B)
        cached_done = time.monotonic()
        for thread in threads:
            thread.join()
        again, again_seconds = timed_get(stack, CHILD_B)
        first_failure = min(finished for _, _, finished in results.values())
        timings = {
            "cached page": cached_seconds,
            "cached page, from the first 503": cached_done - first_failure,
            "first uncached 503": first_failure - started,
            "slowest uncached 503": max(seconds for _, seconds, _ in results.values()),
            "cached page after the burst": again_seconds,
        }
        print("\nhung CMS, burst of 16 uncached then a cached page:", _format(timings))

    assert cached.status_code == again.status_code == 200
    assert "Child B: serious case review" in cached.text
    assert {response.status_code for response, _, _ in results.values()} == {503}
    assert timings["cached page"] < 2 * BUDGET_SECONDS + 1
    assert timings["slowest uncached 503"] < 2 * BUDGET_SECONDS + 1
    assert timings["cached page after the burst"] < 1


def _format(timings):
    return ", ".join(f"{name}: {seconds:.2f} s" for name, seconds in timings.items())
