"""WCAG 2.2's level A and AA success criteria: the standard UK public-sector sites must meet.

Findings carry criteria as numbers ("1.4.3"); readers of a report or an accessibility
statement need their names. 4.1.1 Parsing is not here: WCAG 2.2 removed it.
"""

from typing import NamedTuple


class SuccessCriterion(NamedTuple):
    number: str
    name: str
    level: str  # "A" or "AA"


_CRITERIA = [
    ("1.1.1", "Non-text content", "A"),
    ("1.2.1", "Audio-only and video-only (prerecorded)", "A"),
    ("1.2.2", "Captions (prerecorded)", "A"),
    ("1.2.3", "Audio description or media alternative (prerecorded)", "A"),
    ("1.2.4", "Captions (live)", "AA"),
    ("1.2.5", "Audio description (prerecorded)", "AA"),
    ("1.3.1", "Info and relationships", "A"),
    ("1.3.2", "Meaningful sequence", "A"),
    ("1.3.3", "Sensory characteristics", "A"),
    ("1.3.4", "Orientation", "AA"),
    ("1.3.5", "Identify input purpose", "AA"),
    ("1.4.1", "Use of colour", "A"),
    ("1.4.2", "Audio control", "A"),
    ("1.4.3", "Contrast (minimum)", "AA"),
    ("1.4.4", "Resize text", "AA"),
    ("1.4.5", "Images of text", "AA"),
    ("1.4.10", "Reflow", "AA"),
    ("1.4.11", "Non-text contrast", "AA"),
    ("1.4.12", "Text spacing", "AA"),
    ("1.4.13", "Content on hover or focus", "AA"),
    ("2.1.1", "Keyboard", "A"),
    ("2.1.2", "No keyboard trap", "A"),
    ("2.1.4", "Character key shortcuts", "A"),
    ("2.2.1", "Timing adjustable", "A"),
    ("2.2.2", "Pause, stop, hide", "A"),
    ("2.3.1", "Three flashes or below threshold", "A"),
    ("2.4.1", "Bypass blocks", "A"),
    ("2.4.2", "Page titled", "A"),
    ("2.4.3", "Focus order", "A"),
    ("2.4.4", "Link purpose (in context)", "A"),
    ("2.4.5", "Multiple ways", "AA"),
    ("2.4.6", "Headings and labels", "AA"),
    ("2.4.7", "Focus visible", "AA"),
    ("2.4.11", "Focus not obscured (minimum)", "AA"),
    ("2.5.1", "Pointer gestures", "A"),
    ("2.5.2", "Pointer cancellation", "A"),
    ("2.5.3", "Label in name", "A"),
    ("2.5.4", "Motion actuation", "A"),
    ("2.5.7", "Dragging movements", "AA"),
    ("2.5.8", "Target size (minimum)", "AA"),
    ("3.1.1", "Language of page", "A"),
    ("3.1.2", "Language of parts", "AA"),
    ("3.2.1", "On focus", "A"),
    ("3.2.2", "On input", "A"),
    ("3.2.3", "Consistent navigation", "AA"),
    ("3.2.4", "Consistent identification", "AA"),
    ("3.2.6", "Consistent help", "A"),
    ("3.3.1", "Error identification", "A"),
    ("3.3.2", "Labels or instructions", "A"),
    ("3.3.3", "Error suggestion", "AA"),
    ("3.3.4", "Error prevention (legal, financial, data)", "AA"),
    ("3.3.7", "Redundant entry", "A"),
    ("3.3.8", "Accessible authentication (minimum)", "AA"),
    ("4.1.2", "Name, role, value", "A"),
    ("4.1.3", "Status messages", "AA"),
]

WCAG22_AA = {number: SuccessCriterion(number, name, level) for number, name, level in _CRITERIA}


def _sort_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def required_criteria(numbers) -> list[SuccessCriterion]:
    """Those of ``numbers`` that WCAG 2.2 AA requires, in the standard's order."""
    return [WCAG22_AA[number] for number in sorted(set(numbers) & WCAG22_AA.keys(), key=_sort_key)]
