"""WCAG 1.4.10 (reflow) has no axe rule, so this check reports in axe's own result format."""

from __future__ import annotations

from a11y_tests.dom import SELECTOR_OF, OwnCheck

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

# The outermost elements that stick out of the viewport and are not inside their own horizontal
# scroller (a scrolling table wrapper is allowed by 1.4.10): those are what an author must fix.
FIND_OVERFLOW = SELECTOR_OF + """
const maxTargets = arguments[0];
const root = document.documentElement;
const viewportWidth = root.clientWidth;
const scrollWidth = root.scrollWidth;
if (scrollWidth <= viewportWidth) return { viewportWidth, scrollWidth, offenders: [] };

const scrollsOrClips = el => !["visible", ""].includes(getComputedStyle(el).overflowX);
const insideOwnScroller = el => {
  const stop = [document.body, root, null];
  for (let up = el.parentElement; !stop.includes(up); up = up.parentElement) {
    if (scrollsOrClips(up)) return true;
  }
  return false;
};
const sticksOut = el => {
  const box = el.getBoundingClientRect();
  return box.width > 0 && (box.right > viewportWidth + 0.5 || box.left < -0.5);
};
const offenders = [...document.body.querySelectorAll("*")]
  .filter(el => sticksOut(el) && !insideOwnScroller(el))
  .filter(el => el.parentElement === document.body || !sticksOut(el.parentElement))
  .map(el => ({ el, box: el.getBoundingClientRect() }))
  .sort((a, b) => b.box.width - a.box.width)
  .slice(0, maxTargets)
  .map(({ el, box }) => ({
    target: selectorOf(el), html: snippetOf(el),
    width: Math.round(box.width), left: Math.round(box.left), right: Math.round(box.right),
  }));
return { viewportWidth, scrollWidth, offenders };
"""


def applies_to(viewport_width: int) -> bool:
    return viewport_width <= REFLOW_MAX_WIDTH


def reflow_rule(measured: dict) -> tuple[str, dict]:
    """Return ("violations", rule) when the page scrolls sideways, else ("passes", rule)."""
    if measured["scrollWidth"] <= measured["viewportWidth"]:
        return "passes", {**RULE, "nodes": []}
    nodes = [_node(offender, measured) for offender in measured["offenders"]]
    if not nodes:
        # Overflow with no single culprit found (e.g. a pseudo-element): point at the document.
        nodes = [_node({"target": "html", "html": "<html>", "width": measured["scrollWidth"],
                        "left": 0, "right": measured["scrollWidth"]}, measured)]
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


CHECK = OwnCheck(RULE_ID, FIND_OVERFLOW, (MAX_TARGETS,), reflow_rule)
