"""``a11y-audit``: parse options, run the pipeline, map the report to an exit code.

Exit codes: 0 clean, 1 violations or pages that could not be audited, 2 the audit could not run
(an unreachable Selenium Grid included) or (with ``--publish-to``) its results could not be
published.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from a11y_tests.axe import AxeUnavailable
from a11y_tests.baseline import BaselineError
from a11y_tests.browser import BrowserUnavailable
from a11y_tests.config import (
    DEFAULT_BASELINE,
    AuditSettings,
    BrowserSettings,
    grid_url_from_environment,
    parse_viewport,
)
from a11y_tests.discover import DiscoveryError
from a11y_tests.grid import GridUnavailable, grid_status
from a11y_tests.model import AuditResult
from a11y_tests.pipeline import AuditRequest, run_pipeline
from a11y_tests.publish import PublishError, publish_results
from a11y_tests.report import reporters
from a11y_tests.report.text import describe_run, failing_documents

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_CANNOT_RUN = 0, 1, 2
LOCAL_WORKERS = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="a11y-audit",
        description="Audit every published page with axe-core at desktop and 320 px widths.",
    )
    parser.add_argument(
        "--cms-url",
        default=os.environ.get("A11Y_CMS_URL", "http://localhost:8000"),
        help="CMS whose sitemap lists the pages (default: %(default)s)",
    )
    parser.add_argument(
        "--frontend-url",
        default=os.environ.get("A11Y_FRONTEND_URL", "http://localhost:5000"),
        help="frontend serving the pages (default: %(default)s)",
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=Path("a11y-report"),
        help="where results.json, junit.xml and report.html go; also read by "
        "--changed-since last-run (default: %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="parallel browser sessions, each reused across pages "
        f"(default: {LOCAL_WORKERS}; with --grid, the Grid's free slots)",
    )
    parser.add_argument(
        "--viewport",
        action="append",
        metavar="NAME|WxH",
        help="desktop, mobile or WIDTHxHEIGHT; repeat for several (default: desktop and mobile)",
    )
    parser.add_argument(
        "--tags",
        help="comma-separated axe tags that fail the audit "
        "(default: wcag2a,wcag2aa,wcag21a,wcag21aa,wcag22aa)",
    )
    parser.add_argument(
        "--best-practice-fails",
        action="store_true",
        help="treat best-practice findings as failures, not warnings",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=DEFAULT_BASELINE,
        help="TOML of accepted findings (default: %(default)s)",
    )
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--changed-since",
        metavar="ISO|last-run",
        help="only pages published after this (and the listings above them)",
    )
    parser.add_argument(
        "--format",
        action="append",
        choices=sorted(reporters()),
        help="report formats to write (default: all)",
    )
    parser.add_argument(
        "--grid",
        "--remote-webdriver",
        metavar="URL",
        default=grid_url_from_environment(),
        help="run every browser session on this Selenium Grid 4 instead of the local Chromium "
        "(default: $A11Y_GRID_URL)",
    )
    parser.add_argument("--no-screenshots", action="store_true")
    parser.add_argument(
        "--publish-to",
        metavar="CMS_URL",
        help="post results.json (and its screenshots) to this CMS, which stores audits",
    )
    parser.add_argument(
        "--publish-token",
        default=os.environ.get("A11Y_PUBLISH_TOKEN"),
        help="the CMS's audit publishing token (default: $A11Y_PUBLISH_TOKEN)",
    )
    return parser


def settings_from(args: argparse.Namespace) -> AuditSettings:
    settings = AuditSettings(
        best_practice_fails=args.best_practice_fails,
        screenshots=not args.no_screenshots,
        browser=replace(BrowserSettings(), remote_url=args.grid or None),
    )
    if args.viewport:
        viewports = dict.fromkeys(parse_viewport(v) for v in args.viewport)  # once each
        settings = replace(settings, viewports=tuple(viewports))
    if args.tags:
        tags = tuple(tag.strip() for tag in args.tags.split(",") if tag.strip())
        settings = replace(settings, fail_tags=tags)
    return settings


def worker_count(args: argparse.Namespace) -> int:
    """--workers, else one per free slot of the Grid (asked first, so an unreachable Grid stops
    the run before discovery), else LOCAL_WORKERS."""
    if not args.grid:
        return args.workers or LOCAL_WORKERS
    status = grid_status(args.grid)
    workers = args.workers or max(1, status.free_slots)
    print(
        f"a11y-audit: {workers} worker{'s' * (workers != 1)} on the Selenium Grid at {args.grid} "
        f"({status.free_slots} of {status.slots} slots free on {status.nodes} nodes)",
        file=sys.stderr,
        flush=True,
    )
    return workers


def progress(done: int, total: int, result: AuditResult) -> None:
    if result.error:
        detail = f"ERROR {result.error}"
    else:
        found = [f"{len(result.violations)} violations"] if result.violations else []
        found += [f"{len(result.warnings)} warnings"] if result.warnings else []
        found += [f"{len(result.needs_review)} to review"] if result.needs_review else []
        found += [f"{len(result.accepted)} accepted"] if result.accepted else []
        rules = ", ".join(rule["id"] for rule in result.violations)
        detail = (", ".join(found) or "clean") + (f" ({rules})" if rules else "")
    width = len(str(total))
    print(
        f"[{done:>{width}}/{total}] {result.viewport.name:<8} {result.target.path}  "
        f"{result.status}: {detail}  {result.duration_s:.2f}s",
        file=sys.stderr,
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.workers is not None and args.workers < 1:
            raise ValueError("--workers must be at least 1")
        if args.publish_to and not args.publish_token:
            raise ValueError("--publish-to needs a token: --publish-token or A11Y_PUBLISH_TOKEN")
        request = AuditRequest(
            cms_url=args.cms_url,
            frontend_url=args.frontend_url,
            report_dir=args.report_dir,
            settings=settings_from(args),
            workers=worker_count(args),
            baseline_path=None if args.no_baseline else args.baseline,
            changed_since=args.changed_since,
            formats=args.format or ["json", "junit", "html"],
        )
        document = run_pipeline(request, on_result=progress)
    except (
        DiscoveryError,
        GridUnavailable,
        BrowserUnavailable,
        AxeUnavailable,
        BaselineError,
        ValueError,
    ) as error:
        print(f"a11y-audit: cannot run: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    summary = document["summary"]
    print(f"a11y-audit: {describe_run(document)}; reports in {args.report_dir}", file=sys.stderr)
    for line in failing_documents(document):
        print(f"a11y-audit: {line}", file=sys.stderr)
    if args.publish_to:
        try:
            answer = publish_results(args.publish_to, args.publish_token, document, args.report_dir)
        except PublishError as error:
            print(f"a11y-audit: could not publish: {error}", file=sys.stderr)
            return EXIT_CANNOT_RUN
        print(f"a11y-audit: published to {args.publish_to} as run {answer['run']}", file=sys.stderr)
    return EXIT_CLEAN if summary["exit_code"] == 0 else EXIT_VIOLATIONS


if __name__ == "__main__":
    sys.exit(main())
