"""The document's tags (its structure tree): which elements are headings and figures, after the
document's own role map, and which figures lack alternative text.

The tree is walked without recursion, each element once, so a looped or very deep tree from a
damaged or hostile file cannot exhaust the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf

from a11y_tests.pdf.content import text

HEADING = re.compile(r"^H\d*$")  # H, H1…H6 and PDF 2.0's Hn
MAX_ROLE_HOPS = 16  # a longer chain in the role map is a loop
STANDARD_TYPES = {
    "Document", "DocumentFragment", "Part", "Art", "Sect", "Div", "Aside", "BlockQuote",
    "Caption", "TOC", "TOCI", "Index", "NonStruct", "Private", "P", "H", "Title", "FENote",
    "Sub", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot",
    "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB",
    "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form", "Em", "Strong", "Artifact",
    "H1", "H2", "H3", "H4", "H5", "H6",
}  # fmt: skip


@dataclass
class Structure:
    """What the tags say, as far as the checks need it."""

    headings: int = 0
    figures: int = 0
    # The page of each figure without alternative text (1-based; None where tags do not say).
    figures_without_alt: list[int | None] = field(default_factory=list)
    pages_with_described_figures: set[int | None] = field(default_factory=set)


def standard_type(name: str, role_map: pikepdf.Object | None) -> str:
    """A structure type after the document's role map (custom "Heading1" → "H1")."""
    for _ in range(MAX_ROLE_HOPS):
        if name in STANDARD_TYPES or not isinstance(role_map, pikepdf.Dictionary):
            return name
        mapped = role_map.get(f"/{name}")
        if not isinstance(mapped, pikepdf.Name):
            return name
        name = text(mapped)
    return name


def _page_of(element: pikepdf.Dictionary, page_numbers: dict) -> int | None:
    """The page an element is on: its own /Pg, else that of its first marked content."""
    candidates = [element]
    kids = element.get("/K")
    candidates += list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    for candidate in candidates:
        if isinstance(candidate, pikepdf.Dictionary):
            page = candidate.get("/Pg")
            if isinstance(page, pikepdf.Dictionary) and page.is_indirect:
                return page_numbers.get(page.objgen)
    return None


def read_structure(pdf: pikepdf.Pdf, page_numbers: dict[tuple[int, int], int]) -> Structure:
    """Walk the structure tree. ``page_numbers`` maps a page object's (number, generation) to
    its 1-based page number."""
    structure = Structure()
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return structure
    role_map = root.get("/RoleMap")
    seen: set[tuple[int, int]] = set()
    pending = [root.get("/K")]
    while pending:
        node = pending.pop()
        if isinstance(node, pikepdf.Object) and node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if isinstance(node, pikepdf.Array):
            pending.extend(reversed(list(node)))
            continue
        if not isinstance(node, pikepdf.Dictionary) or not isinstance(node.get("/S"), pikepdf.Name):
            continue  # marked content, object references, numbers
        kind = standard_type(text(node.S), role_map)
        if HEADING.match(kind):
            structure.headings += 1
        elif kind == "Figure":
            structure.figures += 1
            page = _page_of(node, page_numbers)
            if any(
                isinstance(node.get(key), pikepdf.String) and text(node.get(key)).strip()
                for key in ("/Alt", "/ActualText")
            ):
                structure.pages_with_described_figures.add(page)
            else:
                structure.figures_without_alt.append(page)
        pending.append(node.get("/K"))
    return structure
