"""results.json documents built by the audit's own code (``build_document``), for the CMS side.

Rows are made from ``AuditResult`` records as the engine makes them, so what the tests import is
exactly what ``a11y-audit`` writes and posts.
"""

from __future__ import annotations

from a11y_tests.baseline import BaselineOutcome
from a11y_tests.config import DESKTOP, MOBILE, AuditSettings
from a11y_tests.model import AuditResult, Target
from a11y_tests.report import RunInfo, build_document

FRONTEND = "http://frontend.test"
STARTED = "2026-03-02T09:00:00+00:00"
JPEG = b"\xff\xd8\xff\xe0" + b"picture" * 10
PNG = b"\x89PNG\r\n\x1a\n" + b"picture" * 10


def rule(rule_id="image-alt", *, wcag=("1.1.1",), impact="critical", nodes=("img",), tags=None):
    """A rule record as the analyse step keeps it, one node per selector."""
    return {
        "id": rule_id,
        "impact": impact,
        "tags": tags or ["cat.text-alternatives", "wcag2a", "wcag111"],
        "wcag": list(wcag),
        "description": f"Ensures {rule_id} holds",
        "help": f"Fix {rule_id}",
        "helpUrl": f"https://dequeuniversity.com/rules/axe/4.14/{rule_id}",
        "nodes": [
            {
                "target": [selector],
                "html": f"<{selector}>",
                "impact": impact,
                "failureSummary": "Fix any of the following: …",
            }
            for selector in nodes
        ],
    }


def accepted(rule_record, reason="Chart alt text being written", expires="2099-12-31"):
    return {
        **rule_record,
        "nodes": [
            {**node, "baseline": {"reason": reason, "expires": expires}}
            for node in rule_record["nodes"]
        ],
    }


def result(path, viewport=DESKTOP, *, kind="page", carried_over_from=None, **found) -> AuditResult:
    """``found``: violations, warnings, needs_review, accepted, error, screenshot."""
    return AuditResult(
        target=Target(url=FRONTEND + path, path=path, kind=kind),
        viewport=viewport,
        carried_over_from=carried_over_from,
        duration_s=0.5,
        axe_ms=120.0,
        **found,
    )


def both_viewports(path, **found) -> list[AuditResult]:
    return [result(path, DESKTOP, **found), result(path, MOBILE, **found)]


def document(
    results, *, started_at=STARTED, complete=True, changed_since=None, unchanged=()
) -> dict:
    return build_document(
        results,
        BaselineOutcome(path=None, stale_checked=complete),
        RunInfo(
            cms_url="http://cms.test",
            frontend_url=FRONTEND,
            axe_version="4.14.1",
            started_at=started_at,
            finished_at=started_at.replace("09:00:00", "09:05:00"),
            settings=AuditSettings(),
            changed_since=changed_since,
            unchanged_pages=list(unchanged),
        ),
    )
