"""Sorting axe results into failures, warnings and "needs review"; the page script's outcomes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from a11y_tests.analyse import CheckFailed, axe_options, classify, load_and_check, wcag_criteria
from a11y_tests.axe import AxeRunFailed
from a11y_tests.config import DESKTOP, MOBILE, AuditSettings
from a11y_tests.load import PageLoadError
from a11y_tests.model import Target
from a11y_tests.own_checks import link_text


def rule(rule_id, *tags):
    return {
        "id": rule_id,
        "impact": "serious",
        "tags": list(tags),
        "description": "",
        "help": "",
        "helpUrl": "",
        "nodes": [{"target": ["p"], "html": "<p>"}],
    }


AXE_RESULTS = {
    "violations": [
        rule("color-contrast", "cat.color", "wcag2aa", "wcag143"),
        rule("target-size", "wcag22aa", "wcag258"),
        rule("region", "cat.keyboard", "best-practice"),
    ],
    "incomplete": [rule("duplicate-id-aria", "wcag2a", "wcag412")],
}


def test_wcag_tags_fail_best_practice_warns_incomplete_needs_review():
    violations, warnings, review = classify(AXE_RESULTS, AuditSettings())
    assert [r["id"] for r in violations] == ["color-contrast", "target-size"]
    assert [r["id"] for r in warnings] == ["region"]
    assert [r["id"] for r in review] == ["duplicate-id-aria"]
    assert violations[0]["wcag"] == ["1.4.3"]


def test_best_practice_can_fail_and_fail_tags_can_be_narrowed():
    violations, warnings, _ = classify(AXE_RESULTS, AuditSettings(best_practice_fails=True))
    assert [r["id"] for r in violations] == ["color-contrast", "target-size", "region"]
    assert warnings == []
    only_a = replace(AuditSettings(), fail_tags=("wcag2a",))
    violations, warnings, _ = classify(AXE_RESULTS, only_a)
    assert violations == [] and len(warnings) == 3


def test_wcag_criteria_read_from_tags():
    assert wcag_criteria(["wcag2aa", "wcag1410", "wcag412", "best-practice"]) == ["1.4.10", "4.1.2"]


def test_options_are_plain_json_with_real_booleans():
    options = axe_options(AuditSettings())
    assert options["runOnly"]["values"] == [
        "wcag2a",
        "wcag2aa",
        "wcag21a",
        "wcag21aa",
        "wcag22aa",
        "best-practice",
    ]
    assert options["rules"] == {"td-has-header": {"enabled": True}}


class OnePageScript:
    """A tab whose single page script answers with a canned outcome."""

    def __init__(self, outcome):
        self.outcome = outcome
        self.visited = []

    def goto(self, url):
        self.visited.append(url)

    def run_async(self, script, *args):
        return self.outcome


SETTLED = {"settled": True, "status": 200}
PAGE = Target(url="http://site.test/review/", path="/review/")


def test_one_page_script_gives_axe_results_with_our_rules_appended():
    outcome = {
        "load": SETTLED,
        "results": {"violations": [], "incomplete": []},
        "elapsed_ms": 12.5,
        "own": {link_text.RULE_ID: []},
    }
    tab = OnePageScript(outcome)
    results, elapsed_ms = load_and_check(tab, None, PAGE, DESKTOP, AuditSettings())
    assert tab.visited == [PAGE.url]
    assert elapsed_ms == 12.5
    assert [rule["id"] for rule in results["passes"]] == [link_text.RULE_ID]


@pytest.mark.parametrize(
    ("outcome", "error", "message"),
    [
        ({"load": {"settled": True, "status": 500}}, PageLoadError, "HTTP 500"),
        ({"load": {"settled": False, "status": 200}}, PageLoadError, "did not settle"),
        ({"stage": "axe.run", "error": "boom"}, AxeRunFailed, "axe.run failed: boom"),
        ({"stage": "reflow-320", "error": "boom"}, CheckFailed, "reflow-320 check failed"),
    ],
)
def test_page_script_failures_become_page_errors(outcome, error, message):
    with pytest.raises(error, match=message):
        load_and_check(OnePageScript(outcome), None, PAGE, MOBILE, AuditSettings())
