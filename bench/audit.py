"""Benchmark of the audit engine against a naive browser-per-page loop, in one run.

Generates review-like pages (GOV.UK structure: header, navigation, headings, paragraphs, lists,
a data table, statements, report links, footer), serves them locally, and audits them

- with the engine: N workers, each one browser reused across pages, axe-core registered once
  per session through the DevTools protocol, each page navigated and analysed over the tab's
  DevTools connection;
- naively: a new browser per page and the library's per-page injection of axe-core.

Reports pages/minute (wall clock, browser start-up included) and the overhead ratio: the summed
per-page worker time (navigate, wait, inject, analyse, collect) over the summed bare ``axe.run``
time measured inside the browser. Target: ratio ≤ 1.5 for the engine.

    .venv/bin/python bench/audit.py [--pages 200] [--workers 2] [--naive-pages 200]
                                    [--engine-only] [--port 8390]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import queue
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from axe_selenium_python import Axe  # noqa: E402

from a11y_tests import browser_js  # noqa: E402
from a11y_tests.analyse import axe_options  # noqa: E402
from a11y_tests.axe import AxeRunFailed  # noqa: E402
from a11y_tests.browser import start_browser  # noqa: E402
from a11y_tests.config import DESKTOP, AuditSettings, axe_script_path  # noqa: E402
from a11y_tests.load import SETTLE_TIMEOUT_S, check_settled  # noqa: E402
from a11y_tests.model import Target  # noqa: E402
from a11y_tests.tabs import WebDriverTab  # noqa: E402
from a11y_tests.workers import run_audit  # noqa: E402

BENCH_PORT = 8390
BOARDS = ("Merton", "Sutton", "Kingston", "Croydon", "Wandsworth")

# The naive loop takes the audit's steps one WebDriver command at a time, as a first script would.
WAIT_FOR_SETTLED = browser_js.async_call_script("waitForSettled(...args)", "waitForSettled")
RUN_AXE = browser_js.async_call_script("runAxe(...args)", "runAxe")


def recommendations(section: int) -> str:
    return "".join(
        f"<li>Recommendation {section}.{item}: agencies should record decision {item}.</li>"
        for item in range(1, 5)
    )


def review_page(number: int) -> str:
    """A page shaped like a published review, varied by number so no two are identical."""
    board = BOARDS[number % len(BOARDS)]
    sections = "".join(
        f"""<section aria-labelledby="s{s}"><h2 id="s{s}">Finding {s} for child {number}</h2>
<p>The {board} board found that agencies shared information about child {number} late
in {2010 + s}. Practitioners did not escalate concerns when the family moved address, and the
review recommends a single point of contact for every referral.</p>
<ul>{recommendations(s)}</ul>
<blockquote><p>&ldquo;We accept the findings in full and have changed our procedures.&rdquo;
</p><footer>Statement by the chair, {board} board, {s} March {2015 + s % 5}</footer></blockquote>
</section>"""
        for s in range(1, 7)
    )
    rows = "".join(
        f'<tr><th scope="row">{2010 + year}</th><td>{year * 3 + number % 7}</td>'
        f"<td>{year + number % 5}</td><td>{board}</td></tr>"
        for year in range(1, 9)
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Serious case review: child {number} - {board} Safeguarding Children Board</title>
<style>body{{font-family:Arial,sans-serif;margin:0;color:#0b0c0c}}header,footer{{background:#0b0c0c;
color:#fff;padding:1rem}}header a,footer a{{color:#fff}}main{{max-width:60rem;margin:0 auto;
padding:1rem}}table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #b1b4b6;
padding:.5rem;text-align:left}}a{{color:#1d70b8}}</style></head>
<body><a href="#main">Skip to main content</a>
<header><p><a href="/">{board} Safeguarding Children Board</a></p>
<nav aria-label="Main"><ul><li><a href="/reviews/">Serious case reviews</a></li>
<li><a href="/guidance/">Guidance</a></li><li><a href="/contact/">Contact us</a></li></ul></nav>
</header>
<main id="main"><nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>
<li><a href="/reviews/">Serious case reviews</a></li></ol></nav>
<h1>Serious case review: child {number}</h1>
<p>Published by the {board} board. This review looks at how agencies worked together.</p>
{sections}
<h2>Referrals by year</h2>
<table><caption>Referrals and reviews, {board}</caption><thead><tr><th scope="col">Year</th>
<th scope="col">Referrals</th><th scope="col">Reviews</th><th scope="col">Board</th></tr>
</thead><tbody>{rows}</tbody></table>
<h2>Reports</h2><ul><li><a href="/reports/child-{number}-overview.pdf">Child {number}
overview report (PDF, 1.2 MB, 48 pages)</a></li><li><a href="/reports/child-{number}-summary.pdf">
Child {number} executive summary (PDF, 240 KB, 6 pages)</a></li></ul>
</main>
<footer><p>&copy; {board} Safeguarding Children Board</p></footer></body></html>"""


