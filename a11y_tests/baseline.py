"""Known, accepted findings with an expiry date, so a known issue neither blocks nor is forgotten.

Entries live in TOML::

    [[accepted]]
    rule = "color-contrast"
    page = "/serious-case-reviews/*"      # glob on the page path (query included)
    target = ".app-hero__caption"          # optional: one node's selector
    viewport = "mobile"                    # optional
    reason = "Brand colour, redesign ticket open"
    expires = 2027-03-31
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from a11y_tests.model import AuditResult


class BaselineError(ValueError):
    """The baseline file cannot be read; the audit refuses to guess."""


@dataclass
class BaselineEntry:
    rule: str
    page: str
    reason: str
    expires: dt.date
    target: str | None = None
    viewport: str | None = None
    matches: int = 0

    def as_dict(self) -> dict:
        return {
            "rule": self.rule, "page": self.page, "target": self.target,
            "viewport": self.viewport, "reason": self.reason,
            "expires": self.expires.isoformat(), "matches": self.matches,
        }

    def is_expired(self, today: dt.date) -> bool:
        return self.expires < today

    def covers(self, rule_id: str, path: str, viewport: str, node_target: str) -> bool:
        return (
            self.rule == rule_id
            and fnmatch.fnmatchcase(path, self.page)
            and (self.viewport is None or self.viewport == viewport)
            and (self.target is None or self.target == node_target)
        )


@dataclass
class BaselineOutcome:
    path: str | None
    expired: list[BaselineEntry] = field(default_factory=list)
    stale: list[BaselineEntry] = field(default_factory=list)
    # Staleness needs the whole site: a partial run cannot tell an entry matches nothing.
    stale_checked: bool = True

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "expired": [entry.as_dict() for entry in self.expired],
            "stale": [entry.as_dict() for entry in self.stale],
            "stale_checked": self.stale_checked,
        }


def load_baseline(path: Path | None) -> list[BaselineEntry]:
    if path is None:
        return []
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf8"))
    except OSError as error:
        raise BaselineError(f"cannot read baseline {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise BaselineError(f"baseline {path} is not valid TOML: {error}") from error
    entries = []
    for number, raw in enumerate(document.get("accepted", []), start=1):
        missing = [key for key in ("rule", "page", "reason", "expires") if not raw.get(key)]
        if missing:
            raise BaselineError(
                f"baseline {path}, entry {number}: missing {', '.join(missing)}"
            )
        expires = raw["expires"]
        if isinstance(expires, dt.datetime):
            expires = expires.date()
        if not isinstance(expires, dt.date):
            raise BaselineError(
                f"baseline {path}, entry {number}: expires must be a TOML date like 2027-03-31"
            )
        entries.append(BaselineEntry(
            rule=raw["rule"], page=raw["page"], reason=raw["reason"], expires=expires,
            target=raw.get("target"), viewport=raw.get("viewport"),
        ))
    return entries


def _target_text(node: dict) -> str:
    return " ".join(part if isinstance(part, str) else " ".join(part) for part in node["target"])


def apply_baseline(
    results: list[AuditResult],
    entries: list[BaselineEntry],
    *,
    path: str | None,
    today: dt.date | None = None,
    complete_run: bool = True,
) -> BaselineOutcome:
    """Move accepted nodes from violations to ``accepted``; expired entries accept nothing."""
    today = today or dt.date.today()
    live = [entry for entry in entries if not entry.is_expired(today)]
    for result in results:
        still_failing = []
        for rule in result.violations:
            kept, accepted = [], []
            for node in rule["nodes"]:
                entry = next(
                    (e for e in live if e.covers(rule["id"], result.target.path,
                                                 result.viewport.name, _target_text(node))),
                    None,
                )
                if entry is None:
                    kept.append(node)
                else:
                    entry.matches += 1
                    accepted.append({**node, "baseline": {"reason": entry.reason,
                                                          "expires": entry.expires.isoformat()}})
            if accepted:
                result.accepted.append({**rule, "nodes": accepted})
            if kept:
                still_failing.append({**rule, "nodes": kept})
        result.violations = still_failing
    return BaselineOutcome(
        path=path,
        expired=[entry for entry in entries if entry.is_expired(today)],
        stale=[entry for entry in live if entry.matches == 0] if complete_run else [],
        stale_checked=complete_run,
    )
