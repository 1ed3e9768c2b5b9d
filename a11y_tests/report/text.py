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


def carried_over_note(entry: dict, changed_since: str | None) -> str | None:
    """Why a row was not audited in this run, for rows carried over from an earlier one."""
    earlier = entry.get("carried_over_from")
    if not earlier:
        return None
    return (
        f"not re-audited: unchanged since {changed_since or earlier}; "
        f"result from the run of {earlier}"
    )
