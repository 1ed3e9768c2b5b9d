"""Baseline entries: accepted until they expire, expired ones fail, unused ones are stale."""

from __future__ import annotations

import datetime as dt

import pytest

from a11y_tests.baseline import BaselineError, apply_baseline, load_baseline
from a11y_tests.config import DEFAULT_BASELINE, DESKTOP, MOBILE
from a11y_tests.model import AuditResult, Target
from a11y_tests.report import exit_code

TODAY = dt.date(2026, 11, 26)


def contrast_result(path="/serious-case-reviews/child-b/", viewport=DESKTOP):
    nodes = [{"target": [".caption"], "html": "<p class=caption>", "impact": "serious",
              "failureSummary": "low contrast"},
             {"target": ["footer > p"], "html": "<p>", "impact": "serious",
              "failureSummary": "low contrast"}]
    rule = {"id": "color-contrast", "impact": "serious", "tags": ["wcag2aa", "wcag143"],
            "wcag": ["1.4.3"], "description": "", "help": "", "helpUrl": "", "nodes": nodes}
    return AuditResult(Target(url="http://f" + path, path=path), viewport, violations=[rule])


def write(tmp_path, text):
    path = tmp_path / "baseline.toml"
    path.write_text(text)
    return path


def test_matching_entry_accepts_only_its_node_until_expiry(tmp_path):
    entries = load_baseline(write(tmp_path, """
[[accepted]]
rule = "color-contrast"
page = "/serious-case-reviews/*"
target = ".caption"
reason = "Brand colour; redesign in progress"
expires = 2027-01-31
"""))
    result = contrast_result()
    outcome = apply_baseline([result], entries, path="b.toml", today=TODAY)

    assert [n["target"] for n in result.accepted[0]["nodes"]] == [[".caption"]]
    assert result.accepted[0]["nodes"][0]["baseline"]["expires"] == "2027-01-31"
    assert [n["target"] for n in result.violations[0]["nodes"]] == [["footer > p"]]
    assert outcome.expired == outcome.stale == []
    assert exit_code([result], outcome) == 1  # the other node still fails


def test_entry_for_whole_rule_and_viewport_makes_the_page_pass(tmp_path):
    entries = load_baseline(write(tmp_path, """
[[accepted]]
rule = "color-contrast"
page = "/serious-case-reviews/child-*"
viewport = "mobile"
reason = "Known"
expires = 2027-01-31
"""))
    desktop, mobile = contrast_result(), contrast_result(viewport=MOBILE)
    outcome = apply_baseline([desktop, mobile], entries, path=None, today=TODAY)
    assert mobile.status == "passed" and len(mobile.accepted[0]["nodes"]) == 2
    assert desktop.status == "failed" and desktop.accepted == []
    assert entries[0].matches == 2
    assert exit_code([mobile], outcome) == 0


def test_expired_entry_accepts_nothing_and_fails_the_run(tmp_path):
    entries = load_baseline(write(tmp_path, """
[[accepted]]
rule = "color-contrast"
page = "*"
reason = "Was to be fixed by November"
expires = 2026-11-01
"""))
    result = contrast_result()
    outcome = apply_baseline([result], entries, path=None, today=TODAY)
    assert [entry.reason for entry in outcome.expired] == ["Was to be fixed by November"]
    assert result.accepted == [] and result.status == "failed"
    assert exit_code([], outcome) == 1  # even with nothing left matching it


def test_entry_matching_nothing_is_stale_but_only_on_a_full_run(tmp_path):
    text = """
[[accepted]]
rule = "image-alt"
page = "/"
reason = "Fixed long ago"
expires = 2027-06-30
"""
    result = contrast_result()
    full = apply_baseline([result], load_baseline(write(tmp_path, text)), path=None, today=TODAY)
    assert [entry.rule for entry in full.stale] == ["image-alt"]
    partial = apply_baseline([contrast_result()], load_baseline(write(tmp_path, text)),
                             path=None, today=TODAY, complete_run=False)
    assert partial.stale == [] and not partial.stale_checked


@pytest.mark.parametrize(("text", "message"), [
    ("[[accepted]\nrule=", "not valid TOML"),
    ('[[accepted]]\nrule = "x"\npage = "/"\nexpires = 2027-01-01\n', "missing reason"),
    ('[[accepted]]\nrule = "x"\npage = "/"\nreason = "r"\nexpires = "soon"\n', "TOML date"),
])
def test_broken_baseline_is_refused_with_a_reason(tmp_path, text, message):
    with pytest.raises(BaselineError, match=message):
        load_baseline(write(tmp_path, text))


def test_missing_baseline_file_is_refused(tmp_path):
    with pytest.raises(BaselineError, match="cannot read baseline"):
        load_baseline(tmp_path / "nope.toml")


def test_default_baseline_is_valid_and_empty():
    assert load_baseline(DEFAULT_BASELINE) == []
