"""Storing a run's results: rows of ``results.json`` become results and findings, the newest
result of each page is marked, and history beyond ``AUDIT_HISTORY_LENGTH`` is pruned.

Shared by posted and imported site audits (``importing.py``) and by audits queued on publish
(``tasks.py``); callers wrap it in their transaction.
"""

import datetime

from django.utils import timezone

from a11y_tests.model import node_selector
from a11y_tests.report.schema import ResultRow

from .addresses import page_ids_by_frontend_path
from .conf import audits_settings
from .models import AuditFinding, AuditRun, AuditScreenshot, PageAuditResult

# results.json's rule lists and the category their findings are stored under.
CATEGORIES = (
    ("violations", AuditFinding.Category.VIOLATION),
    ("warnings", AuditFinding.Category.WARNING),
    ("needs_review", AuditFinding.Category.NEEDS_REVIEW),
    ("accepted", AuditFinding.Category.ACCEPTED),
)
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def image_type(data: bytes) -> str | None:
    """image/png or image/jpeg from the file's first bytes; None for anything else."""
    return next((kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic)), None)


def findings_of(row: ResultRow) -> list[AuditFinding]:
    """One unsaved finding per node of every rule in the row."""
    findings = []
    for attribute, category in CATEGORIES:
        for rule in getattr(row, attribute):
            for node in rule["nodes"]:
                accepted_by = node.get("baseline") or {}
                findings.append(
                    AuditFinding(
                        category=category,
                        rule_id=rule["id"],
                        impact=node.get("impact") or rule.get("impact") or "",
                        wcag=rule.get("wcag", []),
                        tags=rule.get("tags", []),
                        description=rule.get("description", ""),
                        help=rule.get("help", ""),
                        help_url=rule.get("helpUrl", ""),
                        selector=node_selector(node),
                        html=node.get("html", ""),
                        failure_summary=node.get("failureSummary", ""),
                        accepted_reason=accepted_by.get("reason", ""),
                        accepted_until=(
                            datetime.date.fromisoformat(accepted_by["expires"])
                            if accepted_by
                            else None
                        ),
                    )
                )
    return findings


def record_rows(
    run: AuditRun,
    rows: list[ResultRow],
    *,
    audited_at: datetime.datetime,
    screenshots: dict[str, bytes],
) -> None:
    """Store the rows of one run, then finish it. A carried-over row keeps the date of the run
    that audited it, so it never displaces a newer result of its page."""
    page_ids = page_ids_by_frontend_path({row.path for row in rows})
    results = []
    for row in rows:
        result = PageAuditResult(
            run=run,
            page_id=page_ids.get(row.path),
            path=row.path,
            url=row.url,
            kind=row.kind,
            viewport=row.viewport.name,
            viewport_width=row.viewport.width,
            viewport_height=row.viewport.height,
            status=row.status,
            error=row.error or "",
            audited_at=(
                datetime.datetime.fromisoformat(row.carried_over_from)
                if row.carried_over_from
                else audited_at
            ),
            carried_over=bool(row.carried_over_from),
            duration_s=row.duration_s,
            axe_ms=row.axe_ms,
            violation_count=len(row.violations),
            warning_count=len(row.warnings),
            needs_review_count=len(row.needs_review),
            accepted_count=len(row.accepted),
        )
        _store(result, findings_of(row))
        image = screenshots.get(row.screenshot) if row.screenshot else None
        if image:
            AuditScreenshot.objects.create(
                result=result, image=image, content_type=image_type(image)
            )
        results.append(result)
    _finish(run, results)


def record_unaudited(run: AuditRun, *, path: str, status: str, reason: str, viewports) -> None:
    """Finish an audit queued on publish that did not look at the page: one result per
    viewport saying why (not live, no browser…)."""
    now = timezone.now()
    results = []
    for viewport in viewports:
        result = PageAuditResult(
            run=run,
            page_id=run.page_id,
            path=path,
            url="",
            viewport=viewport.name,
            viewport_width=viewport.width,
            viewport_height=viewport.height,
            status=status,
            error=reason,
            audited_at=now,
        )
        _store(result, [])
        results.append(result)
    _finish(run, results)


def _store(result: PageAuditResult, findings: list[AuditFinding]) -> None:
    """Save the result, newest of its page at its viewport unless something newer is known."""
    competing = (
        PageAuditResult.objects.of_subject(result)
        | PageAuditResult.objects.filter(path=result.path, viewport=result.viewport)
    ).filter(is_latest=True)
    newest = competing.order_by("-audited_at").first()
    # Equal dates: the same audit seen again (a carried-over row of a run already stored).
    if newest is None or newest.audited_at < result.audited_at:
        competing.update(is_latest=False)
        result.is_latest = True
    result.save()
    for finding in findings:
        finding.result = result
    AuditFinding.objects.bulk_create(findings)


def _finish(run: AuditRun, results: list[PageAuditResult]) -> None:
    run.count_results()
    run.state = AuditRun.State.FINISHED
    run.finished_at = run.finished_at or timezone.now()
    run.save()
    prune_history(results)


def prune_history(results: list[PageAuditResult]) -> None:
    """Keep the newest ``AUDIT_HISTORY_LENGTH`` results of each page (or address) at each
    viewport touched. The latest complete site audit is kept whole: the accessibility
    statement is generated from it."""
    keep = audits_settings.AUDIT_HISTORY_LENGTH
    statement_run = AuditRun.objects.latest_complete()
    for result in results:
        history = PageAuditResult.objects.of_subject(result).order_by("-audited_at", "-pk")
        older = list(history.values_list("pk", flat=True)[keep:])
        if older:
            PageAuditResult.objects.filter(pk__in=older, is_latest=False).exclude(
                run=statement_run
            ).delete()
    # Runs whose every result has been pruned are history no one can see any more.
    # A site audit that failed keeps its reason for the dashboard.
    AuditRun.objects.filter(state=AuditRun.State.FINISHED, results__isnull=True, error="").delete()
