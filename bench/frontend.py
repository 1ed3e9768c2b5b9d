"""Benchmark: a cached page versus a static CSS file, served by the same frontend in one run.

Starts the real CMS (demo content) and the real frontend under gunicorn, renders the
review index once so its API answers are cached, then loads the frontend with
concurrent keep-alive clients, alternating rounds of

- the cached page (``/serious-case-reviews/``: full Jinja render from cached API data), and
- the site's stylesheet (``/styles/site.css``, built from GOV.UK Frontend's Sass),

and reports requests/s and median latency for each, and their ratio. Target: the
cached page reaches at least half the static file's requests/s (ratio ≥ 0.5).

    .venv/bin/python bench/frontend.py [--seconds 4] [--rounds 2] [--clients 4]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from tests.stack import start_cms, start_frontend  # noqa: E402

PAGE = "/serious-case-reviews/"
STYLESHEET = "/styles/site.css"
TARGET_RATIO = 0.5


def load(base_url: str, path: str, seconds: float, clients: int) -> tuple[float, float]:
    """Requests/s and median latency (ms) for ``path`` under ``clients`` concurrent clients."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client_loop():
        own: list[float] = []
        with httpx.Client(base_url=base_url, timeout=10) as client:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = client.get(path)
                own.append(time.perf_counter() - started)
                if response.status_code != 200:
                    failures.append(response.status_code)
        with lock:
            latencies.extend(own)

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{path}: {len(failures)} failed requests, e.g. HTTP {failures[0]}")
    return len(latencies) / elapsed, statistics.median(latencies) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4, help="length of each round")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per target")
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive clients")
    parser.add_argument("--cms-port", type=int, default=8290)
    parser.add_argument("--frontend-port", type=int, default=5290)
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-frontend-"))
    cms = start_cms(
        workdir,
        port=options.cms_port,
        extra_env={"FRONTEND_URL": f"http://127.0.0.1:{options.frontend_port}"},
    )
    try:
        frontend = start_frontend(port=options.frontend_port, cms_url=cms.url)
        try:
            # Every worker renders the page once, so all of them answer from the cache.
            for _ in range(8):
                assert httpx.get(frontend.url + PAGE, timeout=10).status_code == 200
            results = {PAGE: [], STYLESHEET: []}
            for _ in range(options.rounds):
                for path in (PAGE, STYLESHEET):
                    results[path].append(load(frontend.url, path, options.seconds, options.clients))
        finally:
            frontend.stop()
    finally:
        cms.stop()

    summary = {}
    for path, runs in results.items():
        rps = statistics.mean(r for r, _ in runs)
        p50 = statistics.median(p for _, p in runs)
        summary[path] = rps
        print(f"{path:45} {rps:8.1f} requests/s   p50 {p50:6.1f} ms")
    ratio = summary[PAGE] / summary[STYLESHEET]
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"cached page / static CSS requests/s: {ratio:.2f} ({verdict} target {TARGET_RATIO})")
    print(f"{options.clients} clients, {options.rounds} x {options.seconds:g} s rounds per target")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
