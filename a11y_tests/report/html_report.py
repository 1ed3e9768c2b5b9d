"""report.html: one self-contained file QA can open or attach, screenshots embedded."""

from __future__ import annotations

import base64
from collections import defaultdict
from html import escape
from pathlib import Path

from a11y_tests.model import node_selector
from a11y_tests.report.text import (
    audit_headline,
    baseline_subject,
    carried_over_note,
    document_verdict,
)

FILE_NAME = "report.html"

STYLE = """
body{font-family:system-ui,Arial,sans-serif;margin:2rem;color:#0b0c0c;line-height:1.4}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border:1px solid #b1b4b6;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}
code,pre{font-family:ui-monospace,Consolas,monospace;font-size:.85rem}
pre{white-space:pre-wrap;word-break:break-all;background:#f8f8f8;padding:.3rem;margin:.2rem 0}
.summary{white-space:pre-line}
.failed,.error,.expired{color:#942514;font-weight:bold}.passed{color:#005a30;font-weight:bold}
.warning,.stale{color:#594d00;font-weight:bold}
img.shot{max-width:100%;border:1px solid #b1b4b6}
section.audit{border-top:4px solid #1d70b8;margin-top:2rem}
.notice{border-left:8px solid #f47738;background:#fef7f1;padding:.5rem 1rem;margin:1rem 0}
.carried{color:#505a5f;font-size:.9rem}
dl.fixes dt{font-weight:bold}dl.fixes dd{margin:0 0 .5rem 1rem}
"""
FIX_PROGRAMS = {"word": "Microsoft Word", "libreoffice": "LibreOffice", "indesign": "InDesign"}


