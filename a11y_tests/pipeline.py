"""discover → load/analyse → baseline → report, as one call the CLI and CI share.

The documents the pages link to are found and checked in a background thread while the
browser audits the pages (:func:`a11y_tests.documents.audit_documents`): the checks run in
child processes, so they mostly wait on the network and on other processes.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from a11y_tests.baseline import (
    accept_known,
    accept_known_document,
    baseline_outcome,
    load_baseline,
)
from a11y_tests.config import AuditSettings
from a11y_tests.discover import Discovery, DiscoveryError, discover, parse_since
from a11y_tests.documents import DocumentResult, audit_documents
from a11y_tests.model import AuditResult, Target
from a11y_tests.report import RunInfo, build_document, prepare_report_dir, write_reports
from a11y_tests.report.json_report import FILE_NAME as RESULTS_FILE
from a11y_tests.report.schema import SCHEMA, DocumentRow, ResultRow
from a11y_tests.workers import run_audit

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


def previous_document(report_dir: Path) -> dict | None:
    """The previous run's results.json in this report directory, if there is a readable one."""
    try:
        document = json.loads((report_dir / RESULTS_FILE).read_text(encoding="utf8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) and document.get("schema") == SCHEMA else None


def resolve_changed_since(value: str | None, previous: dict | None) -> dt.datetime | None:
    """ "last-run" means the start of the run recorded in the previous results.json."""
    if value is None:
        return None
    if value != LAST_RUN:
        return parse_since(value)
    if previous is None or "started_at" not in previous:
        raise DiscoveryError(
            f"--changed-since last-run needs a previous {RESULTS_FILE} in the report directory; "
            "run a full audit first"
        )
    return parse_since(previous["started_at"])


def _can_carry_over(previous: dict | None, since: dt.datetime, request: AuditRequest) -> bool:
    """Whether the previous run answers for what this one skips: the same frontend, begun no
    earlier than ``since``, so whatever is unchanged since then is unchanged since that run."""
    return (
        previous is not None
        and previous.get("frontend_url") == request.frontend_url
        and parse_since(previous["started_at"]) >= since
    )


def carried_over(
    previous: dict | None,
    since: dt.datetime,
    discovery: Discovery,
    audited: list[AuditResult],
    request: AuditRequest,
) -> list[AuditResult] | None:
    """Unchanged pages keep their previous results, so a partial run still answers for the
    whole site: a failure found earlier fails this run too, until the page is fixed.

    Only from a run of the same frontend that began no earlier than ``since``: a page unchanged
    since then is unchanged since that run. The current baseline is applied to them afresh. None
    when there is no such run: the unchanged pages are then not answered for.
    """
    if not _can_carry_over(previous, since, request):
        return None
    unchanged = set(discovery.unchanged)
    audited_ids = {result.test_id for result in audited}
    viewports = set(request.settings.viewports)
    carried = []
    for row in map(ResultRow.from_json, previous.get("results", [])):
        page_path = row.path.split("?", 1)[0]
        if (
            row.id in audited_ids
            or row.viewport not in viewports
            or (page_path not in unchanged and row.kind != "not-found")
        ):
            continue
        carried.append(
            AuditResult(
                target=Target(url=row.url, path=row.path, kind=row.kind),
                viewport=row.viewport,
                violations=_with_accepted_nodes(row.violations, row.accepted),
                warnings=row.warnings,
                needs_review=row.needs_review,
                error=row.error,
                duration_s=row.duration_s,
                axe_ms=row.axe_ms,
                carried_over_from=row.carried_over_from or previous["started_at"],
                earlier_screenshot=row.screenshot,
            )
        )
    return carried


def carried_over_documents(
    previous: dict | None,
    since: dt.datetime,
    discovery: Discovery,
    checked: list[DocumentResult],
    request: AuditRequest,
) -> list[DocumentResult]:
    """Documents linked from unchanged pages keep their previous results, as those pages do.

    A document checked again in this run gains the unchanged pages that link it; one only
    unchanged pages link is carried over, linked from those pages alone (a page that is gone
    links nothing). Nothing is carried over without a previous run that can answer for them.
    """
    if not _can_carry_over(previous, since, request):
        return []
    unchanged = set(discovery.unchanged)
    fresh = {document.url: document for document in checked}
    carried = []
    for row in map(DocumentRow.from_json, previous.get("documents", [])):
        linked_from = [path for path in row.linked_from if path in unchanged]
        if not linked_from:
            continue
        if row.url in fresh:
            document = fresh[row.url]
            document.linked_from += [p for p in linked_from if p not in document.linked_from]
            continue
        carried.append(
            DocumentResult(
                url=row.url,
                linked_from=linked_from,
                violations=[
                    {k: v for k, v in finding.items() if k != "baseline"}
                    for finding in [*row.violations, *row.accepted]
                ],
                information=row.information,
                checked=row.checked,
                error=row.error,
                pages=row.pages,
                size_bytes=row.size_bytes,
                duration_s=row.duration_s,
                carried_over_from=row.carried_over_from or previous["started_at"],
            )
        )
    return carried


def _with_accepted_nodes(violations: list[dict], accepted: list[dict]) -> list[dict]:
    """Undo the earlier baseline, so today's entries (and expiries) decide again."""
    rules = {rule["id"]: {**rule, "nodes": list(rule["nodes"])} for rule in violations}
    for rule in accepted:
        nodes = [{k: v for k, v in node.items() if k != "baseline"} for node in rule["nodes"]]
        rules.setdefault(rule["id"], {**rule, "nodes": []})["nodes"].extend(nodes)
    return list(rules.values())


def run_pipeline(
    request: AuditRequest,
    on_result: Callable[[int, int, AuditResult], None] | None = None,
) -> dict:
    """Returns the report document; raises the could-not-run errors for the caller to map."""
    entries = load_baseline(request.baseline_path)
    prepare_report_dir(request.report_dir)  # before minutes of auditing, not after
    previous = previous_document(request.report_dir) if request.changed_since else None
    since = resolve_changed_since(request.changed_since, previous)
    started = _now()
    discovery = discover(request.cms_url, request.frontend_url, changed_since=since)
    today = dt.date.today()

    def baseline_then_report(done: int, total: int, result: AuditResult) -> None:
        # Known findings are set aside as each page finishes, so progress shows what fails.
        accept_known(result, entries, today)
        if on_result:
            on_result(done, total, result)

    # Each page's own HTML says which documents it links to; the checks run meanwhile.
    pages = [target for target in discovery.targets if target.kind == "page"]
    stop_documents = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="documents") as background:
        checking = background.submit(
            audit_documents,
            pages,
            [request.frontend_url, request.cms_url],
            stop=stop_documents,
        )
        try:
            results, axe_version = run_audit(
                discovery.targets,
                request.settings,
                workers=request.workers,
                on_result=baseline_then_report,
            )
        except BaseException:
            stop_documents.set()  # the run is over: don't start checking more documents
            raise
    documents = checking.result()
    complete = discovery.complete
    if since is not None:
        carried = carried_over(previous, since, discovery, results, request)
        if carried is not None:
            for result in carried:
                accept_known(result, entries, today)
            results += carried
            complete = True
        documents += carried_over_documents(previous, since, discovery, documents, request)
    for document in documents:
        accept_known_document(document, entries, today)
    baseline = baseline_outcome(
        entries,
        path=str(request.baseline_path) if request.baseline_path else None,
        today=today,
        complete_run=complete,
    )
    document = build_document(
        results,
        baseline,
        RunInfo(
            cms_url=request.cms_url,
            frontend_url=request.frontend_url,
            axe_version=axe_version,
            started_at=started.isoformat(),
            finished_at=_now().isoformat(),
            settings=request.settings,
            changed_since=since.isoformat() if since else None,
            unchanged_pages=discovery.unchanged,
        ),
        documents,
    )
    write_reports(document, results, request.report_dir, request.formats)
    return document
