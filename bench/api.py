"""Benchmark the headless API on a real server: page detail, find and the reviews listing.

For each site size it builds a fresh SQLite database (demo content plus
``generate_reviews``) and starts gunicorn on loopback with production
settings, all sites at once. It then times a bounded number of requests per
endpoint from a few client threads, in alternating rounds across the sites,
so a busy machine slows every site alike. It reports requests/s, p50 and p95
latency, and how each endpoint slows down from the smallest to the largest
site (the ratio is what the query bounds are meant to keep near 1).

    .venv/bin/python bench/api.py                       # 100 and 10,000 reviews
    .venv/bin/python bench/api.py --sizes 100 1000 --requests 100
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO_REVIEWS = 2  # load_demo_content publishes Child B and Family A
ROUNDS = 5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--requests", type=int, default=300, help="Timed requests per endpoint.")
    parser.add_argument("--threads", type=int, default=4, help="Concurrent client threads.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
    parser.add_argument("--port", type=int, default=8150, help="First port; one per size.")
    args = parser.parse_args()

    with ExitStack() as stack:
        sites = {
            size: stack.enter_context(BenchSite(size, args.port + number, args.workers))
            for number, size in enumerate(args.sizes)
        }
        paths = {size: site.request_paths() for size, site in sites.items()}
        samples = {size: {name: Sample() for name in paths[size]} for size in sites}
        for _ in range(ROUNDS):
            for size, site in sites.items():
                for name, endpoint_paths in paths[size].items():
                    samples[size][name].add(
                        measure(site.url, endpoint_paths, args.requests // ROUNDS, args.threads)
                    )
    for size in args.sizes:
        report_size(size, {name: sample.summary() for name, sample in samples[size].items()})
    if len(args.sizes) > 1:
        report_ratios(samples, min(args.sizes), max(args.sizes))


class BenchSite:
    """A throwaway database with ``size`` reviews, served by gunicorn on loopback."""

    def __init__(self, size, port, workers):
        self.size = size
        self.port = port
        self.workers = workers
        self.url = f"http://127.0.0.1:{port}"
        self.folder = Path(tempfile.mkdtemp(prefix="api-bench-"))
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.folder / 'db.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "benchmark-only",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CMS_BASE_URL": self.url,
            "MEDIA_ROOT": str(self.folder / "media"),
            "FRONTEND_URL": "http://127.0.0.1:9",  # nothing listens: publishing must not wait on it
            "LOG_LEVEL": "WARNING",
        }
        self.server = None

    def __enter__(self):
        started = time.perf_counter()
        self.manage("migrate", "--verbosity", "0")
        self.manage("load_demo_content")
        if self.size > DEMO_REVIEWS:
            self.manage("generate_reviews", str(self.size - DEMO_REVIEWS))
        print(
            f"[{self.size} reviews] database built in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        self.server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "cms.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        self._wait_until_ready()
        return self

    def __exit__(self, *exc_info):
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)

    def manage(self, *args):
        subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def _wait_until_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.server.returncode}")
            try:
                if httpx.get(f"{self.url}/api/v3/sitemap/?limit=1", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer within 60 s")

    def request_paths(self):
        """A spread of real review pages and listing offsets to cycle through."""
        reviews = []
        with httpx.Client(base_url=self.url, timeout=30) as client:
            count = client.get("/api/v3/sitemap/?limit=1").json()["count"]
            rng = random.Random(1)
            for offset in sorted(rng.sample(range(count), min(count, 5)) + [0]):
                items = client.get(f"/api/v3/sitemap/?limit=200&offset={offset}").json()["items"]
                reviews += [item for item in items if item["type"] == "pages.ReviewPage"]
        rng.shuffle(reviews)
        reviews = reviews[:200]
        listing_pages = max(1, self.size // 20)
        return {
            "detail": [f"/api/v3/pages/{item['id']}/" for item in reviews],
            "find": [f"/api/v3/pages/find/?html_path={item['path']}" for item in reviews],
            "listing": [
                f"/api/v3/reviews/?limit=20&offset={20 * rng.randrange(listing_pages)}"
                for _ in range(50)
            ],
        }


class Sample:
    """Latencies and wall time gathered over several rounds for one endpoint of one site."""

    def __init__(self):
        self.latencies = []
        self.wall = 0.0

    def add(self, measured):
        latencies, wall = measured
        self.latencies += latencies
        self.wall += wall

    def summary(self):
        percentiles = statistics.quantiles(self.latencies, n=100)
        return {
            "requests": len(self.latencies),
            "rps": len(self.latencies) / self.wall,
            "p50_ms": percentiles[49] * 1000,
            "p95_ms": percentiles[94] * 1000,
        }


def measure(base_url, paths, total, threads):
    """Time ``total`` GETs (no redirects followed, no caching) spread over ``threads`` clients.

    Returns the latencies and the wall time they took together.
    """
    latencies, failures = [], []
    lock = threading.Lock()
    per_thread = [total // threads + (1 if n < total % threads else 0) for n in range(threads)]

    def run(count, seed):
        rng = random.Random(seed)
        with httpx.Client(base_url=base_url, timeout=30, follow_redirects=False) as client:
            for path in paths[:5]:
                client.get(path)  # warm-up: connections and per-process caches
            for _ in range(count):
                path = rng.choice(paths)
                started = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if response.status_code not in (200, 302):
                        failures.append((path, response.status_code))

    workers = [threading.Thread(target=run, args=(n, seed)) for seed, n in enumerate(per_thread)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} failed requests, e.g. {failures[0]}")
    return latencies, wall


def report_size(size, endpoints):
    print(f"\n{size} reviews")
    print(f"{'endpoint':<10} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, result in endpoints.items():
        print(
            f"{name:<10} {result['requests']:>8} {result['rps']:>8.1f} "
            f"{result['p50_ms']:>8.1f} {result['p95_ms']:>8.1f}"
        )


def report_ratios(samples, small, large):
    print(f"\nslowdown from {small} to {large} reviews (p50 ratio; 1.0 = no slowdown)")
    for name in samples[small]:
        ratio = samples[large][name].summary()["p50_ms"] / samples[small][name].summary()["p50_ms"]
        print(f"{name:<10} {ratio:>6.2f}")


if __name__ == "__main__":
    main()
