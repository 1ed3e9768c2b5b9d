"""A page's audit status in a few words, with its time: what a page panel or the page explorer
shows ("Audit queued", "Passed", "3 problems", "Not audited: no browser…")."""

import datetime
from dataclasses import dataclass, field

from .models import AuditFinding, AuditRun, PageAuditResult

# The worse of two results decides the page's status.
SEVERITY = [
    PageAuditResult.Status.PASSED,
    PageAuditResult.Status.NOT_LIVE,
    PageAuditResult.Status.NOT_AUDITED,
    PageAuditResult.Status.ERROR,
    PageAuditResult.Status.FAILED,
]


@dataclass
class PageAuditStatus:
    state: str  # "queued", "running", "never", or a result status ("passed", "failed"…)
    label: str
    at: datetime.datetime | None
    # The newest result at each viewport, desktop first.
    results: list[PageAuditResult] = field(default_factory=list)


def page_audit_status(page) -> PageAuditStatus:
    """An audit waiting or running says so; otherwise the worst of the latest results."""
    results = list(
        PageAuditResult.objects.newest()
        .filter(page=page, kind=PageAuditResult.Kind.PAGE)
        .order_by("-viewport_width")
    )
    pending = AuditRun.objects.pending().filter(page=page).order_by("-queued_at").first()
    if pending is not None:
        running = pending.state == AuditRun.State.RUNNING
        return PageAuditStatus(
            state=pending.state,
            label="Audit running" if running else "Audit queued",
            at=pending.started_at if running else pending.queued_at,
            results=results,
        )
    if not results:
        return PageAuditStatus(state="never", label="Not audited yet", at=None)
    worst = max(results, key=lambda result: SEVERITY.index(result.status))
    label = worst.summary
    if worst.status == PageAuditResult.Status.FAILED:
        # A rule failing at both viewports is one problem to fix.
        problems = (
            AuditFinding.objects.filter(
                result__in=results, category=AuditFinding.Category.VIOLATION
            )
            .values("rule_id")
            .distinct()
            .count()
        )
        label = f"{problems} problem{'s' if problems != 1 else ''}"
    return PageAuditStatus(
        state=worst.status,
        label=label,
        at=max(result.audited_at for result in results),
        results=results,
    )
