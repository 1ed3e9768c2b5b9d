"""discover → load/analyse → baseline → report, as one call the CLI and CI share."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from a11y_tests.baseline import apply_baseline, load_baseline
from a11y_tests.config import AuditSettings
from a11y_tests.discover import DiscoveryError, discover, parse_since
from a11y_tests.engine import run_audit
from a11y_tests.model import AuditResult
from a11y_tests.report import RunInfo, build_document, write_reports
from a11y_tests.report.json_report import FILE_NAME as RESULTS_FILE

LAST_RUN = "last-run"


@dataclass
class AuditRequest:
    cms_url: str
    frontend_url: str
    report_dir: Path
    settings: AuditSettings = field(default_factory=AuditSettings)
    workers: int = 2
    baseline_path: Path | None = None
    changed_since: str | None = None
    formats: list[str] = field(default_factory=lambda: ["json", "junit", "html"])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def resolve_changed_since(value: str | None, report_dir: Path) -> dt.datetime | None:
    """"last-run" means the start of the run recorded in the previous results.json."""
    if value is None:
        return None
    if value != LAST_RUN:
        return parse_since(value)
    previous = report_dir / RESULTS_FILE
    try:
        return parse_since(json.loads(previous.read_text(encoding="utf8"))["started_at"])
    except (OSError, ValueError, KeyError) as error:
        raise DiscoveryError(
            f"--changed-since last-run needs a previous {previous}; run a full audit first"
        ) from error


def run_pipeline(
    request: AuditRequest,
    on_result: Callable[[int, int, AuditResult], None] | None = None,
) -> dict:
    """Returns the report document; raises the could-not-run errors for the caller to map."""
    entries = load_baseline(request.baseline_path)
    since = resolve_changed_since(request.changed_since, request.report_dir)
    started = _now()
    discovery = discover(request.cms_url, request.frontend_url, changed_since=since)
    results, axe_version = run_audit(
        discovery.targets, request.settings, workers=request.workers, on_result=on_result
    )
    baseline = apply_baseline(
        results, entries,
        path=str(request.baseline_path) if request.baseline_path else None,
        complete_run=discovery.complete,
    )
    document = build_document(results, baseline, RunInfo(
        cms_url=request.cms_url, frontend_url=request.frontend_url, axe_version=axe_version,
        started_at=started.isoformat(), finished_at=_now().isoformat(),
        settings=request.settings, changed_since=since.isoformat() if since else None,
        unchanged_pages=discovery.unchanged,
    ))
    write_reports(document, results, request.report_dir, request.formats)
    return document
