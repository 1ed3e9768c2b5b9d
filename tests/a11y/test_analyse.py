"""Sorting axe results into failures, warnings and "needs review" by the rule's tags."""

from __future__ import annotations

from dataclasses import replace

from a11y_tests.analyse import axe_options, classify, wcag_criteria
from a11y_tests.config import AuditSettings


def rule(rule_id, *tags):
    return {"id": rule_id, "impact": "serious", "tags": list(tags), "description": "",
            "help": "", "helpUrl": "", "nodes": [{"target": ["p"], "html": "<p>"}]}


AXE_RESULTS = {
    "violations": [rule("color-contrast", "cat.color", "wcag2aa", "wcag143"),
                   rule("target-size", "wcag22aa", "wcag258"),
                   rule("region", "cat.keyboard", "best-practice")],
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
    assert wcag_criteria(["wcag2aa", "wcag1410", "wcag412", "best-practice"]) == ["1.4.10",
                                                                                   "4.1.2"]


def test_options_are_plain_json_with_real_booleans():
    options = axe_options(AuditSettings())
    assert options["runOnly"]["values"] == ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                            "wcag22aa", "best-practice"]
    assert options["rules"] == {"td-has-header": {"enabled": True}}
