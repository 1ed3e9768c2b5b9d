"""Links whose text says nothing out of context ("click here"): axe has no rule for this.

Reported as best practice, so a warning by default: WCAG 2.4.4 lets the surrounding sentence give
a link its purpose, which a script cannot judge, but screen reader users listing links cannot.
"""

from __future__ import annotations

from a11y_tests.dom import SELECTOR_OF, OwnCheck

RULE_ID = "link-text-generic"

GENERIC_LINK_TEXTS = (
    "click", "click here", "download", "download report", "download the report",
    "find out more", "here", "learn more", "link", "more", "more info", "more information",
    "read more", "report", "this link", "view", "view report", "view the report",
)

RULE = {
    "id": RULE_ID,
    "impact": "moderate",
    "tags": ["cat.name-role-value", "best-practice"],
    "description": "Ensures link text describes where the link goes without its context",
    "help": "Link text must make sense on its own, not just 'click here' or 'read more'",
    "helpUrl": "https://www.w3.org/WAI/WCAG22/Understanding/link-purpose-in-context.html",
}

FIND_GENERIC_LINKS = SELECTOR_OF + """
const generic = new Set(arguments[0]);
const nameOf = link => {
  const labelledBy = (link.getAttribute("aria-labelledby") || "").split(/\\s+/)
    .map(id => document.getElementById(id)).filter(Boolean)
    .map(el => el.textContent).join(" ");
  const images = [...link.querySelectorAll("img[alt]")].map(img => img.alt).join(" ");
  return labelledBy || link.getAttribute("aria-label") || (link.textContent + " " + images);
};
const normalise = text => text.toLowerCase().replace(/[^a-z ]+/g, " ").split(/\\s+/)
  .filter(Boolean).join(" ");
return [...document.querySelectorAll("a[href]")]
  .map(link => ({ link, name: normalise(nameOf(link)) }))
  .filter(({ name }) => generic.has(name))
  .map(({ link, name }) => ({ target: selectorOf(link), html: snippetOf(link), name }));
"""


def link_text_rule(found: list[dict]) -> tuple[str, dict]:
    """Return ("violations", rule) when some link text is generic, else ("passes", rule)."""
    nodes = [
        {
            "target": [link["target"]],
            "html": link["html"],
            "impact": "moderate",
            "any": [],
            "all": [],
            "none": [],
            "failureSummary": (
                f"Fix all of the following:\n  Link text \"{link['name']}\" does not say "
                "where the link goes; name the destination instead"
            ),
        }
        for link in found
    ]
    return ("violations" if nodes else "passes"), {**RULE, "nodes": nodes}


CHECK = OwnCheck(RULE_ID, FIND_GENERIC_LINKS, (GENERIC_LINK_TEXTS,), link_text_rule)
