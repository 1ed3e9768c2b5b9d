"""The ``results.json`` document, schema ``a11y-audit/1``; JUnit and HTML render this same
document, and ``--changed-since`` reads its rows back (:class:`ResultRow`)::

    {schema, axe_version, started_at, finished_at, cms_url, frontend_url, changed_since,
     unchanged_pages, viewports: [{name, width, height}], fail_tags, best_practice_fails,
     summary: {pages, audits, passed, failed, errors, violations, warnings, needs_review,
               accepted, carried_over, baseline_expired, baseline_stale, exit_code,
               documents: {checked, passed, failed, errors, violations, accepted,
                           carried_over}},
     baseline: {path, expired: [entry], stale: [entry], stale_checked},
     results: [{id: "<path>@<viewport>", path, url, kind, viewport, status, error, duration_s,
                axe_ms, violations|warnings|needs_review|accepted: [rule], screenshot,
                carried_over_from?}],
     documents: [{kind: "document", url, path, linked_from: [page path], status, error,
                  size_bytes, pages, duration_s, checked: [check id],
                  violations|information|accepted: [finding], carried_over_from?}]}

where a rule is axe's ``{id, impact, tags, description, help, helpUrl, nodes: [{target, html,
impact, failureSummary}]}`` plus ``wcag`` (criteria such as "1.4.3"); accepted nodes carry
``baseline: {reason, expires}``. ``screenshot`` is a file name relative to the report directory
(``screenshots/…``) or null. The optional ``carried_over_from`` (ISO time) marks a row not
re-audited in a ``changed_since`` run: the page is unchanged, and the row is the result of the
earlier run that started then (its ``screenshot`` is that run's file, kept in place).

``documents`` (and ``summary.documents``) came later within the same schema: a document
without them is still valid, and one with them reads the same to anyone who only knows
``results``. A document row is one PDF the audited pages link to, checked once however many
pages link it: ``linked_from`` lists those pages' paths, ``status`` is "error" (with ``error``
starting "could not download: " or "could not check: ") when it could not be checked, and a
finding is the PDF checker's (``a11y_tests.pdf.PdfFinding``: ``check``, ``title``,
``severity``, ``wcag``, ``matterhorn``, ``summary``, ``explanation``, ``fixes``, ``pages``,
``details``), plus ``baseline: {reason, expires}`` on accepted ones. Baseline entries accept
them by ``rule`` (the check id) and ``document`` (a glob on the path or URL).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from a11y_tests.config import Viewport
from a11y_tests.documents import DocumentResult
from a11y_tests.model import AuditResult

SCHEMA = "a11y-audit/1"
SCREENSHOT_DIR = "screenshots"
DOCUMENT_KIND = "document"


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


@dataclass
class ResultRow:
    """One row of ``results``: one page at one viewport, as written and as read back."""

    id: str  # "<path>@<viewport name>"
    path: str
    url: str
    kind: str  # "page", "not-found" or "listing-view"
    viewport: Viewport
    status: str  # "passed", "failed" or "error"
    error: str | None
    duration_s: float
    axe_ms: float
    violations: list[dict]
    warnings: list[dict]
    needs_review: list[dict]
    accepted: list[dict]
    screenshot: str | None
    carried_over_from: str | None = None

    @classmethod
    def of(cls, result: AuditResult) -> ResultRow:
        return cls(
            id=result.test_id,
            path=result.target.path,
            url=result.target.url,
            kind=result.target.kind,
            viewport=result.viewport,
            status=result.status,
            error=result.error,
            duration_s=round(result.duration_s, 3),
            axe_ms=round(result.axe_ms, 1),
            violations=result.violations,
            warnings=result.warnings,
            needs_review=result.needs_review,
            accepted=result.accepted,
            screenshot=(
                screenshot_name(result) if result.screenshot else result.earlier_screenshot
            ),
            carried_over_from=result.carried_over_from,
        )

    def to_json(self) -> dict:
        row = {
            "id": self.id,
            "path": self.path,
            "url": self.url,
            "kind": self.kind,
            "viewport": {
                "name": self.viewport.name,
                "width": self.viewport.width,
                "height": self.viewport.height,
            },
            "status": self.status,
            "error": self.error,
            "duration_s": self.duration_s,
            "axe_ms": self.axe_ms,
            "violations": self.violations,
            "warnings": self.warnings,
            "needs_review": self.needs_review,
            "accepted": self.accepted,
            "screenshot": self.screenshot,
        }
        if self.carried_over_from:
            row["carried_over_from"] = self.carried_over_from
        return row

    @classmethod
    def from_json(cls, row: dict) -> ResultRow:
        return cls(
            id=row["id"],
            path=row["path"],
            url=row["url"],
            kind=row["kind"],
            viewport=Viewport(**row["viewport"]),
            status=row["status"],
            error=row["error"],
            duration_s=row["duration_s"],
            axe_ms=row["axe_ms"],
            violations=row["violations"],
            warnings=row["warnings"],
            needs_review=row["needs_review"],
            accepted=row["accepted"],
            screenshot=row.get("screenshot"),
            carried_over_from=row.get("carried_over_from"),
        )


@dataclass
class DocumentRow:
    """One row of ``documents``: one linked document, as written and as read back."""

    url: str
    path: str
    linked_from: list[str]
    status: str  # "passed", "failed" or "error"
    error: str | None
    size_bytes: int | None
    pages: int | None
    duration_s: float
    checked: list[str]
    violations: list[dict]
    information: list[dict]
    accepted: list[dict]
    carried_over_from: str | None = None

    @classmethod
    def of(cls, result: DocumentResult) -> DocumentRow:
        return cls(
            url=result.url,
            path=result.path,
            linked_from=list(result.linked_from),
            status=result.status,
            error=result.error,
            size_bytes=result.size_bytes,
            pages=result.pages,
            duration_s=round(result.duration_s, 3),
            checked=list(result.checked),
            violations=result.violations,
            information=result.information,
            accepted=result.accepted,
            carried_over_from=result.carried_over_from,
        )

    def to_json(self) -> dict:
        row = {
            "kind": DOCUMENT_KIND,
            "url": self.url,
            "path": self.path,
            "linked_from": self.linked_from,
            "status": self.status,
            "error": self.error,
            "size_bytes": self.size_bytes,
            "pages": self.pages,
            "duration_s": self.duration_s,
            "checked": self.checked,
            "violations": self.violations,
            "information": self.information,
            "accepted": self.accepted,
        }
        if self.carried_over_from:
            row["carried_over_from"] = self.carried_over_from
        return row

    @classmethod
    def from_json(cls, row: dict) -> DocumentRow:
        return cls(
            url=row["url"],
            path=row["path"],
            linked_from=list(row["linked_from"]),
            status=row["status"],
            error=row["error"],
            size_bytes=row["size_bytes"],
            pages=row["pages"],
            duration_s=row["duration_s"],
            checked=list(row["checked"]),
            violations=row["violations"],
            information=row["information"],
            accepted=row["accepted"],
            carried_over_from=row.get("carried_over_from"),
        )
