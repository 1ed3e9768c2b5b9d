"""Known, accepted findings with an expiry date, so a known issue neither blocks nor is forgotten.

Entries live in TOML::

    [[accepted]]
    rule = "color-contrast"
    page = "/serious-case-reviews/*"      # glob on the page path (query included)
    target = ".app-hero__caption"          # optional: one node's selector
    viewport = "mobile"                    # optional: desktop, mobile or WIDTHxHEIGHT
    reason = "Brand colour, redesign ticket open"
    expires = 2027-03-31

    [[accepted]]
    rule = "pdf-tagged"                    # a PDF check's id
    document = "/documents/*/annual-report-2019.pdf"  # glob on the document's path or URL
    reason = "Replaced by the HTML version in May"
    expires = 2027-03-31

An entry names a ``page`` or a ``document``, never both. ``accept_known`` applies the entries to
one page's result as it arrives, ``accept_known_document`` to one document's;
``baseline_outcome`` then says which entries fail the run (expired but still matching) and
which can go (stale).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from a11y_tests.config import VIEWPORTS, parse_viewport
from a11y_tests.model import AuditResult, node_selector

if TYPE_CHECKING:
    from a11y_tests.documents import DocumentResult

ENTRY_KEYS = ("rule", "page", "document", "target", "viewport", "reason", "expires")
REQUIRED_KEYS = ("rule", "reason", "expires")
TEXT_KEYS = ("rule", "page", "document", "target", "viewport", "reason")
PAGE_ONLY_KEYS = ("target", "viewport")


class BaselineError(ValueError):
    """The baseline file cannot be read; the audit refuses to guess."""


@dataclass
class BaselineEntry:
    rule: str
    page: str | None  # a glob on page paths; None for an entry about a document
    reason: str
    expires: dt.date
    target: str | None = None
    viewport: str | None = None
    document: str | None = None  # a glob on documents' paths or URLs
    matches: int = 0

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "page": self.page,
            "document": self.document,
            "target": self.target,
            "viewport": self.viewport,
            "reason": self.reason,
            "expires": self.expires.isoformat(),
            "matches": self.matches,
        }

    def is_expired(self, today: dt.date) -> bool:
        return self.expires < today

    def covers(self, rule_id: str, path: str, viewport: str, node_target: str) -> bool:
        return (
            self.page is not None
            and self.rule == rule_id
            and fnmatch.fnmatchcase(path, self.page)
            and (self.viewport is None or self.viewport == viewport)
            and (self.target is None or self.target == node_target)
        )

    def covers_document(self, check_id: str, document: DocumentResult) -> bool:
        return (
            self.document is not None
            and self.rule == check_id
            and (
                fnmatch.fnmatchcase(document.path, self.document)
                or fnmatch.fnmatchcase(document.url, self.document)
            )
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
    except UnicodeDecodeError as error:
        raise BaselineError(
            f"baseline {path} is not UTF-8 text (byte {error.start}): save it as UTF-8"
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise BaselineError(f"baseline {path} is not valid TOML: {error}") from error
    unknown = sorted(set(document) - {"accepted"})
    if unknown:
        raise BaselineError(f"baseline {path}: unknown key {unknown[0]!r} (allowed: accepted)")
    accepted = document.get("accepted", [])
    if not isinstance(accepted, list):
        raise BaselineError(
            f"baseline {path}: accepted must be an array of tables, written [[accepted]]"
        )
    return [
        _entry(raw, f"baseline {path}, entry {number}")
        for number, raw in enumerate(accepted, start=1)
    ]


def _entry(raw: object, where: str) -> BaselineEntry:
    """One checked entry: an ignored key would silently widen it, a wrong type crash later."""
    if not isinstance(raw, dict):
        raise BaselineError(f"{where}: must be a table under [[accepted]]")
    unknown = sorted(set(raw) - set(ENTRY_KEYS))
    if unknown:
        raise BaselineError(
            f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(ENTRY_KEYS)})"
        )
    missing = [key for key in REQUIRED_KEYS if key not in raw]
    if "page" not in raw and "document" not in raw:
        missing.append("page (or document)")
    if missing:
        raise BaselineError(f"{where}: missing {', '.join(missing)}")
    for key in TEXT_KEYS:
        if key in raw and not (isinstance(raw[key], str) and raw[key].strip()):
            raise BaselineError(f"{where}: {key} must be a non-empty string, not {raw[key]!r}")
    if "document" in raw:
        # An entry is about pages or about documents: keys of the other kind would be ignored,
        # so an entry would accept more than its author meant.
        misplaced = [key for key in ("page", *PAGE_ONLY_KEYS) if key in raw]
        if misplaced:
            raise BaselineError(
                f"{where}: {misplaced[0]} cannot go with document (an entry accepts findings "
                "on pages or in documents; target and viewport are for pages)"
            )
    viewport = raw.get("viewport")
    if viewport is not None and not _is_viewport_name(viewport):
        raise BaselineError(
            f"{where}: viewport {viewport!r} is not a name the audit uses: "
            f"{', '.join(VIEWPORTS)} or WIDTHxHEIGHT like 320x640, as the report names it"
        )
    expires = raw["expires"]
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    if not isinstance(expires, dt.date):
        raise BaselineError(f"{where}: expires must be a TOML date like 2027-03-31")
    return BaselineEntry(
        rule=raw["rule"],
        page=raw.get("page"),
        reason=raw["reason"],
        expires=expires,
        target=raw.get("target"),
        viewport=viewport,
        document=raw.get("document"),
    )


def _is_viewport_name(name: str) -> bool:
    """Whether the audit can produce this name: a name it never gives would match nothing."""
    try:
        return parse_viewport(name).name == name
    except ValueError:
        return False


def accept_known(result: AuditResult, entries: list[BaselineEntry], today: dt.date) -> None:
    """Move the nodes live entries cover into ``result.accepted``; count every entry's matches.

    An expired entry accepts nothing, but its matches are counted so ``baseline_outcome`` can
    tell a finding still there from a fixed one. Pass the same ``today`` to both.
    """
    if result.baseline_applied:  # a second pass would count matches twice
        return
    result.baseline_applied = True
    live = [entry for entry in entries if not entry.is_expired(today)]
    expired = [entry for entry in entries if entry.is_expired(today)]
    still_failing = []
    for rule in result.violations:
        kept, accepted = [], []
        for node in rule["nodes"]:
            where = (rule["id"], result.target.path, result.viewport.name, node_selector(node))
            entry = next((e for e in live if e.covers(*where)), None)
            if entry is None:
                kept.append(node)
                # Only a node still failing keeps an expired entry alive; one a renewed entry
                # accepts leaves the old entry stale.
                for old in expired:
                    if old.covers(*where):
                        old.matches += 1
            else:
                entry.matches += 1
                accepted.append(
                    {
                        **node,
                        "baseline": {"reason": entry.reason, "expires": entry.expires.isoformat()},
                    }
                )
        if accepted:
            result.accepted.append({**rule, "nodes": accepted})
        if kept:
            still_failing.append({**rule, "nodes": kept})
    result.violations = still_failing


def accept_known_document(
    result: DocumentResult, entries: list[BaselineEntry], today: dt.date
) -> None:
    """``accept_known`` for a document: its violations that live entries cover (by check id and
    the document's path or URL) move to ``result.accepted``, with the entry's reason and date."""
    if result.baseline_applied:
        return
    result.baseline_applied = True
    still_failing = []
    for finding in result.violations:
        covering = [entry for entry in entries if entry.covers_document(finding["check"], result)]
        live = next((entry for entry in covering if not entry.is_expired(today)), None)
        if live is None:
            still_failing.append(finding)
            for old in covering:  # all expired: each still matches a violation
                old.matches += 1
        else:
            live.matches += 1
            result.accepted.append(
                {
                    **finding,
                    "baseline": {"reason": live.reason, "expires": live.expires.isoformat()},
                }
            )
    result.violations = still_failing


def baseline_outcome(
    entries: list[BaselineEntry], *, path: str | None, today: dt.date, complete_run: bool
) -> BaselineOutcome:
    """Expired entries fail while they match a violation; unmatched ones are stale (full runs).

    In a partial run an unmatched entry may cover a page not audited, so an expired one still
    fails and none is called stale.
    """
    unmatched = [entry for entry in entries if entry.matches == 0]
    return BaselineOutcome(
        path=path,
        expired=[
            entry
            for entry in entries
            if entry.is_expired(today) and (entry.matches or not complete_run)
        ],
        stale=unmatched if complete_run else [],
        stale_checked=complete_run,
    )
