"""Report step: one document (the JSON schema) rendered by pluggable reporters.

``results.json`` (schema ``a11y-audit/1``) is the document itself::

    {schema, axe_version, started_at, finished_at, cms_url, frontend_url, changed_since,
     unchanged_pages, viewports: [{name, width, height}], fail_tags, best_practice_fails,
     summary: {pages, audits, passed, failed, errors, violations, warnings, needs_review,
               accepted, carried_over, baseline_expired, baseline_stale, exit_code},
     baseline: {path, expired: [entry], stale: [entry], stale_checked},
     results: [{id: "<path>@<viewport>", path, url, kind, viewport, status, error, duration_s,
                axe_ms, screenshot, violations|warnings|needs_review|accepted: [rule],
                carried_over_from?}]}

where a rule is axe's ``{id, impact, tags, description, help, helpUrl, nodes: [{target, html,
impact, failureSummary}]}`` plus ``wcag`` (criteria such as "1.4.3"); accepted nodes carry
``baseline: {reason, expires}``. ``screenshot`` is a file name relative to the report directory
(``screenshots/…``) or null. The optional ``carried_over_from`` (ISO time) marks a row not
re-audited in a ``changed_since`` run: the page is unchanged, and the row is the result of the
earlier run that started then (its ``screenshot`` is that run's file, kept in place). JUnit and
HTML are renderings of this same document.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from a11y_tests.baseline import BaselineOutcome
from a11y_tests.config import AuditSettings
from a11y_tests.model import AuditResult

SCHEMA = "a11y-audit/1"
SCREENSHOT_DIR = "screenshots"
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


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def screenshot_name(result: AuditResult) -> str:
    """Readable and unique: slugs alone collide ("/a-b/" and "/a/b/", "/home/" and "/"), so a
    short hash of the exact path and query follows; the same page keeps the same name."""
    path = result.target.path
    digest = hashlib.sha256(path.encode("utf8")).hexdigest()[:8]
    slug = (_slug(path) or "home")[:80]  # stays well under file-name limits
    extension = "jpg" if (result.screenshot or b"")[:2] == b"\xff\xd8" else "png"
    return f"{SCREENSHOT_DIR}/{slug}-{digest}--{_slug(result.viewport.name)}.{extension}"


def result_entry(result: AuditResult) -> dict:
    return {
        "id": result.test_id,
        "path": result.target.path,
        "url": result.target.url,
        "kind": result.target.kind,
        "viewport": {"name": result.viewport.name, "width": result.viewport.width,
                     "height": result.viewport.height},
        "status": result.status,
        "error": result.error,
        "duration_s": round(result.duration_s, 3),
        "axe_ms": round(result.axe_ms, 1),
        "violations": result.violations,
        "warnings": result.warnings,
        "needs_review": result.needs_review,
        "accepted": result.accepted,
        "screenshot": (
            screenshot_name(result) if result.screenshot else result.earlier_screenshot
        ),
        **({"carried_over_from": result.carried_over_from} if result.carried_over_from else {}),
    }


def exit_code(results: list[AuditResult], baseline: BaselineOutcome) -> int:
    """0 only when every page was audited and nothing fails; a page not audited never passes."""
    if baseline.expired or any(result.status != "passed" for result in results):
        return 1
    return 0


def build_document(
    results: list[AuditResult], baseline: BaselineOutcome, run: RunInfo
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
            "exit_code": exit_code(results, baseline),
        },
        "baseline": baseline.as_dict(),
        "results": [result_entry(result) for result in results],
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
        screenshots = {**_kept_screenshots(report_dir, referenced - set(screenshots)),
                       **screenshots}
    available = reporters()
    return [available[name](document, report_dir, screenshots) for name in formats]
