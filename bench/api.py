"""Benchmark the headless API on a real server: page detail, find and the review listings.

For each site size it builds a fresh database (demo content plus
``generate_reviews``: a SQLite file, or with ``--postgres`` a scratch database
on the PostgreSQL server ``POSTGRES_URL`` names) and starts gunicorn on loopback
with production settings, all sites at once. wrk then drives each endpoint of
each site for a few seconds with as many connections as gunicorn has workers
(so latency is the server's time, not time in a queue), in alternating rounds
across the sites, so a busy machine slows every site alike. It reports
requests/s, p50 and p95 latency (the median over the rounds), the server's CPU
time per request (gunicorn's processes only: steadier than latency on a busy
machine, but without the database server's share on PostgreSQL), how each
endpoint slows from the smallest site to each larger one (the ratios
``ReviewListing`` and the query bounds keep near 1), and checks that the client
is not the bottleneck: wrk's CPU time must stay a small share of the server's.

Endpoints: ``detail`` and ``find`` of random reviews; ``listing``, pages of
``/api/v3/reviews/`` at random offsets; ``filtered``, first pages of one index's
reviews of one type, as the frontend asks; ``index``, the index page, which
carries the first reviews and the filters.

    .venv/bin/python bench/api.py                       # SQLite, 100 and 10,000 reviews
    .venv/bin/python bench/api.py --postgres --sizes 100 10000 100000
"""

import argparse
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.stack import scratch_postgres_database  # noqa: E402

PYTHON = sys.executable
DEMO_REVIEWS = 2  # load_demo_content publishes Child B and Family A
ENDPOINTS = ["detail", "find", "listing", "filtered", "index"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Above this share of the server's CPU time, the client may be what sets the pace.
CLIENT_CPU_SHARE_MAX = 0.1
# The listing's p50 at TARGET_SIZE reviews, at most this many times its p50 at the smallest size.
TARGET_SIZE = 10_000
TARGET_LISTING_RATIO = {"sqlite": 1.5, "postgres": 1.2}

# Each wrk connection walks its own shuffled copy of the paths; done() reports in JSON.
WRK_SCRIPT = """
local paths = {}
local next_path = 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(tonumber(args[2]))
  for i = #paths, 2, -1 do
    local j = math.random(i)
    paths[i], paths[j] = paths[j], paths[i]
  end
end
function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '\\n{"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite.")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"),
        help="The server to make scratch databases on (default: POSTGRES_URL).",
    )
    parser.add_argument("--seconds", type=int, default=2, help="Length of each wrk run.")
    parser.add_argument("--rounds", type=int, default=8, help="Alternating rounds per endpoint.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
    parser.add_argument(
        "--endpoints", nargs="+", choices=ENDPOINTS, default=ENDPOINTS, help="What to time."
    )
    parser.add_argument("--port", type=int, default=8150, help="First port; one per size.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk).")
    database = "postgres" if args.postgres else "sqlite"

    with ExitStack() as stack:
        sites = {}
        for number, size in enumerate(args.sizes):
            url = (
                stack.enter_context(postgres_database(args.postgres_url, f"api_bench_{size}"))
                if args.postgres
                else None
            )
            sites[size] = stack.enter_context(
                BenchSite(size, args.port + number, args.workers, database_url=url)
            )
        every_path = {size: site.request_paths() for size, site in sites.items()}
        paths = {size: {name: every_path[size][name] for name in args.endpoints} for size in sites}
        runs = {size: {name: [] for name in paths[size]} for size in sites}
        with tempfile.TemporaryDirectory(prefix="api-bench-wrk-") as folder:
            wrk = Wrk(Path(folder), connections=args.workers)
            for size, site in sites.items():  # warm-up: connections and per-process caches
                for endpoint_paths in paths[size].values():
                    wrk.run(site, endpoint_paths, seconds=1)
            load_before = os.getloadavg()[0]
            for round_number in range(args.rounds):
                for size, site in sites.items():
                    for name, endpoint_paths in paths[size].items():
                        runs[size][name].append(
                            wrk.run(site, endpoint_paths, args.seconds, seed=round_number)
                        )

    print(f"\n{database}, {args.workers} gunicorn workers, wrk with {args.workers} connections")
    print(f"load average {load_before:.1f} before the timed runs, {os.getloadavg()[0]:.1f} after")
    if max(load_before, os.getloadavg()[0]) > os.cpu_count():
        print("(a busy machine: latencies wander from run to run; CPU ms per request does not)")
    for size in args.sizes:
        report_size(size, runs[size])
    client_bound = report_client_share(runs)
    missed = report_ratios(runs, database)
    if client_bound:
        raise SystemExit("The client used too much CPU for these numbers to be the server's.")
    return 1 if missed else 0


@contextmanager
def postgres_database(server_url, name):
    """A scratch database on ``server_url`` (tests.stack's helper reads DATABASE_URL)."""
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = server_url
    try:
        with scratch_postgres_database(name) as url:
            yield url
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous


class BenchSite:
    """A throwaway database with ``size`` reviews, served by gunicorn on loopback."""

    def __init__(self, size, port, workers, database_url=None):
        self.size = size
        self.port = port
        self.workers = workers
        self.url = f"http://127.0.0.1:{port}"
        self.folder = Path(tempfile.mkdtemp(prefix="api-bench-"))
        self.database_url = database_url or f"sqlite:///{self.folder / 'db.sqlite3'}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "benchmark-only",
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback, as behind the TLS-terminating proxy of a deployment.
            "SECURE_SSL_REDIRECT": "false",
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
        if self.database_url.startswith("postgres"):
            self._vacuum()
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
            start_new_session=True,  # its own process group: stopped, and measured, as one
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info):
        if self.server is not None:
            with suppress(ProcessLookupError):
                os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=30)
            finally:
                with suppress(ProcessLookupError):
                    os.killpg(self.server.pid, signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)

    def manage(self, *args):
        subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def _vacuum(self):
        """What autovacuum does soon after a bulk load: statistics for the planner, and the
        visibility map that lets index-only scans skip the table."""
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")

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

    def cpu_seconds(self):
        """CPU time used so far by gunicorn's arbiter and its workers (its process group)."""
        return sum(
            _cpu_seconds(stat)
            for stat in Path("/proc").glob("[0-9]*/stat")
            if _stat_fields(stat)[2:3] == [str(self.server.pid)]
        )

    def request_paths(self):
        """A spread of real review pages, listing offsets and filters to cycle through."""
        reviews, indexes = [], []
        with httpx.Client(base_url=self.url, timeout=30) as client:
            count = client.get("/api/v3/sitemap/?limit=1").json()["count"]
            rng = random.Random(1)
            for offset in sorted(rng.sample(range(count), min(count, 5)) + [0]):
                items = client.get(f"/api/v3/sitemap/?limit=200&offset={offset}").json()["items"]
                reviews += [item for item in items if item["type"] == "pages.ReviewPage"]
                indexes += [item for item in items if item["type"] == "pages.ReviewIndexPage"]
            index = indexes[0]["id"]
            filters = client.get(f"/api/v3/pages/{index}/").json()["filters"]
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
            # By type only: a full first page at every size, so the sizes do the same work.
            "filtered": [
                f"/api/v3/reviews/?child_of={index}&review_type={kind['value']}&limit=20"
                for kind in filters["review_types"]
            ],
            "index": [f"/api/v3/pages/{index}/"],
        }


