"""``results.json`` as a JSON Schema document, so whoever receives one (the CMS's
``/audits/results/``, ``manage.py import_audit``) checks it against the same definition the audit
writes (:mod:`a11y_tests.report.schema`, :func:`a11y_tests.report.build_document`).

:func:`document_errors` lists what is wrong with a document, each message naming where
(``results/3/viewport/width: …``); an empty list means every row can be read back with
``ResultRow.from_json`` (and every document row with ``DocumentRow.from_json``).
"""

from __future__ import annotations

from jsonschema import Draft202012Validator

from a11y_tests.pdf import INFORMATION, VIOLATION
from a11y_tests.report.schema import DOCUMENT_KIND, SCHEMA, SCREENSHOT_DIR

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
# What datetime.isoformat() writes for the run's times (a trailing Z is accepted too).
ISO_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
# Names screenshot_name() gives: no directory but screenshots/, so a reader can join it safely.
SCREENSHOT_NAME = rf"^{SCREENSHOT_DIR}/[A-Za-z0-9-]+\.(jpg|png)$"
MAX_ERRORS = 20
# Bounds that keep every value storable (and indexable) wherever the document is kept.
MAX_URL = 2048
IMPACTS = ["minor", "moderate", "serious", "critical", None]

_TEXT = {"type": "string"}
_NULLABLE_TEXT = {"type": ["string", "null"]}
_URL = {"type": "string", "minLength": 1, "maxLength": MAX_URL}
_NULLABLE_URL = {"type": ["string", "null"], "maxLength": MAX_URL}
_PATH = {"type": "string", "pattern": "^/", "maxLength": MAX_URL}
_IMPACT = {"enum": IMPACTS}
_COUNT = {"type": "integer", "minimum": 0}

_WCAG = {"type": "array", "items": {"type": "string", "pattern": r"^\d\.\d\.\d+$"}}
_BASELINE_MARK = {
    "type": "object",
    "required": ["reason", "expires"],
    "properties": {"reason": _TEXT, "expires": {"type": "string", "pattern": ISO_DATE}},
}

_NODE = {
    "type": "object",
    "required": ["target", "html", "impact", "failureSummary"],
    "properties": {
        # One part per frame; a part inside shadow DOM is itself a list of selectors.
        "target": {
            "type": "array",
            "items": {"anyOf": [_TEXT, {"type": "array", "items": _TEXT}]},
        },
        "html": _TEXT,
        "impact": _IMPACT,
        "failureSummary": _TEXT,
        "baseline": _BASELINE_MARK,
    },
}

_RULE = {
    "type": "object",
    "required": ["id", "impact", "tags", "wcag", "description", "help", "helpUrl", "nodes"],
    "properties": {
        "id": {"type": "string", "minLength": 1, "maxLength": 100},
        "impact": _IMPACT,
        "tags": {"type": "array", "items": _TEXT},
        "wcag": _WCAG,
        "description": _TEXT,
        "help": _TEXT,
        "helpUrl": {"type": "string", "maxLength": MAX_URL},
        "nodes": {"type": "array", "items": _NODE},
    },
}

_RULES = {"type": "array", "items": _RULE}

_VIEWPORT = {
    "type": "object",
    "required": ["name", "width", "height"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 40},
        "width": {"type": "integer", "minimum": 1},
        "height": {"type": "integer", "minimum": 1},
    },
}

_ROW = {
    "type": "object",
    "required": [
        "id",
        "path",
        "url",
        "kind",
        "viewport",
        "status",
        "error",
        "duration_s",
        "axe_ms",
        "violations",
        "warnings",
        "needs_review",
        "accepted",
        "screenshot",
    ],
    "properties": {
        "id": _TEXT,
        "path": _PATH,
        "url": _URL,
        "kind": {"enum": ["page", "not-found", "listing-view"]},
        "viewport": _VIEWPORT,
        "status": {"enum": ["passed", "failed", "error"]},
        "error": _NULLABLE_TEXT,
        "duration_s": {"type": "number", "minimum": 0},
        "axe_ms": {"type": "number", "minimum": 0},
        "violations": _RULES,
        "warnings": _RULES,
        "needs_review": _RULES,
        "accepted": _RULES,
        "screenshot": {"type": ["string", "null"], "pattern": SCREENSHOT_NAME},
        "carried_over_from": {"type": "string", "pattern": ISO_DATETIME},
    },
}

_CHECK_ID = {"type": "string", "minLength": 1, "maxLength": 100}

# One finding of the PDF checker (a11y_tests.pdf.PdfFinding.to_json()).
_PDF_FINDING = {
    "type": "object",
    "required": [
        "check",
        "title",
        "severity",
        "wcag",
        "matterhorn",
        "summary",
        "explanation",
        "fixes",
        "pages",
        "details",
    ],
    "properties": {
        "check": _CHECK_ID,
        "title": _TEXT,
        "severity": {"enum": [VIOLATION, INFORMATION]},
        "wcag": _WCAG,
        "matterhorn": _TEXT,
        "summary": _TEXT,
        "explanation": _TEXT,
        "fixes": {"type": "object", "additionalProperties": _TEXT},
        "pages": {"type": "array", "items": {"type": "integer", "minimum": 1}},
        "details": {"type": "object"},
        "baseline": _BASELINE_MARK,
    },
}

