"""Each template-level defect is caught with the right rule at the right viewport, and its fixed
version passes. One browser session serves every case."""

from __future__ import annotations

from dataclasses import replace

import pytest

from a11y_tests.config import DESKTOP, MOBILE
from a11y_tests.model import Target

pytestmark = pytest.mark.browser

BOTH = (DESKTOP, MOBILE)

# (fixture, rule, where it is reported, viewports where it must appear)
DEFECTS = [
    ("image-alt", "image-alt", "violations", BOTH),
    ("color-contrast", "color-contrast", "violations", BOTH),
    ("label", "label", "violations", BOTH),
    ("table-headers", "td-has-header", "violations", BOTH),
    ("reflow", "reflow-320", "violations", (MOBILE,)),
    ("heading-order", "heading-order", "warnings", BOTH),
    ("link-text", "link-text-generic", "warnings", BOTH),
    # axe-core 4.x no longer fails duplicate ids outright (WCAG 4.1.1 is obsolete); an id that
    # ARIA or a label points at twice is flagged for a person to review.
    ("duplicate-id", "duplicate-id-aria", "needs_review", BOTH),
]


def audit(worker, site, name, viewport):
    target = Target(url=site.page_url(name), path=f"/{name}/")
    result = worker.audit(target, viewport)
    assert result.error is None, result.error
    return result


def rule_ids(result, bucket):
    return [rule["id"] for rule in getattr(result, bucket)]


@pytest.mark.parametrize(
    ("fixture", "rule", "bucket", "viewports"), DEFECTS, ids=[case[0] for case in DEFECTS]
)
def test_defect_is_reported_where_expected_and_passes_once_fixed(
    audit_worker, fixture_site, fixture, rule, bucket, viewports
):
    for viewport in BOTH:
        broken = audit(audit_worker, fixture_site, fixture, viewport)
        if viewport in viewports:
            assert rule_ids(broken, bucket) == [rule], (viewport.name, broken)
            assert broken.status == ("failed" if bucket == "violations" else "passed")
        else:
            assert rule not in rule_ids(broken, bucket), viewport.name
            assert broken.status == "passed"

        fixed = audit(audit_worker, fixture_site, f"{fixture}-fixed", viewport)
        assert fixed.violations == [] and fixed.warnings == [], (viewport.name, fixed)
        assert rule not in rule_ids(fixed, "needs_review")
        assert fixed.status == "passed"


def test_violation_names_the_failing_node_and_wcag_criterion(audit_worker, fixture_site):
    (rule,) = audit(audit_worker, fixture_site, "image-alt", DESKTOP).violations
    assert rule["impact"] == "critical"
    assert rule["wcag"] == ["1.1.1"]
    assert rule["helpUrl"].startswith("https://dequeuniversity.com/rules/axe/4.14/image-alt")
    (node,) = rule["nodes"]
    assert node["target"] == ["img"]
    assert node["html"].startswith("<img")


def test_reflow_reports_the_widest_offender_in_axe_format(audit_worker, fixture_site):
    (rule,) = audit(audit_worker, fixture_site, "reflow", MOBILE).violations
    assert rule["id"] == "reflow-320"
    assert rule["wcag"] == ["1.4.10"]
    assert [node["target"] for node in rule["nodes"]] == [["#fixed-width-panel"]]
    assert "600px wide" in rule["nodes"][0]["failureSummary"]


def test_best_practice_can_be_made_to_fail(audit_worker, fixture_site):
    strict = replace(audit_worker.settings, best_practice_fails=True)
    original, audit_worker.settings = audit_worker.settings, strict
    try:
        result = audit(audit_worker, fixture_site, "heading-order", DESKTOP)
    finally:
        audit_worker.settings = original
    assert rule_ids(result, "violations") == ["heading-order"]
    assert result.status == "failed"


def test_clean_page_has_no_findings_at_either_viewport(audit_worker, fixture_site):
    for viewport in BOTH:
        result = audit(audit_worker, fixture_site, "clean", viewport)
        assert (result.violations, result.warnings, result.needs_review) == ([], [], [])
        assert result.axe_ms > 0