def _stat_fields(stat_path):
    """The fields of /proc/<pid>/stat after the process name (state, ppid, pgrp, …)."""
    try:
        return stat_path.read_text().rsplit(")", 1)[1].split()
    except OSError:  # the process ended while we looked
        return []


def _cpu_seconds(stat_path):
    """utime + stime of one process (fields 14 and 15 of its stat)."""
    fields = _stat_fields(stat_path)
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS if fields else 0.0


class Wrk:
    """Runs wrk against one site, measuring its CPU time and the server's as it goes."""

    def __init__(self, folder, connections):
        self.folder = folder
        self.connections = connections
        self.script = folder / "paths.lua"
        self.script.write_text(WRK_SCRIPT)

    def run(self, site, paths, seconds, seed=0):
        paths_file = self.folder / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        server_before = site.cpu_seconds()
        client_before = _children_cpu_seconds()
        finished = subprocess.run(
            [
                "wrk",
                "--threads",
                "1",
                "--connections",
                str(self.connections),
                "--duration",
                f"{seconds}s",
                "--timeout",
                "30s",
                "--script",
                str(self.script),
                site.url,
                "--",
                str(paths_file),
                str(seed + 1),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(finished.stdout.strip().splitlines()[-1])
        result["client_cpu"] = _children_cpu_seconds() - client_before
        result["server_cpu"] = site.cpu_seconds() - server_before
        if result["errors"]:
            raise SystemExit(f"{site.url}: {result['errors']} failed requests, e.g. {paths[0]}")
        return result


def _children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def summary(runs):
    requests = sum(run["requests"] for run in runs)
    return {
        "requests": requests,
        "rps": requests / sum(run["seconds"] for run in runs),
        "p50_ms": statistics.median(run["p50_ms"] for run in runs),
        "p95_ms": statistics.median(run["p95_ms"] for run in runs),
        "cpu_ms": 1000 * sum(run["server_cpu"] for run in runs) / requests,
    }


def report_size(size, endpoints):
    print(f"\n{size} reviews")
    print(
        f"{'endpoint':<10} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8}"
    )
    for name, runs in endpoints.items():
        result = summary(runs)
        print(
            f"{name:<10} {result['requests']:>8} {result['rps']:>8.1f} "
            f"{result['p50_ms']:>8.1f} {result['p95_ms']:>8.1f} {result['cpu_ms']:>8.1f}"
        )


def report_client_share(runs):
    """wrk's CPU time as a share of the server's; True when it is too large to ignore."""
    every_run = [run for endpoints in runs.values() for each in endpoints.values() for run in each]
    share = sum(run["client_cpu"] for run in every_run) / sum(
        run["server_cpu"] for run in every_run
    )
    verdict = "the server sets the pace" if share <= CLIENT_CPU_SHARE_MAX else "CLIENT-BOUND?"
    print(f"\nclient CPU: wrk used {share:.1%} of the server's CPU time ({verdict})")
    return share > CLIENT_CPU_SHARE_MAX


def report_ratios(runs, database):
    """p50 slowdown per endpoint from the smallest site to each larger one; True when the
    listing misses its target at TARGET_SIZE reviews."""
    small, *larger = sorted(runs)
    missed = False
    for large in larger:
        print(f"\nslowdown from {small} to {large} reviews (1.0 = no slowdown)")
        print(f"{'endpoint':<10} {'p50':>6} {'CPU':>6}")
        for name in runs[small]:
            smaller, larger_site = summary(runs[small][name]), summary(runs[large][name])
            ratio = larger_site["p50_ms"] / smaller["p50_ms"]
            cpu_ratio = larger_site["cpu_ms"] / smaller["cpu_ms"]
            print(f"{name:<10} {ratio:>6.2f} {cpu_ratio:>6.2f}")
            if name == "listing" and large == TARGET_SIZE:
                target = TARGET_LISTING_RATIO[database]
                missed = ratio > target
                verdict = "MISSES" if missed else "meets"
                print(f"  the listing {verdict} the {database} target of {target} at {large}")
    return missed


if __name__ == "__main__":
    sys.exit(main())
