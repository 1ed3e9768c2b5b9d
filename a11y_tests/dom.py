"""Browser-side helpers shared by our own rules, so their targets look like axe's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OwnCheck:
    """One of our rules: a script run in the page after axe, and its answer in axe's format."""

    name: str
    # A function body: reads its arguments, returns JSON. The engine runs it in its page script.
    script: str
    args: tuple
    to_rule: Callable[[object], tuple[str, dict]]


# A CSS selector that finds exactly this element: the nearest unique id, else a child path.
SELECTOR_OF = """
const selectorOf = el => {
  const root = document.documentElement;
  const parts = [];
  for (let node = el; node && node !== root; node = node.parentElement) {
    if (node.id && document.querySelectorAll("#" + CSS.escape(node.id)).length === 1) {
      parts.unshift("#" + CSS.escape(node.id));
      return parts.join(" > ");
    }
    const siblings = node.parentElement ? [...node.parentElement.children] : [node];
    const sameTag = siblings.filter(s => s.localName === node.localName);
    parts.unshift(sameTag.length > 1
      ? `${node.localName}:nth-child(${siblings.indexOf(node) + 1})` : node.localName);
  }
  return ["html", ...parts].join(" > ");
};
// Like axe: the whole element when short, else its opening tag.
const snippetOf = el => {
  const html = el.outerHTML;
  if (html.length <= 250) return html;
  const openingTag = html.slice(0, html.indexOf(">") + 1);
  return openingTag.length <= 250 ? openingTag : openingTag.slice(0, 249) + "…";
};
"""
