"""Analyse step: axe-core plus our own checks, sorted into failures, warnings, "needs review"."""

from __future__ import annotations

import functools
import json
import re
from typing import TypedDict

from a11y_tests import browser_js
from a11y_tests.axe import AxeRunFailed, PinnedAxe
from a11y_tests.config import AuditSettings, Viewport
from a11y_tests.load import SETTLE_TIMEOUT_S, check_settled
from a11y_tests.model import Target
from a11y_tests.own_checks import OwnCheck, link_text, reflow
from a11y_tests.tabs import WebDriverTab

WCAG_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")


def axe_options(settings: AuditSettings) -> dict:
    # Only violations and incomplete carry node detail; passes would just cost serialisation.
    return {
        "runOnly": {"type": "tag", "values": settings.axe_tags},
        "resultTypes": ["violations", "incomplete"],
        "rules": {rule: {"enabled": True} for rule in settings.extra_rules},
    }


def wcag_criteria(tags: list[str]) -> list[str]:
    """ "wcag1410" → "1.4.10": the form QA people look up."""
    criteria = []
    for tag in tags:
        match = WCAG_CRITERION_TAG.match(tag)
        if match:
            criteria.append(".".join(match.groups()))
    return criteria


def rule_record(rule: dict) -> dict:
    """Keep the fields a reader needs to act on a rule, in axe's own names."""
    return {
        "id": rule["id"],
        "impact": rule.get("impact"),
        "tags": rule.get("tags", []),
        "wcag": wcag_criteria(rule.get("tags", [])),
        "description": rule.get("description", ""),
        "help": rule.get("help", ""),
        "helpUrl": rule.get("helpUrl", ""),
        "nodes": [
            {
                "target": node.get("target", []),
                "html": node.get("html", ""),
                "impact": node.get("impact"),
                "failureSummary": node.get("failureSummary", ""),
            }
            for node in rule.get("nodes", [])
        ],
    }


def classify(results: dict, settings: AuditSettings) -> tuple[list, list, list]:
    """Split axe results into (violations, warnings, needs_review) by the rule's tags."""
    fail_tags = set(settings.fail_tags)
    if settings.best_practice_fails:
        fail_tags |= set(settings.warn_tags)
    violations, warnings = [], []
    for rule in results.get("violations", []):
        record = rule_record(rule)
        (violations if fail_tags & set(record["tags"]) else warnings).append(record)
    needs_review = [rule_record(rule) for rule in results.get("incomplete", [])]
    return violations, warnings, needs_review


class CheckFailed(RuntimeError):
    """One of our own rules threw in the page."""


def checks_for(viewport: Viewport) -> tuple[OwnCheck, ...]:
    if reflow.applies_to(viewport.width):
        return (link_text.CHECK, reflow.CHECK)
    return (link_text.CHECK,)


class LoadState(TypedDict):
    """What ``waitForSettled.js`` saw; judged by :func:`a11y_tests.load.check_settled`."""

    settled: bool  # document complete, no fetch/XHR in flight or ended in the last 100 ms
    status: int | None  # the navigation's HTTP status; 0 or null when the browser cannot tell
    errorPage: bool  # the browser showed its own error page (no connection, DNS…)
    url: str  # where the tab ended up, after redirects


class PageReply(TypedDict, total=False):
    """The reply of the page script (``auditPage.js``), one of:

    - ``{load}``: the page did not settle, showed the browser's error page or answered another
      status than expected; axe did not run.
    - ``{load, missing: true}``: the document has no axe-core (nothing registered it): inject it
      and run the script again.
    - ``{stage, error}``: ``axe.run`` (stage ``"axe.run"``) or one of our checks (stage: its
      rule id) threw.
    - ``{load, results, elapsed_ms, own}``: axe's results (only the ``resultTypes`` asked
      for), the milliseconds ``axe.run`` took in the browser, and each own check's answer by
      rule id (the input of its ``to_rule``).
    """

    load: LoadState
    missing: bool
    stage: str
    error: str
    results: dict
    elapsed_ms: float
    own: dict[str, object]


@functools.cache
def page_script(checks: tuple[OwnCheck, ...]) -> str:
    """Wait until settled, axe.run, then our rules: one round trip to the browser per page."""
    own = ", ".join(f"{json.dumps(check.rule_id)}: {check.function}" for check in checks)
    return browser_js.async_call_script(
        f"auditPage({{{own}}}, ...args)",
        "waitForSettled",
        "runAxe",
        "selectorOf",
        "snippetOf",
        *(check.function for check in checks),
        "auditPage",
    )


def load_and_check(
    tab: WebDriverTab,
    axe: PinnedAxe,
    target: Target,
    viewport: Viewport,
    settings: AuditSettings,
    *,
    settle_timeout_s: float = SETTLE_TIMEOUT_S,
) -> tuple[dict, float]:
    """Navigate the tab, then one page script; returns axe's results with our rules appended,
    and the time axe.run took in the browser. Raises PageLoadError, AxeRunFailed, CheckFailed."""
    checks = checks_for(viewport)
    args = (
        settle_timeout_s * 1000,
        target.expected_status,
        None,
        axe_options(settings),
        {check.rule_id: check.args for check in checks},
    )
    tab.goto(target.url)
    reply: PageReply = tab.run_async(page_script(checks), *args)
    if reply.get("missing"):  # registration unavailable: inject; the page has settled already
        axe.inject()
        reply = tab.run_async(page_script(checks), *args)
    if reply.get("stage") == "axe.run":
        raise AxeRunFailed(f"axe.run failed: {reply['error']}")
    if "error" in reply:
        raise CheckFailed(f"{reply['stage']} check failed on {target.url}: {reply['error']}")
    check_settled(reply["load"], target, settle_timeout_s)
    results = reply["results"]
    for check in checks:
        bucket, rule = check.to_rule(reply["own"][check.rule_id])
        results.setdefault(bucket, []).append(rule)
    return results, reply["elapsed_ms"]


def top_document_selectors(rules: list[dict]) -> list[str]:
    """Top-document selectors of failing nodes; for a node in a frame that is the frame itself."""
    return [
        node["target"][0]
        for rule in rules
        for node in rule["nodes"]
        if node["target"] and isinstance(node["target"][0], str)
    ]


def outlined_screenshot(tab: WebDriverTab, rules: list[dict]) -> bytes:
    """A picture of the page with every failing node outlined, for the HTML report."""
    tab.run(browser_js.call_script("outlineNodes"), top_document_selectors(rules))
    return tab.screenshot()