def _rule_table(rules: list[dict], kind: str) -> str:
    if not rules:
        return ""
    rows = []
    for rule in rules:
        nodes = "".join(
            f"<li><code>{escape(node_selector(node))}</code><pre>{escape(node['html'])}</pre>"
            + (
                f'<div class="summary">{escape(node["failureSummary"])}</div>'
                if node.get("failureSummary")
                else ""
            )
            + (
                f"<div>Accepted until {escape(node['baseline']['expires'])}: "
                f"{escape(node['baseline']['reason'])}</div>"
                if node.get("baseline")
                else ""
            )
            + "</li>"
            for node in rule["nodes"]
        )
        rows.append(
            f'<tr><td><a href="{escape(rule["helpUrl"])}">{escape(rule["id"])}</a><br>'
            f"{escape(rule['help'])}</td><td>{escape(str(rule['impact']))}</td>"
            f"<td>{escape(', '.join(rule['wcag']) or 'best practice')}</td>"
            f"<td><ol>{nodes}</ol></td></tr>"
        )
    return (
        f"<h4>{escape(kind)} ({len(rules)})</h4><table><thead><tr><th>Rule</th><th>Impact</th>"
        f"<th>WCAG</th><th>Nodes (selector, HTML)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _by_rule(results: list[dict]) -> str:
    summary: dict[tuple[str, str], dict] = {}
    pages: dict[tuple[str, str], set] = defaultdict(set)
    for entry in results:
        for kind, key in (
            ("violation", "violations"),
            ("warning", "warnings"),
            ("needs review", "needs_review"),
            ("accepted", "accepted"),
        ):
            for rule in entry[key]:
                row = summary.setdefault((kind, rule["id"]), {"rule": rule, "nodes": 0})
                row["nodes"] += len(rule["nodes"])
                pages[(kind, rule["id"])].add(entry["id"])
    rows = "".join(
        f"<tr><td>{escape(rule_id)}</td>"
        f'<td class="{"failed" if kind == "violation" else "warning"}">'
        f"{escape(kind)}</td><td>{escape(str(row['rule']['impact']))}</td>"
        f"<td>{escape(', '.join(row['rule']['wcag']) or 'best practice')}</td>"
        f"<td>{len(pages[(kind, rule_id)])}</td><td>{row['nodes']}</td></tr>"
        for (kind, rule_id), row in sorted(summary.items())
    )
    return (
        "<h2>By rule</h2><table><thead><tr><th>Rule</th><th>Kind</th><th>Impact</th><th>WCAG</th>"
        f"<th>Page × viewport</th><th>Nodes</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else "<h2>By rule</h2><p>No findings.</p>"
    )


def _has_section(entry: dict) -> bool:
    """Only audits with something to read get a section; a clean pass is its row alone."""
    return bool(
        entry["status"] != "passed"
        or entry["warnings"]
        or entry["needs_review"]
        or entry["accepted"]
    )


def _note(entry: dict, changed_since: str | None) -> str:
    note = carried_over_note(entry, changed_since)
    return f'<div class="carried">{escape(note)}</div>' if note else ""


def _page_cell(index: int, entry: dict, changed_since: str | None) -> str:
    # Link only to sections that exist: a link that goes nowhere reads as a broken report.
    path = escape(entry["path"])
    link = f'<a href="#audit-{index}">{path}</a>' if _has_section(entry) else path
    return f"<td>{link}{_note(entry, changed_since)}</td>"


def _by_page(results: list[dict], changed_since: str | None) -> str:
    rows = "".join(
        f"<tr>{_page_cell(index, entry, changed_since)}"
        f"<td>{escape(entry['viewport']['name'])} {entry['viewport']['width']}×"
        f'{entry["viewport"]["height"]}</td><td class="{entry["status"]}">{entry["status"]}</td>'
        f"<td>{len(entry['violations'])}</td><td>{len(entry['warnings'])}</td>"
        f"<td>{len(entry['needs_review'])}</td><td>{len(entry['accepted'])}</td></tr>"
        for index, entry in enumerate(results)
    )
    return (
        "<h2>By page</h2><table><thead><tr><th>Page</th><th>Viewport</th><th>Status</th>"
        "<th>Violations</th><th>Warnings</th><th>Needs review</th><th>Accepted</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _baseline(baseline: dict) -> str:
    items = [
        f'<li class="expired">Expired {escape(e["expires"])}: {escape(e["rule"])} on '
        f"{escape(baseline_subject(e))}: {escape(e['reason'])} (fails the audit)</li>"
        for e in baseline["expired"]
    ] + [
        f'<li class="stale">Stale: {escape(e["rule"])} on {escape(baseline_subject(e))} matches '
        f"nothing ({escape(e['reason'])})</li>"
        for e in baseline["stale"]
    ]
    return f"<h2>Baseline</h2><ul>{''.join(items)}</ul>" if items else ""


def _partial_run(document: dict) -> str:
    """A run limited by --changed-since must not read as a verdict on the whole site."""
    since = document.get("changed_since")
    if not since:
        return ""
    unchanged = document.get("unchanged_pages", [])
    pages = "".join(f"<li>{escape(path)}</li>" for path in unchanged)
    listed = (
        f"<details><summary>{len(unchanged)} unchanged page(s) not re-audited</summary>"
        f"<ul>{pages}</ul></details>"
        if unchanged
        else ""
    )
    return (
        f'<div class="notice"><p><strong>Partial run: only pages changed since '
        f"{escape(since)} (and the listings above them) were audited.</strong></p>{listed}</div>"
    )


def _audit(
    index: int, entry: dict, screenshots: dict[str, bytes], changed_since: str | None
) -> str:
    parts = [
        f'<section class="audit" id="audit-{index}"><h3>{escape(entry["path"])} at '
        f"{escape(entry['viewport']['name'])} ({entry['viewport']['width']}×"
        f'{entry["viewport"]["height"]}) <span class="{entry["status"]}">{entry["status"]}'
        f"</span></h3>{_note(entry, changed_since)}"
        f'<p><a href="{escape(entry["url"])}">{escape(entry["url"])}</a></p>'
    ]
    if entry["error"]:
        parts.append(f'<p class="error">Could not audit: {escape(entry["error"])}</p>')
    parts += [
        _rule_table(entry["violations"], "Violations"),
        _rule_table(entry["warnings"], "Warnings (best practice)"),
        _rule_table(entry["needs_review"], "Needs review"),
        _rule_table(entry["accepted"], "Accepted by baseline"),
    ]
    shot = screenshots.get(entry["screenshot"] or "")
    if shot:
        mime = "image/jpeg" if shot[:2] == b"\xff\xd8" else "image/png"
        data = base64.b64encode(shot).decode("ascii")
        parts.append(
            f'<figure><img class="shot" src="data:{mime};base64,{data}" alt="Screenshot of '
            f"{escape(entry['path'])} at {escape(entry['viewport']['name'])} with failing nodes "
            'outlined in red"><figcaption>Failing and warning nodes outlined in red'
            "</figcaption></figure>"
        )
    parts.append("</section>")
    return "".join(parts)


def _findings(findings: list[dict], heading: str) -> str:
    """A document's findings, each with what it means for readers and how to fix it."""
    if not findings:
        return ""
    items = []
    for finding in findings:
        wcag = ", ".join(finding["wcag"]) or "none (PDF/UA)"
        pages = (
            f"<p>Pages: {escape(', '.join(map(str, finding['pages'])))}</p>"
            if finding["pages"]
            else ""
        )
        accepted = (
            f"<p>Accepted until {escape(finding['baseline']['expires'])}: "
            f"{escape(finding['baseline']['reason'])}</p>"
            if finding.get("baseline")
            else ""
        )
        fixes = "".join(
            f"<dt>{escape(FIX_PROGRAMS.get(program, program))}</dt><dd>{escape(fix)}</dd>"
            for program, fix in finding["fixes"].items()
        )
        items.append(
            f"<li><strong>{escape(finding['title'])}</strong> (<code>{escape(finding['check'])}"
            f"</code>; WCAG {escape(wcag)}; Matterhorn {escape(finding['matterhorn'])})"
            f"<p>{escape(finding['summary'])}</p>{pages}{accepted}"
            f"<details><summary>Why it matters and how to fix it</summary>"
            f'<p>{escape(finding["explanation"])}</p><dl class="fixes">{fixes}</dl></details></li>'
        )
    return f"<h4>{escape(heading)} ({len(findings)})</h4><ol>{''.join(items)}</ol>"


def _document_has_section(entry: dict) -> bool:
    return bool(entry["status"] != "passed" or entry["information"] or entry["accepted"])


def _linked_from(entry: dict, frontend_url: str | None) -> str:
    base = (frontend_url or "").rstrip("/")
    return ", ".join(
        f'<a href="{escape(base + path)}">{escape(path)}</a>' for path in entry["linked_from"]
    )


def _document_row(
    index: int, entry: dict, frontend_url: str | None, changed_since: str | None
) -> str:
    path = escape(entry["path"])
    name = f'<a href="#document-{index}">{path}</a>' if _document_has_section(entry) else path
    return (
        f"<tr><td>{name}{_note(entry, changed_since)}</td>"
        f"<td>{_linked_from(entry, frontend_url)}</td>"
        f'<td class="{entry["status"]}">{escape(document_verdict(entry))}</td>'
        f"<td>{len(entry['violations'])}</td><td>{len(entry['accepted'])}</td>"
        f"<td>{'' if entry['pages'] is None else entry['pages']}</td></tr>"
    )


def _document_section(
    index: int, entry: dict, frontend_url: str | None, changed_since: str | None
) -> str:
    error = f'<p class="error">{escape(entry["error"])}</p>' if entry["error"] else ""
    return (
        f'<section class="audit" id="document-{index}"><h3>{escape(entry["path"])} '
        f'<span class="{entry["status"]}">{entry["status"]}</span></h3>'
        f"{_note(entry, changed_since)}"
        f'<p><a href="{escape(entry["url"])}">{escape(entry["url"])}</a></p>'
        f"<p>Linked from {_linked_from(entry, frontend_url)}</p>{error}"
        + _findings(entry["violations"], "Problems")
        + _findings(entry["accepted"], "Accepted by baseline")
        + _findings(entry["information"], "For information")
        + "</section>"
    )


def _documents(documents: list[dict], frontend_url: str | None, changed_since: str | None) -> str:
    """The documents section: one row per linked document, then a section for each one with
    something to read (a clean pass is its row alone, as for pages)."""
    if not documents:
        return ""
    rows = "".join(
        _document_row(index, entry, frontend_url, changed_since)
        for index, entry in enumerate(documents)
    )
    sections = "".join(
        _document_section(index, entry, frontend_url, changed_since)
        for index, entry in enumerate(documents)
        if _document_has_section(entry)
    )
    return (
        "<h2>Documents</h2><p>Each PDF the audited pages link to, checked once.</p>"
        "<table><thead><tr><th>Document</th><th>Linked from</th><th>Status</th>"
        "<th>Problems</th><th>Accepted</th><th>Pages</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{sections}"
    )


def _document_counts(summary: dict) -> str:
    counts = summary.get("documents") or {}
    if not counts.get("checked"):
        return ""
    return (
        f"<p>{counts['checked']} documents: {counts['passed']} passed, {counts['failed']} "
        f"failed, {counts['errors']} could not be checked.</p>"
    )


def write_html(document: dict, report_dir: Path, screenshots: dict[str, bytes]) -> Path:
    summary = document["summary"]
    verdict = audit_headline(summary)
    # Green only for a clean pass: warnings (best practice) still need someone's attention.
    tone = "failed" if summary["exit_code"] else "warning" if summary["warnings"] else "passed"
    changed_since = document.get("changed_since")
    audits = "".join(
        _audit(index, entry, screenshots, changed_since)
        for index, entry in enumerate(document["results"])
        if _has_section(entry)
    )
    body = (
        f'<h1>Accessibility audit <span class="{tone}">{verdict}</span></h1>'
        f"<p>axe-core {escape(document['axe_version'])}; started {escape(document['started_at'])}; "
        f"frontend {escape(str(document['frontend_url']))}; fails on "
        f"{escape(', '.join(document['fail_tags']))}"
        f"{' and best-practice' if document['best_practice_fails'] else ''}.</p>"
        f"<p>{summary['pages']} pages, {summary['audits']} audits: {summary['passed']} passed, "
        f"{summary['failed']} failed, {summary['errors']} could not be audited; "
        f"{summary['violations']} violations, {summary['warnings']} warnings, "
        f"{summary['needs_review']} to review, {summary['accepted']} accepted.</p>"
        + _document_counts(summary)
        + _partial_run(document)
        + _baseline(document["baseline"])
        + _by_rule(document["results"])
        + _by_page(document["results"], changed_since)
        + _documents(document.get("documents", []), document["frontend_url"], changed_since)
        + audits
    )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Accessibility audit: {verdict}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )
    path = report_dir / FILE_NAME
    path.write_text(page, encoding="utf8")
    return path
