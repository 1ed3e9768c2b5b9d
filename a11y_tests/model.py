"""The records that travel through discover → load → analyse → report."""

from __future__ import annotations

from dataclasses import dataclass, field

from a11y_tests.config import Viewport


@dataclass(frozen=True)
class Target:
    """One URL to audit and why it is in the run."""

    url: str
    path: str  # path and query as the site shows it; baselines and test ids use it
    kind: str = "page"  # "page", "not-found" or "listing-view"
    expected_status: int = 200
    page_id: int | None = None
    page_type: str | None = None
    last_published_at: str | None = None


@dataclass
class AuditResult:
    """What one page at one viewport produced. Rule records keep axe's shape (id, nodes…)."""

    target: Target
    viewport: Viewport
    violations: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    needs_review: list[dict] = field(default_factory=list)
    accepted: list[dict] = field(default_factory=list)
    error: str | None = None
    duration_s: float = 0.0
    axe_ms: float = 0.0
    screenshot: bytes | None = None
    # Set on a result of an unchanged page taken over from the previous run (--changed-since):
    # that run's start, and its screenshot file in the report directory.
    carried_over_from: str | None = None
    earlier_screenshot: str | None = None
    baseline_applied: bool = False

    @property
    def status(self) -> str:
        if self.error:
            return "error"
        return "failed" if self.violations else "passed"

    @property
    def test_id(self) -> str:
        return f"{self.target.path}@{self.viewport.name}"


def node_selector(node: dict) -> str:
    """An axe node's target as one selector, as reports show it and baseline entries name it:
    axe gives one part per frame (a list of parts inside shadow DOM), joined here by spaces."""
    return " ".join(part if isinstance(part, str) else " ".join(part) for part in node["target"])
