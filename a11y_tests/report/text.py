"""Plain-text description of findings, shared by pytest failures, JUnit and the console."""

from __future__ import annotations

from a11y_tests.model import node_selector


def describe_rules(rules: list[dict], heading: str) -> str:
    lines = [f"{heading} ({len(rules)}):"] if rules else []
    for rule in rules:
        wcag = ", ".join(rule["wcag"]) or "no WCAG criterion (best practice)"
        lines.append(f"- {rule['id']} [{rule['impact']}] {rule['help']}")
        lines.append(f"  WCAG: {wcag}; help: {rule['helpUrl']}")
        for node in rule["nodes"]:
            lines.append(f"  * {node_selector(node)}")
            lines.append(f"    {node['html']}")
            # axe's own explanation (the measured contrast, the missing label…): without it a
            # CI log or pytest failure only says where, not what is wrong.
            lines += [
                f"    {line.rstrip()}"
                for line in (node.get("failureSummary") or "").splitlines()
                if line.strip()
            ]
            if node.get("baseline"):
                lines.append(
                    f"    accepted until {node['baseline']['expires']}: "
                    f"{node['baseline']['reason']}"
                )
    return "\n".join(lines)


def describe_entry(entry: dict) -> str:
    """An audit row from results.json: failures first, then warnings and review items."""
    parts = []
    if entry["error"]:
        parts.append(f"could not audit: {entry['error']}")
    parts += [
        describe_rules(entry["violations"], "violations"),
        describe_rules(entry["warnings"], "warnings"),
        describe_rules(entry["needs_review"], "needs review"),
        describe_rules(entry["accepted"], "accepted by baseline"),
    ]
    return "\n".join(part for part in parts if part)


def describe_findings(findings: list[dict], heading: str) -> str:
    """A document's findings (the PDF checker's records): check, criteria, what was found."""
    lines = [f"{heading} ({len(findings)}):"] if findings else []
    for finding in findings:
        wcag = ", ".join(finding["wcag"]) or "no WCAG criterion (PDF/UA)"
        lines.append(f"- {finding['check']}: {finding['title']}")
        lines.append(f"  WCAG: {wcag}; Matterhorn: {finding['matterhorn']}")
        lines.append(f"  {finding['summary']}")
        if finding["pages"]:
            lines.append(f"  pages: {', '.join(map(str, finding['pages']))}")
        if finding.get("baseline"):
            lines.append(
                f"  accepted until {finding['baseline']['expires']}: "
                f"{finding['baseline']['reason']}"
            )
    return "\n".join(lines)


def describe_document(entry: dict) -> str:
    """A document row: who links it, then why it could not be checked or what it fails."""
    parts = [f"linked from: {', '.join(entry['linked_from'])}"]
    if entry["error"]:
        parts.append(entry["error"])
    parts += [
        describe_findings(entry["violations"], "violations"),
        describe_findings(entry["information"], "for information"),
        describe_findings(entry["accepted"], "accepted by baseline"),
    ]
    return "\n".join(part for part in parts if part)


def document_verdict(entry: dict) -> str:
    """One line: "failed: pdf-tagged, pdf-title", "could not download: …" or "passed"."""
    if entry["error"]:
        return entry["error"]
    if entry["violations"]:
        return "failed: " + ", ".join(finding["check"] for finding in entry["violations"])
    return "passed"


def failing_documents(document: dict) -> list[str]:
    """For the console: each document that fails the run, with the pages linking it."""
    return [
        f"document {entry['url']} {document_verdict(entry)} "
        f"(linked from {', '.join(entry['linked_from'])})"
        for entry in document.get("documents", [])
        if entry["status"] != "passed"
    ]


def baseline_subject(entry: dict) -> str:
    """What a baseline entry (as the report lists it) covers: its page or document glob."""
    return entry["page"] or f"document {entry.get('document')}"


def carried_over_note(entry: dict, changed_since: str | None) -> str | None:
    """Why a row was not audited in this run, for rows carried over from an earlier one."""
    earlier = entry.get("carried_over_from")
    if not earlier:
        return None
    return (
        f"not re-audited: unchanged since {changed_since or earlier}; "
        f"result from the run of {earlier}"
    )


def audit_headline(summary: dict) -> str:
    """The run's verdict: "failed", "passed", or "passed with 2 warnings".

    Best-practice findings (generic link text…) do not fail the audit, but a plain "passed"
    would hide them from whoever reads only the headline.
    """
    if summary["exit_code"]:
        return "failed"
    warnings = summary["warnings"]
    if warnings:
        return f"passed with {warnings} warning{'' if warnings == 1 else 's'}"
    return "passed"


def describe_run(document: dict) -> str:
    """The whole run in one line for the console: the headline, then the counts, e.g.
    "passed with 2 warnings: axe-core 4.11.1: 10 audits of 5 pages: 0 violations, …"."""
    summary = document["summary"]
    carried = (
        f"{summary['carried_over']} carried over unchanged from earlier runs, "
        if summary["carried_over"]
        else ""
    )
    documents = summary.get("documents") or {}
    checked = (
        f"; {documents['checked']} documents: {documents['failed']} failed, "
        f"{documents['errors']} could not be checked"
        if documents.get("checked")
        else ""
    )
    return (
        f"{audit_headline(summary)}: axe-core {document['axe_version']}: "
        f"{summary['audits']} audits of {summary['pages']} pages: "
        f"{summary['violations']} violations, {summary['errors']} errors, "
        f"{summary['warnings']} warnings, {summary['needs_review']} to review, "
        f"{summary['accepted']} accepted, {carried}{summary['baseline_expired']} expired and "
        f"{summary['baseline_stale']} stale baseline entries{checked}"
    )
