"""Analyse step: axe-core plus the reflow check, sorted into failures, warnings, "needs review"."""

from __future__ import annotations

import base64
import functools
import json
import re

from a11y_tests import link_text, reflow
from a11y_tests.axe_engine import RUN_AXE_FN, AxeRunFailed, CurrentAxe
from a11y_tests.browser import supports_cdp
from a11y_tests.config import AuditSettings, Viewport
from a11y_tests.dom import OwnCheck
from a11y_tests.load import SETTLE_TIMEOUT_S, WAIT_FOR_SETTLED_FN, check_settled
from a11y_tests.model import Target

WCAG_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")

OUTLINE_NODES = """
const selectors = arguments[0];
selectors.forEach((selector, index) => {
  let element = null;
  try { element = document.querySelector(selector); } catch (error) { return; }
  if (!element) return;
  element.style.setProperty("outline", "3px solid #d4351c", "important");
  element.style.setProperty("outline-offset", "2px", "important");
  element.setAttribute("data-a11y-audit-node", String(index + 1));
});
"""

MAX_SCREENSHOT_HEIGHT = 6000


def axe_options(settings: AuditSettings) -> dict:
    # Only violations and incomplete carry node detail; passes would just cost serialisation.
    return {
        "runOnly": {"type": "tag", "values": settings.axe_tags},
        "resultTypes": ["violations", "incomplete"],
        "rules": {rule: {"enabled": True} for rule in settings.extra_rules},
    }


def wcag_criteria(tags: list[str]) -> list[str]:
    """"wcag1410" → "1.4.10": the form QA people look up."""
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


def own_checks(viewport: Viewport) -> tuple[OwnCheck, ...]:
    if reflow.applies_to(viewport.width):
        return (link_text.CHECK, reflow.CHECK)
    return (link_text.CHECK,)


@functools.cache
def page_script(checks: tuple[OwnCheck, ...]) -> str:
    """Wait until settled, axe.run, then our rules: one WebDriver round trip per page.

    An unexpected status or an unsettled page returns before axe, as the separate steps did.
    """
    functions = ",\n".join(
        f"{json.dumps(check.name)}: function () {{{check.script}}}" for check in checks
    )
    return f"""
const done = arguments[arguments.length - 1];
const [settleTimeoutMs, expectedStatus, context, options, checkArgs] = arguments;
const ownChecks = {{{functions}}};
const failed = stage => error =>
  done({{ stage, error: String((error && error.message) || error) }});
{WAIT_FOR_SETTLED_FN}(settleTimeoutMs).then(load => {{
  if (!load.settled || load.errorPage || (load.status && load.status !== expectedStatus)) {{
    return done({{ load }});
  }}
  return {RUN_AXE_FN}(context, options).then(run => {{
    if (run.missing) return done({{ load, missing: true }});
    const own = {{}};
    for (const name in ownChecks) {{
      try {{ own[name] = ownChecks[name].apply(null, checkArgs[name]); }}
      catch (error) {{ return failed(name)(error); }}
    }}
    done({{ load, ...run, own }});
  }});
}}).catch(failed("axe.run"));
"""


def load_and_check(
    tab, axe: CurrentAxe, target: Target, viewport: Viewport, settings: AuditSettings,
    *, settle_timeout_s: float = SETTLE_TIMEOUT_S,
) -> tuple[dict, float]:
    """Navigate the tab, then one page script; returns axe's results with our rules appended,
    and the time axe.run took in the browser. Raises PageLoadError, AxeRunFailed, CheckFailed."""
    checks = own_checks(viewport)
    args = (settle_timeout_s * 1000, target.expected_status, None, axe_options(settings),
            {check.name: check.args for check in checks})
    tab.goto(target.url)
    outcome = tab.run_async(page_script(checks), *args)
    if outcome.get("missing"):  # registration unavailable: inject; the page has settled already
        axe.inject()
        outcome = tab.run_async(page_script(checks), *args)
    if outcome.get("stage") == "axe.run":
        raise AxeRunFailed(f"axe.run failed: {outcome['error']}")
    if "error" in outcome:
        raise CheckFailed(f"{outcome['stage']} check failed on {target.url}: {outcome['error']}")
    check_settled(outcome["load"], target, settle_timeout_s)
    results = outcome["results"]
    for check in checks:
        bucket, rule = check.to_rule(outcome["own"][check.name])
        results.setdefault(bucket, []).append(rule)
    return results, outcome["elapsed_ms"]


def node_selectors(rules: list[dict]) -> list[str]:
    """Top-document selectors of failing nodes; for a node in a frame that is the frame itself."""
    return [
        node["target"][0]
        for rule in rules
        for node in rule["nodes"]
        if node["target"] and isinstance(node["target"][0], str)
    ]


def outlined_screenshot(driver, rules: list[dict]) -> bytes:
    """A picture of the page with every failing node outlined, for the HTML report."""
    driver.execute_script(OUTLINE_NODES, node_selectors(rules))
    if not supports_cdp(driver):
        return driver.get_screenshot_as_png()
    # scrollWidth, not clientWidth: content overflowing the viewport (a reflow-320 finding) is
    # exactly what the picture has to show. (Chromium paints nothing beyond it, so no margin.)
    width, height = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "jpeg",
            "quality": 70,
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width,
                     "height": min(height, MAX_SCREENSHOT_HEIGHT), "scale": 1},
        },
    )
    return base64.b64decode(shot["data"])
