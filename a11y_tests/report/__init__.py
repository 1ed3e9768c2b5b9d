"""Report step: one document, ``results.json`` (its schema in :mod:`a11y_tests.report.schema`),
rendered by pluggable reporters as ``junit.xml`` and ``report.html``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from a11y_tests.baseline import BaselineOutcome
from a11y_tests.config import AuditSettings
from a11y_tests.documents import DocumentResult
from a11y_tests.model import AuditResult
from a11y_tests.report.schema import (
    SCHEMA,
    SCREENSHOT_DIR,
    DocumentRow,
    ResultRow,
    screenshot_name,
)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
# Formats whose files refer to screenshots/; JUnit alone never shows them.
SCREENSHOT_FORMATS = {"json", "html"}


class ReportDirError(ValueError):
    """The report directory cannot be created or written."""


@dataclass
class RunInfo:
    cms_url: str | None
    frontend_url: str | None
    axe_version: str
    started_at: str
    finished_at: str
    settings: AuditSettings
    changed_since: str | None = None
    unchanged_pages: list[str] = field(default_factory=list)


def exit_code(
    results: list[AuditResult],
    baseline: BaselineOutcome,
    documents: list[DocumentResult] = (),
) -> int:
    """0 only when every page and document was audited and nothing fails; a page or document
    not audited never passes."""
    if baseline.expired or any(item.status != "passed" for item in [*results, *documents]):
        return 1
    return 0


def document_summary(documents: list[DocumentResult]) -> dict:
    return {
        "checked": len(documents),
        "passed": sum(document.status == "passed" for document in documents),
        "failed": sum(document.status == "failed" for document in documents),
        "errors": sum(document.status == "error" for document in documents),
        "violations": sum(len(document.violations) for document in documents),
        "accepted": sum(len(document.accepted) for document in documents),
        "carried_over": sum(bool(document.carried_over_from) for document in documents),
    }


def build_document(
    results: list[AuditResult],
    baseline: BaselineOutcome,
    run: RunInfo,
    documents: list[DocumentResult] = (),
) -> dict:
    def count(attribute: str) -> int:
        return sum(len(getattr(result, attribute)) for result in results)

    return {
        "schema": SCHEMA,
        "axe_version": run.axe_version,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "cms_url": run.cms_url,
        "frontend_url": run.frontend_url,
        "changed_since": run.changed_since,
        "unchanged_pages": run.unchanged_pages,
        "viewports": [
            {"name": v.name, "width": v.width, "height": v.height} for v in run.settings.viewports
        ],
        "fail_tags": list(run.settings.fail_tags),
        "best_practice_fails": run.settings.best_practice_fails,
        "summary": {
            "pages": len({result.target.url for result in results}),
            "audits": len(results),
            "passed": sum(result.status == "passed" for result in results),
            "failed": sum(result.status == "failed" for result in results),
            "errors": sum(result.status == "error" for result in results),
            "violations": count("violations"),
            "warnings": count("warnings"),
            "needs_review": count("needs_review"),
            "accepted": count("accepted"),
            "carried_over": sum(bool(result.carried_over_from) for result in results),
            "baseline_expired": len(baseline.expired),
            "baseline_stale": len(baseline.stale),
            "exit_code": exit_code(results, baseline, documents),
            "documents": document_summary(documents),
        },
        "baseline": baseline.as_dict(),
        "results": [ResultRow.of(result).to_json() for result in results],
        "documents": [DocumentRow.of(document).to_json() for document in documents],
    }


Reporter = Callable[[dict, Path, dict[str, bytes]], Path]


def reporters() -> dict[str, Reporter]:
    from a11y_tests.report.html_report import write_html
    from a11y_tests.report.json_report import write_json
    from a11y_tests.report.junit_report import write_junit

    return {"json": write_json, "junit": write_junit, "html": write_html}


def prepare_report_dir(report_dir: Path) -> None:
    """Create the directory and prove it writable, so a bad --report-dir stops the run before
    the audit instead of with a traceback after it."""
    if report_dir.exists() and not report_dir.is_dir():
        raise ReportDirError(f"cannot write reports to {report_dir}: it is not a directory")
    try:
        report_dir.mkdir(parents=True, exist_ok=True)
        # A real write: permissions, read-only mounts and /proc all answer it truthfully.
        with tempfile.NamedTemporaryFile(dir=report_dir, prefix=".a11y-write-test-"):
            pass
    except OSError as error:
        raise ReportDirError(
            f"cannot write reports to {report_dir}: {error.strerror or error}"
        ) from error


def _referenced_screenshots(document: dict) -> set[str]:
    return {entry["screenshot"] for entry in document["results"] if entry.get("screenshot")}


def _remove_unreferenced_screenshots(report_dir: Path, referenced: set[str]) -> None:
    """Earlier runs' pictures go unless a row still names them (a carried-over result does)."""
    directory = report_dir / SCREENSHOT_DIR
    if not directory.is_dir():
        return
    for file in directory.iterdir():
        name = f"{SCREENSHOT_DIR}/{file.name}"
        if file.suffix.lower() in IMAGE_SUFFIXES and file.is_file() and name not in referenced:
            file.unlink()


def _kept_screenshots(report_dir: Path, names: set[str]) -> dict[str, bytes]:
    """Bytes of referenced screenshots this run did not take, read back for report.html."""
    kept = {}
    for name in names:
        file = report_dir / name
        # Names come from an earlier results.json: read only plain files inside screenshots/.
        if file.parent == report_dir / SCREENSHOT_DIR and file.is_file():
            kept[name] = file.read_bytes()
    return kept


def write_reports(
    document: dict, results: list[AuditResult], report_dir: Path, formats: list[str]
) -> list[Path]:
    """Screenshots go beside the reports (and inside report.html) so each stands alone."""
    prepare_report_dir(report_dir)
    screenshots = {
        screenshot_name(result): result.screenshot for result in results if result.screenshot
    }
    if SCREENSHOT_FORMATS & set(formats):
        referenced = _referenced_screenshots(document)
        for name, data in screenshots.items():
            (report_dir / name).parent.mkdir(exist_ok=True)
            (report_dir / name).write_bytes(data)
        _remove_unreferenced_screenshots(report_dir, referenced | set(screenshots))
        screenshots = {
            **_kept_screenshots(report_dir, referenced - set(screenshots)),
            **screenshots,
        }
    available = reporters()
    return [available[name](document, report_dir, screenshots) for name in formats]
