"""Links whose text says nothing out of context ("click here"): axe has no rule for this.

Reported as best practice, so a warning by default: WCAG 2.4.4 lets the surrounding sentence give
a link its purpose, which a script cannot judge, but screen reader users listing links cannot.

``GENERIC_LINK_TEXTS`` and ``is_generic_link_text`` are the one definition of a generic link
text: the CMS checks link text with them as editors write it, the audit (``findGenericLinks.js``,
which normalises names the same way) on the published page, and the editor's Checks panel runs
``findGenericLinks.js`` on the preview with this list.
"""

from __future__ import annotations

import re

from a11y_tests.own_checks import OwnCheck

RULE_ID = "link-text-generic"

# Link text that says nothing about where it goes out of context (WCAG 2.4.4), normalised.
GENERIC_LINK_TEXTS = frozenset(
    {
        "click",
        "click here",
        "download",
        "download report",
        "download the report",
        "find out more",
        "here",
        "learn more",
        "link",
        "more",
        "more info",
        "more information",
        "read more",
        "report",
        "this link",
        "view",
        "view report",
        "view the report",
    }
)

RULE = {
    "id": RULE_ID,
    "impact": "moderate",
    "tags": ["cat.name-role-value", "best-practice"],
    "description": "Ensures link text describes where the link goes without its context",
    "help": "Link text must make sense on its own, not just 'click here' or 'read more'",
    "helpUrl": "https://www.w3.org/WAI/WCAG22/Understanding/link-purpose-in-context.html",
}


def normalise_link_text(text: str) -> str:
    """Lower case, letters only, single spaces: "Click here!" → "click here"."""
    return " ".join(re.sub(r"[^a-z ]+", " ", text.lower()).split())


def is_generic_link_text(text: str) -> bool:
    """True when ``text`` on its own would not tell a screen reader user where a link goes."""
    return normalise_link_text(text) in GENERIC_LINK_TEXTS


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
                f'Fix all of the following:\n  Link text "{link["name"]}" does not say '
                "where the link goes; name the destination instead"
            ),
        }
        for link in found
    ]
    return ("violations" if nodes else "passes"), {**RULE, "nodes": nodes}


CHECK = OwnCheck(RULE_ID, "findGenericLinks", (tuple(sorted(GENERIC_LINK_TEXTS)),), link_text_rule)