def serve(directory: Path, port: int = BENCH_PORT) -> http.server.ThreadingHTTPServer:
    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(QuietHandler, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def engine_run(targets: list[Target], workers: int) -> dict:
    settings = AuditSettings(screenshots=False, viewports=(DESKTOP,))
    started = time.perf_counter()
    results, version = run_audit(targets, settings, workers=workers)
    wall = time.perf_counter() - started
    errors = [result.error for result in results if result.error]
    assert not errors, errors[:3]
    return {
        "pages": len(results),
        "wall_s": wall,
        "worker_s": sum(result.duration_s for result in results),
        "axe_s": sum(result.axe_ms for result in results) / 1000,
        "axe_version": version,
    }


def load_page(tab: WebDriverTab, target: Target) -> None:
    """Navigate, then wait in the page until it has settled."""
    tab.goto(target.url)
    load = tab.run_async(WAIT_FOR_SETTLED, SETTLE_TIMEOUT_S * 1000)
    check_settled(load, target, SETTLE_TIMEOUT_S)


def axe_run_ms(tab: WebDriverTab, options: dict) -> float:
    """Time ``axe.run`` took inside the browser."""
    run = tab.run_async(RUN_AXE, None, options)
    if "error" in run:
        raise AxeRunFailed(f"axe.run failed: {run['error']}")
    return run["elapsed_ms"]


def naive_run(targets: list[Target], workers: int) -> dict:
    """A new browser for every page and the library's injection of the 600 kB source each time."""
    settings = AuditSettings(screenshots=False, viewports=(DESKTOP,))
    pending: queue.Queue[Target] = queue.Queue()
    for target in targets:
        pending.put(target)
    worker_s, axe_s, lock = [], [], threading.Lock()

    def work():
        while True:
            try:
                target = pending.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            driver = start_browser(settings.browser)
            try:
                tab = WebDriverTab(driver)
                tab.set_viewport(DESKTOP)
                load_page(tab, target)
                Axe(driver, script_url=str(axe_script_path())).inject()
                elapsed_ms = axe_run_ms(tab, axe_options(settings))
            finally:
                driver.quit()
            with lock:
                worker_s.append(time.perf_counter() - started)
                axe_s.append(elapsed_ms / 1000)

    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "pages": len(worker_s),
        "wall_s": time.perf_counter() - started,
        "worker_s": sum(worker_s),
        "axe_s": sum(axe_s),
    }


def describe(name: str, run: dict) -> str:
    return (
        f"{name:<28} {run['pages']:>5} {run['wall_s']:>8.1f} "
        f"{run['pages'] / run['wall_s'] * 60:>10.1f} {run['worker_s']:>10.1f} "
        f"{run['axe_s']:>8.1f} {run['worker_s'] / run['axe_s']:>8.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--naive-pages",
        type=int,
        default=200,
        help="pages for the browser-per-page loop (it is slow)",
    )
    parser.add_argument(
        "--engine-only",
        action="store_true",
        help="skip the browser-per-page loop (minutes) while tuning the engine",
    )
    parser.add_argument("--port", type=int, default=BENCH_PORT, help="for the generated pages")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="a11y-bench-") as directory:
        for number in range(1, args.pages + 1):
            Path(directory, f"review-{number}.html").write_text(review_page(number))
        server = serve(Path(directory), args.port)
        base = f"http://127.0.0.1:{args.port}"
        targets = [
            Target(url=f"{base}/review-{n}.html", path=f"/review-{n}.html")
            for n in range(1, args.pages + 1)
        ]
        try:
            engine = engine_run(targets, args.workers)
            naive = (
                None if args.engine_only else naive_run(targets[: args.naive_pages], args.workers)
            )
        finally:
            server.shutdown()
            server.server_close()

    print(
        f"axe-core {engine['axe_version']}, {args.workers} workers, desktop viewport, "
        f"generated review pages of {len(review_page(1)) // 1024} kB"
    )
    print(
        f"{'run':<28} {'pages':>5} {'wall s':>8} {'pages/min':>10} {'worker s':>10} "
        f"{'axe s':>8} {'overhead':>8}"
    )
    print(describe("engine (browser reused)", engine))
    if naive:
        print(describe("naive (browser per page)", naive))
    ratio = engine["worker_s"] / engine["axe_s"]
    verdict = "met" if ratio <= 1.5 else "MISSED"
    print(f"engine overhead ratio {ratio:.2f} (target ≤ 1.5): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
