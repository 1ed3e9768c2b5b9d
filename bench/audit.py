"""Benchmark of the audit against pa11y-ci, in one run, on the same generated pages.

Generates pages of two kinds, each at both of the audit's viewports (desktop 1280×1024, mobile
320×640): small pages (about 1.3 kB: header, navigation, a heading, two paragraphs, a short
list, footer) and review-like pages (about 6.6 kB: GOV.UK structure with sections, statements, a
data table and report links). It serves them from a separate process and audits them

- with the audit (``workers.run_audit``, default settings: every finding, the wait for a
  settled page, screenshots of failing pages), with N workers;
- with pa11y-ci (the npm devDependency pinned in package-lock.json) at concurrency N, with its
  axe runner, the same axe-core (package.json's ``overrides``) and Debian's Chromium, one URL
  entry per page and viewport.

For each page kind and concurrency it prints audits (page × viewport) per minute, wall clock
from start to finish with browser start-up included (pa11y-ci's also includes starting Node),
the audit's speed over pa11y-ci's, and the audit's overhead: its summed per-page time
(navigate, wait, analyse, collect) over the summed ``axe.run`` time measured inside the browser.
Targets: ≥ 10 × pa11y-ci at each concurrency; overhead ≤ 1.5.

    .venv/bin/python bench/audit.py [--pages 66] [--kinds small review] [--concurrency 1 2]
                                    [--audit-only] [--port 8390]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from a11y_tests.browser import CHROMIUM_FLAGS  # noqa: E402
from a11y_tests.config import REPO_ROOT, AuditSettings, BrowserSettings  # noqa: E402
from a11y_tests.model import Target  # noqa: E402
from a11y_tests.workers import run_audit  # noqa: E402

BENCH_PORT = 8390
BOARDS = ("Merton", "Sutton", "Kingston", "Croydon", "Wandsworth")
PA11Y_CI = REPO_ROOT / "node_modules" / ".bin" / "pa11y-ci"
TARGET_SPEED_UP = 10
TARGET_OVERHEAD = 1.5


def document(number: int, title: str, main: str) -> str:
    """The page around ``main``: head, skip link, header with navigation, footer."""
    board = BOARDS[number % len(BOARDS)]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - {board} Safeguarding Children Board</title>
<style>body{{font-family:Arial,sans-serif;margin:0;color:#0b0c0c}}header,footer{{background:#0b0c0c;
color:#fff;padding:1rem}}header a,footer a{{color:#fff}}main{{max-width:60rem;margin:0 auto;
padding:1rem}}table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #b1b4b6;
padding:.5rem;text-align:left}}a{{color:#1d70b8}}li{{margin:.5rem 0}}</style></head>
<body><a href="#main">Skip to main content</a>
<header><p><a href="/">{board} Safeguarding Children Board</a></p>
<nav aria-label="Main"><ul><li><a href="/reviews/">Serious case reviews</a></li>
<li><a href="/guidance/">Guidance</a></li><li><a href="/contact/">Contact us</a></li></ul></nav>
</header>
<main id="main">{main}
</main>
<footer><p>&copy; {board} Safeguarding Children Board</p></footer></body></html>"""


def small_page(number: int) -> str:
    """A short content page: the site's frame around a heading, two paragraphs and a list."""
    board = BOARDS[number % len(BOARDS)]
    main = f"""<h1>Contact point {number}</h1>
<p>The {board} board answers questions about review {number} within ten working days.</p>
<p>Write to us or call the safeguarding team; say which review you are asking about.</p>
<ul><li><a href="/contact/{number}/">Contact form for review {number}</a></li>
<li><a href="/reviews/{number}/">Serious case review {number}</a></li></ul>"""
    return document(number, f"Contact point {number}", main)


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
    main = f"""<nav aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>
<li><a href="/reviews/">Serious case reviews</a></li></ol></nav>
<h1>Serious case review: child {number}</h1>
<p>Published by the {board} board. This review looks at how agencies worked together.</p>
{sections}
<h2 id="referrals">Referrals by year</h2>
<div role="region" aria-labelledby="referrals" tabindex="0" style="overflow-x:auto">
<table><caption>Referrals and reviews, {board}</caption><thead><tr><th scope="col">Year</th>
<th scope="col">Referrals</th><th scope="col">Reviews</th><th scope="col">Board</th></tr>
</thead><tbody>{rows}</tbody></table></div>
<h2>Reports</h2><ul><li><a href="/reports/child-{number}-overview.pdf">Child {number}
overview report (PDF, 1.2 MB, 48 pages)</a></li><li><a href="/reports/child-{number}-summary.pdf">
Child {number} executive summary (PDF, 240 KB, 6 pages)</a></li></ul>"""
    return document(number, f"Serious case review: child {number}", main)


