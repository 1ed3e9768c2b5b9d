"""WCAG 1.4.10 (reflow) has no axe rule, so this check reports in axe's own result format."""

from __future__ import annotations

from a11y_tests.own_checks import OwnCheck

RULE_ID = "reflow-320"
REFLOW_MAX_WIDTH = 320
MAX_TARGETS = 5

RULE = {
    "id": RULE_ID,
    "impact": "serious",
    "tags": ["cat.structure", "wcag21aa", "wcag1410"],
    "description": "Ensures content reflows at 320 CSS pixels without scrolling in two dimensions",
    "help": "Page must not scroll horizontally at a width of 320 CSS pixels",
    "helpUrl": "https://www.w3.org/WAI/WCAG21/Understanding/reflow.html",
}


def applies_to(viewport_width: int) -> bool:
    return viewport_width <= REFLOW_MAX_WIDTH


def reflow_rule(measured: dict) -> tuple[str, dict]:
    """Return ("violations", rule) when the page scrolls sideways, else ("passes", rule)."""
    if measured["scrollWidth"] <= measured["viewportWidth"]:
        return "passes", {**RULE, "nodes": []}
    nodes = [_node(offender, measured) for offender in measured["offenders"]]
    if not nodes:
        # Overflow with no single culprit found (e.g. a pseudo-element): point at the document.
        nodes = [
            _node(
                {
                    "target": "html",
                    "html": "<html>",
                    "width": measured["scrollWidth"],
                    "left": 0,
                    "right": measured["scrollWidth"],
                },
                measured,
            )
        ]
    return "violations", {**RULE, "nodes": nodes}


def _node(offender: dict, measured: dict) -> dict:
    message = (
        f"Element is {offender['width']}px wide and spans {offender['left']}px to "
        f"{offender['right']}px, beyond the {measured['viewportWidth']}px viewport "
        f"(document scrolls to {measured['scrollWidth']}px)"
    )
    check = {"id": RULE_ID, "impact": "serious", "message": message, "data": offender}
    return {
        "target": [offender["target"]],
        "html": offender["html"],
        "impact": "serious",
        "any": [],
        "all": [],
        "none": [check],
        "failureSummary": f"Fix all of the following:\n  {message}",
    }


# findOverflow.js measures; reflow_rule reports.
CHECK = OwnCheck(RULE_ID, "findOverflow", (MAX_TARGETS,), reflow_rule)
