"""Our own rules, for what axe-core has no rule for; each reports in axe's result format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OwnCheck:
    """One of our rules: a function of ``browser_js`` run in the page after axe, and its
    answer turned into an axe rule result."""

    rule_id: str
    # Name of the browser_js function; it may use the helpers selectorOf and snippetOf.
    function: str
    args: tuple
    to_rule: Callable[[object], tuple[str, dict]]