PAGE_KINDS: dict[str, Callable[[int], str]] = {"small": small_page, "review": review_page}


class PageServer:
    """The generated pages over HTTP/1.1 from a process of its own, so that serving them takes
    no time from the audit's own Python threads."""

    def __init__(self, directory: Path, port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
            + ["--directory", str(directory), "--protocol", "HTTP/1.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise SystemExit(f"bench: the page server did not start on port {port}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@dataclass
class Run:
    """One tool's run over every page × viewport."""

    audits: int
    wall_s: float
    findings: int
    worker_s: float | None = None  # the audit's summed per-page time
    axe_s: float | None = None  # the audit's summed axe.run time

    @property
    def per_minute(self) -> float:
        return self.audits / self.wall_s * 60

    @property
    def overhead(self) -> float | None:
        return self.worker_s / self.axe_s if self.worker_s else None


def audit_run(targets: list[Target], settings: AuditSettings, workers: int) -> Run:
    started = time.perf_counter()
    results, _ = run_audit(targets, settings, workers=workers)
    wall = time.perf_counter() - started
    errors = [result.error for result in results if result.error]
    if errors:
        raise SystemExit(f"bench: the audit could not audit {len(errors)} pages: {errors[:3]}")
    return Run(
        audits=len(results),
        wall_s=wall,
        findings=sum(
            len(rule["nodes"]) for result in results for rule in result.violations + result.warnings
        ),
        worker_s=sum(result.duration_s for result in results),
        axe_s=sum(result.axe_ms for result in results) / 1000,
    )


def pa11y_ci_config(targets: list[Target], settings: AuditSettings, concurrency: int) -> dict:
    """pa11y-ci on the same pages and viewports, with axe and Debian's Chromium. One entry per
    page and viewport; the query string only keeps its report's keys (URLs) apart."""
    return {
        "defaults": {
            "concurrency": concurrency,
            "runners": ["axe"],
            "standard": "WCAG2AA",
            "chromeLaunchConfig": {
                "executablePath": settings.browser.chromium_binary,
                # Debian's chromium-headless-shell (A11Y_CHROMIUM) takes the old headless flag.
                "headless": "shell"
                if "headless-shell" in settings.browser.chromium_binary
                else True,
                # The audit's own flags; puppeteer adds its headless one.
                "args": [flag for flag in CHROMIUM_FLAGS if not flag.startswith("--headless")],
            },
        },
        "urls": [
            {
                "url": f"{target.url}?viewport={viewport.name}",
                "viewport": {"width": viewport.width, "height": viewport.height},
            }
            for viewport in settings.viewports
            for target in targets
        ],
    }


def pa11y_ci_run(config: dict, config_path: Path) -> Run:
    config_path.write_text(json.dumps(config))
    started = time.perf_counter()
    run = subprocess.run(
        [str(PA11Y_CI), "--config", str(config_path), "--reporter", "json"],
        cwd=REPO_ROOT,
        # Never a download, should a puppeteer ever look for its own browser here.
        env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "true"},
        capture_output=True,
        text=True,
        timeout=3600,
    )
    wall = time.perf_counter() - started
    try:
        report = json.loads(run.stdout)
    except ValueError:
        raise SystemExit(
            f"bench: pa11y-ci gave no report (exit {run.returncode}): {run.stderr[-2000:]}"
        ) from None
    # An entry without a rule code is a page pa11y-ci could not test (its error message).
    failed = [
        url for url, issues in report["results"].items() if any("code" not in i for i in issues)
    ]
    if report["total"] != len(config["urls"]) or failed:
        raise SystemExit(f"bench: pa11y-ci tested {report['total']} URLs; failed: {failed[:3]}")
    return Run(audits=report["total"], wall_s=wall, findings=report["errors"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=66, help="pages of each kind")
    parser.add_argument("--kinds", nargs="+", choices=PAGE_KINDS, default=list(PAGE_KINDS))
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--audit-only", action="store_true", help="skip pa11y-ci (minutes) while tuning the audit"
    )
    parser.add_argument("--port", type=int, default=BENCH_PORT, help="for the generated pages")
    args = parser.parse_args()
    if not args.audit_only and not PA11Y_CI.exists():
        raise SystemExit(f"bench: {PA11Y_CI} missing: run `npm ci` in the repository")

    settings = AuditSettings(browser=BrowserSettings(remote_url=None))
    viewports = " and ".join(f"{v.name} {v.width}×{v.height}" for v in settings.viewports)
    print(
        f"{args.pages} pages of each kind at {viewports}; {settings.browser.chromium_binary}, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"{'pages':<13} {'conc':>4} {'tool':<9} {'audits':>6} {'wall s':>7} {'audits/min':>10} "
        f"{'findings':>8} {'per audit ms':>12} {'axe ms':>7} {'overhead':>8} {'speed-up':>8}"
    )
    verdicts = []
    for kind in args.kinds:
        with tempfile.TemporaryDirectory(prefix="a11y-bench-") as directory:
            for number in range(1, args.pages + 1):
                Path(directory, f"{kind}-{number}.html").write_text(PAGE_KINDS[kind](number))
            server = PageServer(Path(directory), args.port)
            targets = [
                Target(url=f"{server.url}/{kind}-{n}.html", path=f"/{kind}-{n}.html")
                for n in range(1, args.pages + 1)
            ]
            label = f"{kind} {len(PAGE_KINDS[kind](1)) / 1024:.1f} kB"
            try:
                for concurrency in args.concurrency:
                    audit = audit_run(targets, settings, concurrency)
                    pa11y = None
                    if not args.audit_only:
                        config = pa11y_ci_config(targets, settings, concurrency)
                        pa11y = pa11y_ci_run(config, Path(directory, "pa11yci.json"))
                    speed_up = audit.per_minute / pa11y.per_minute if pa11y else None
                    print(describe(label, concurrency, "audit", audit, speed_up))
                    if pa11y:
                        print(describe(label, concurrency, "pa11y-ci", pa11y, None))
                    verdicts.append((label, concurrency, audit.overhead, speed_up))
            finally:
                server.stop()
    for label, concurrency, overhead, speed_up in verdicts:
        verdict = f"{label}, concurrency {concurrency}: overhead {overhead:.2f} " + met(
            overhead <= TARGET_OVERHEAD, f"≤ {TARGET_OVERHEAD}"
        )
        if speed_up:
            verdict += f"; {speed_up:.1f} × pa11y-ci " + met(
                speed_up >= TARGET_SPEED_UP, f"≥ {TARGET_SPEED_UP}"
            )
        print(verdict)
    return 0


def met(ok: bool, target: str) -> str:
    return f"({'met' if ok else 'MISSED'}, target {target})"


def describe(label: str, concurrency: int, tool: str, run: Run, speed_up: float | None) -> str:
    per_audit = f"{run.worker_s / run.audits * 1000:.1f}" if run.worker_s else "-"
    axe = f"{run.axe_s / run.audits * 1000:.1f}" if run.axe_s else "-"
    overhead = f"{run.overhead:.2f}" if run.overhead else "-"
    return (
        f"{label:<13} {concurrency:>4} {tool:<9} {run.audits:>6} {run.wall_s:>7.1f} "
        f"{run.per_minute:>10.1f} {run.findings:>8} {per_audit:>12} {axe:>7} {overhead:>8} "
        f"{f'{speed_up:.1f} ×' if speed_up else '':>8}"
    )


if __name__ == "__main__":
    sys.exit(main())