_DOCUMENT_ROW = {
    "type": "object",
    "required": [
        "kind",
        "url",
        "path",
        "linked_from",
        "status",
        "error",
        "size_bytes",
        "pages",
        "duration_s",
        "checked",
        "violations",
        "information",
        "accepted",
    ],
    "properties": {
        "kind": {"const": DOCUMENT_KIND},
        "url": _URL,
        "path": _PATH,
        "linked_from": {"type": "array", "items": _PATH},
        "status": {"enum": ["passed", "failed", "error"]},
        "error": _NULLABLE_TEXT,
        "size_bytes": {"type": ["integer", "null"], "minimum": 0},
        "pages": {"type": ["integer", "null"], "minimum": 0},
        "duration_s": {"type": "number", "minimum": 0},
        "checked": {"type": "array", "items": _CHECK_ID},
        "violations": {"type": "array", "items": _PDF_FINDING},
        "information": {"type": "array", "items": _PDF_FINDING},
        "accepted": {"type": "array", "items": _PDF_FINDING},
        "carried_over_from": {"type": "string", "pattern": ISO_DATETIME},
    },
}

# An entry names a page glob or a document glob (entries about documents have page null).
_BASELINE_ENTRY = {
    "type": "object",
    "required": ["rule", "page", "reason", "expires"],
    "properties": {
        "rule": _TEXT,
        "page": _NULLABLE_TEXT,
        "document": _NULLABLE_TEXT,
        "reason": _TEXT,
        "expires": _TEXT,
    },
}

RESULTS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": f"Accessibility audit results ({SCHEMA})",
    "type": "object",
    "required": [
        "schema",
        "axe_version",
        "started_at",
        "finished_at",
        "cms_url",
        "frontend_url",
        "changed_since",
        "unchanged_pages",
        "viewports",
        "fail_tags",
        "best_practice_fails",
        "summary",
        "baseline",
        "results",
    ],
    "properties": {
        "schema": {"const": SCHEMA},
        "axe_version": {"type": "string", "minLength": 1, "maxLength": 20},
        "started_at": {"type": "string", "pattern": ISO_DATETIME},
        "finished_at": {"type": "string", "pattern": ISO_DATETIME},
        "cms_url": _NULLABLE_URL,
        "frontend_url": _NULLABLE_URL,
        "changed_since": {"type": ["string", "null"], "pattern": ISO_DATETIME},
        "unchanged_pages": {"type": "array", "items": _TEXT},
        "viewports": {"type": "array", "items": _VIEWPORT},
        "fail_tags": {"type": "array", "items": _TEXT},
        "best_practice_fails": {"type": "boolean"},
        "summary": {
            "type": "object",
            "required": ["pages", "audits", "passed", "failed", "errors", "exit_code"],
            "properties": {
                "pages": _COUNT,
                "audits": _COUNT,
                "passed": _COUNT,
                "failed": _COUNT,
                "errors": _COUNT,
                "exit_code": {"enum": [0, 1]},
                "documents": {
                    "type": "object",
                    "required": ["checked", "passed", "failed", "errors"],
                    "properties": {
                        "checked": _COUNT,
                        "passed": _COUNT,
                        "failed": _COUNT,
                        "errors": _COUNT,
                        "violations": _COUNT,
                        "accepted": _COUNT,
                        "carried_over": _COUNT,
                    },
                },
            },
        },
        "baseline": {
            "type": "object",
            "required": ["expired", "stale", "stale_checked"],
            "properties": {
                "path": _NULLABLE_TEXT,
                "expired": {"type": "array", "items": _BASELINE_ENTRY},
                "stale": {"type": "array", "items": _BASELINE_ENTRY},
                "stale_checked": {"type": "boolean"},
            },
        },
        "results": {"type": "array", "items": _ROW},
        # Optional: documents written before documents were checked have none.
        "documents": {"type": "array", "items": _DOCUMENT_ROW},
    },
}

_VALIDATOR = Draft202012Validator(RESULTS_SCHEMA)


def _where(path) -> str:
    return "/".join(str(part) for part in path) or "(document)"


def _document_order(error) -> list[tuple[bool, int | str]]:
    # Row numbers sort as numbers; a key and an index never meet at the same depth.
    return [(isinstance(part, str), part) for part in error.absolute_path]


def document_errors(document: object) -> list[str]:
    """What is wrong with ``document`` as ``results.json`` (at most ``MAX_ERRORS`` messages)."""
    errors = [
        f"{_where(error.absolute_path)}: {error.message}"
        for error in sorted(_VALIDATOR.iter_errors(document), key=_document_order)
    ]
    if not errors:
        errors = _row_id_errors(document["results"]) + _document_url_errors(
            document.get("documents", [])
        )
    return errors[:MAX_ERRORS]


def _row_id_errors(rows: list[dict]) -> list[str]:
    """Each row is one page at one viewport, named "<path>@<viewport>" exactly once."""
    errors, seen = [], {}
    for number, row in enumerate(rows):
        expected = f"{row['path']}@{row['viewport']['name']}"
        if row["id"] != expected:
            errors.append(f"results/{number}/id: {row['id']!r} should be {expected!r}")
        elif row["id"] in seen:
            errors.append(f"results/{number}/id: {row['id']!r} repeats results/{seen[row['id']]}")
        else:
            seen[row["id"]] = number
    return errors


def _document_url_errors(rows: list[dict]) -> list[str]:
    """Each document is checked once, so its URL names one row."""
    errors, seen = [], {}
    for number, row in enumerate(rows):
        if row["url"] in seen:
            errors.append(
                f"documents/{number}/url: {row['url']!r} repeats documents/{seen[row['url']]}"
            )
        else:
            seen[row["url"]] = number
    return errors
