"""junit.xml: one testcase per page × viewport and one per linked document, for CI test tabs."""

from __future__ import annotations

from pathlib import Path

from junit_xml import TestCase, TestSuite, to_xml_report_string

from a11y_tests.report.text import (
    baseline_subject,
    carried_over_note,
    describe_document,
    describe_entry,
    describe_findings,
    describe_rules,
)

FILE_NAME = "junit.xml"


def document_case(entry: dict, changed_since: str | None) -> TestCase:
    """A document's testcase, named by its URL; the pages linking it are in its output."""
    note = carried_over_note(entry, changed_since)
    case = TestCase(
        name=entry["url"],
        classname="a11y.document",
        elapsed_sec=entry["duration_s"],
        file=entry["url"],
        stdout="\n".join(part for part in (note, describe_document(entry)) if part),
    )
    if entry["error"]:
        case.add_error_info(message=entry["error"], error_type="document-error")
    elif entry["violations"]:
        check_ids = ", ".join(finding["check"] for finding in entry["violations"])
        case.add_failure_info(
            message=f"{len(entry['violations'])} PDF check(s) failed: {check_ids}",
            output=describe_findings(entry["violations"], "violations"),
            failure_type="pdf-violation",
        )
    return case


def write_junit(document: dict, report_dir: Path, screenshots: dict[str, bytes]) -> Path:
    cases = []
    changed_since = document.get("changed_since")
    for entry in document["results"]:
        note = carried_over_note(entry, changed_since)
        stdout = "\n".join(part for part in (note, describe_entry(entry)) if part)
        case = TestCase(
            name=entry["id"],
            classname=f"a11y.{entry['viewport']['name']}",
            elapsed_sec=entry["duration_s"],
            file=entry["url"],
            stdout=stdout or None,
        )
        if entry["error"]:
            case.add_error_info(message=entry["error"], error_type="page-error")
        elif entry["violations"]:
            rule_ids = ", ".join(rule["id"] for rule in entry["violations"])
            case.add_failure_info(
                message=f"{len(entry['violations'])} rule(s) violated: {rule_ids}",
                output=describe_rules(entry["violations"], "violations"),
                failure_type="a11y-violation",
            )
        cases.append(case)
    cases += [document_case(entry, changed_since) for entry in document.get("documents", [])]
    expired = document["baseline"]["expired"]
    if expired:
        case = TestCase(name="baseline entries are current", classname="a11y.baseline")
        case.add_failure_info(
            message=f"{len(expired)} baseline entr{'y' if len(expired) == 1 else 'ies'} expired",
            output="\n".join(
                f"{e['rule']} on {baseline_subject(e)} expired {e['expires']}: {e['reason']}"
                for e in expired
            ),
            failure_type="baseline-expired",
        )
        cases.append(case)
    properties = {"axe_version": document["axe_version"]}
    partial = None
    if changed_since:
        # A green partial run says nothing about the pages it skipped: make that visible.
        unchanged = document.get("unchanged_pages", [])
        properties |= {"changed_since": changed_since, "unchanged_pages": str(len(unchanged))}
        partial = "\n".join(
            [
                f"Partial run: only pages changed since {changed_since} (and the listings above "
                f"them) were audited; {len(unchanged)} unchanged page(s) were not re-audited:",
                *unchanged,
            ]
        )
    suite = TestSuite(
        "a11y-audit",
        cases,
        timestamp=document["started_at"],
        properties=properties,
        stdout=partial,
    )
    path = report_dir / FILE_NAME
    path.write_text(to_xml_report_string([suite]), encoding="utf8")
    return path
