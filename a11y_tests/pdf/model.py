"""What checking one PDF gives: a status and findings, each self-contained (its check's
title, criteria, explanation and fixes travel with it), and their JSON shape::

    {status: "passed"|"failed"|"error", error, pages, duration_s, checked: [check id],
     findings: [{check, title, severity: "violation"|"information", wcag: ["1.1.1"],
                 matterhorn, summary, explanation, fixes: {word, libreoffice, indesign},
                 pages: [1-based page number], details: {…}}]}

``status`` is "error" when the file could not be checked, and ``error`` then says why (as a
row of ``results.json`` does); ``checked`` lists the checks that applied and ran, so a check
that ran and has no finding passed. ``matterhorn`` is the one failure condition found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from a11y_tests.pdf.explanations import CHECKS, VIOLATION

PASSED = "passed"
FAILED = "failed"
NOT_CHECKED = "error"  # the word results.json rows use for "could not be audited"
MEMORY_REASON = (
    "it needs more than {limit} MB of memory to read; it may be a decompression bomb or "
    "badly damaged"
)


@dataclass(frozen=True)
class PdfFinding:
    """One problem (or, for information checks, one fact) found in one document."""

    check: str
    title: str
    severity: str
    wcag: tuple[str, ...]
    matterhorn: str
    summary: str  # what was found in this file, in one sentence
    explanation: str
    fixes: dict[str, str]
    pages: tuple[int, ...] = ()
    details: dict = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        check_id: str,
        summary: str,
        *,
        matterhorn: str | None = None,
        pages: tuple[int, ...] | list[int] = (),
        details: dict | None = None,
    ) -> PdfFinding:
        """A finding of a check in ``CHECKS``; ``matterhorn`` defaults to its first condition."""
        check = CHECKS[check_id]
        return cls(
            check=check.id,
            title=check.title,
            severity=check.severity,
            wcag=check.wcag,
            matterhorn=matterhorn or check.matterhorn[0],
            summary=summary,
            explanation=check.explanation,
            fixes=dict(check.fixes),
            pages=tuple(pages),
            details=details or {},
        )

    def to_json(self) -> dict:
        return {
            "check": self.check,
            "title": self.title,
            "severity": self.severity,
            "wcag": list(self.wcag),
            "matterhorn": self.matterhorn,
            "summary": self.summary,
            "explanation": self.explanation,
            "fixes": dict(self.fixes),
            "pages": list(self.pages),
            "details": self.details,
        }

    @classmethod
    def from_json(cls, data: dict) -> PdfFinding:
        return cls(
            check=data["check"],
            title=data["title"],
            severity=data["severity"],
            wcag=tuple(data["wcag"]),
            matterhorn=data["matterhorn"],
            summary=data["summary"],
            explanation=data["explanation"],
            fixes=dict(data["fixes"]),
            pages=tuple(data["pages"]),
            details=data["details"],
        )


@dataclass
class PdfCheckResult:
    """The outcome of checking one PDF."""

    status: str  # PASSED, FAILED or NOT_CHECKED
    error: str | None = None  # why it could not be checked
    findings: list[PdfFinding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    pages: int | None = None
    duration_s: float = 0.0

    @classmethod
    def not_checked(cls, reason: str, duration_s: float = 0.0) -> PdfCheckResult:
        return cls(status=NOT_CHECKED, error=reason, duration_s=round(duration_s, 3))

    @classmethod
    def of_findings(
        cls, findings: list[PdfFinding], checked: list[str], pages: int
    ) -> PdfCheckResult:
        failed = any(finding.severity == VIOLATION for finding in findings)
        return cls(
            status=FAILED if failed else PASSED, findings=findings, checked=checked, pages=pages
        )

    @property
    def violations(self) -> list[PdfFinding]:
        return [finding for finding in self.findings if finding.severity == VIOLATION]

    @property
    def information(self) -> list[PdfFinding]:
        return [finding for finding in self.findings if finding.severity != VIOLATION]

    @property
    def message(self) -> str:
        """One line for people: what happened to this file."""
        if self.status == NOT_CHECKED:
            return f"could not be checked: {self.error}"
        if self.status == PASSED:
            return f"passed {len(self.checked)} checks"
        count = len(self.violations)
        return f"failed: {count} problem{'s' if count != 1 else ''}"

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "error": self.error,
            "pages": self.pages,
            "duration_s": self.duration_s,
            "checked": list(self.checked),
            "findings": [finding.to_json() for finding in self.findings],
        }

    @classmethod
    def from_json(cls, data: dict) -> PdfCheckResult:
        return cls(
            status=data["status"],
            error=data["error"],
            findings=[PdfFinding.from_json(finding) for finding in data["findings"]],
            checked=list(data["checked"]),
            pages=data["pages"],
            duration_s=data["duration_s"],
        )
