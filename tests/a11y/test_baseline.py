"""Baseline entries: accepted until they expire, expired ones fail, unused ones are stale."""

from __future__ import annotations

import datetime as dt

import pytest

from a11y_tests.baseline import (
    BaselineError,
    BaselineOutcome,
    accept_known,
    baseline_outcome,
    load_baseline,
)
from a11y_tests.config import DEFAULT_BASELINE, DESKTOP, MOBILE, parse_viewport
from a11y_tests.model import AuditResult, Target
from a11y_tests.report import exit_code

TODAY = dt.date(2026, 11, 26)


def contrast_result(path="/serious-case-reviews/child-b/", viewport=DESKTOP):
    nodes = [
        {
            "target": [".caption"],
            "html": "<p class=caption>",
            "impact": "serious",
            "failureSummary": "low contrast",
        },
        {
            "target": ["footer > p"],
            "html": "<p>",
            "impact": "serious",
            "failureSummary": "low contrast",
        },
    ]
    rule = {
        "id": "color-contrast",
        "impact": "serious",
        "tags": ["wcag2aa", "wcag143"],
        "wcag": ["1.4.3"],
        "description": "",
        "help": "",
        "helpUrl": "",
        "nodes": nodes,
    }
    return AuditResult(Target(url="http://f" + path, path=path), viewport, violations=[rule])


def baseline_of_run(results, entries, *, path, today, complete_run=True) -> BaselineOutcome:
    """What a run does: each result as it arrives, then the outcome of the whole run."""
    for result in results:
        accept_known(result, entries, today)
    return baseline_outcome(entries, path=path, today=today, complete_run=complete_run)


def write(tmp_path, text):
    path = tmp_path / "baseline.toml"
    path.write_text(text)
    return path


def test_matching_entry_accepts_only_its_node_until_expiry(tmp_path):
    entries = load_baseline(
        write(
            tmp_path,
            """
[[accepted]]
rule = "color-contrast"
page = "/serious-case-reviews/*"
target = ".caption"
reason = "Brand colour; redesign in progress"
expires = 2027-01-31
""",
        )
    )
    result = contrast_result()
    outcome = baseline_of_run([result], entries, path="b.toml", today=TODAY)

    assert [n["target"] for n in result.accepted[0]["nodes"]] == [[".caption"]]
    assert result.accepted[0]["nodes"][0]["baseline"]["expires"] == "2027-01-31"
    assert [n["target"] for n in result.violations[0]["nodes"]] == [["footer > p"]]
    assert outcome.expired == outcome.stale == []
    assert exit_code([result], outcome) == 1  # the other node still fails


def test_entry_for_whole_rule_and_viewport_makes_the_page_pass(tmp_path):
    entries = load_baseline(
        write(
            tmp_path,
            """
[[accepted]]
rule = "color-contrast"
page = "/serious-case-reviews/child-*"
viewport = "mobile"
reason = "Known"
expires = 2027-01-31
""",
        )
    )
    desktop, mobile = contrast_result(), contrast_result(viewport=MOBILE)
    outcome = baseline_of_run([desktop, mobile], entries, path=None, today=TODAY)
    assert mobile.status == "passed" and len(mobile.accepted[0]["nodes"]) == 2
    assert desktop.status == "failed" and desktop.accepted == []
    assert entries[0].matches == 2
    assert exit_code([mobile], outcome) == 0


def test_expired_entry_accepts_nothing_and_fails_the_run(tmp_path):
    entries = load_baseline(
        write(
            tmp_path,
            """
[[accepted]]
rule = "color-contrast"
page = "*"
reason = "Was to be fixed by November"
expires = 2026-11-01
""",
        )
    )
    result = contrast_result()
    outcome = baseline_of_run([result], entries, path=None, today=TODAY)
    assert [entry.reason for entry in outcome.expired] == ["Was to be fixed by November"]
    assert result.accepted == [] and result.status == "failed"
    assert entries[0].matches == 2 and len(result.violations[0]["nodes"]) == 2
    assert exit_code([], outcome) == 1  # the expired entry alone fails the run


EXPIRED = """
[[accepted]]
rule = "color-contrast"
page = "/serious-case-reviews/*"
reason = "Was to be fixed by November"
expires = 2026-11-01
"""


def test_expired_entry_whose_finding_is_fixed_is_stale_not_failing(tmp_path):
    fixed = contrast_result()
    fixed.violations = []
    outcome = baseline_of_run(
        [fixed], load_baseline(write(tmp_path, EXPIRED)), path=None, today=TODAY
    )
    assert outcome.expired == []
    assert [entry.reason for entry in outcome.stale] == ["Was to be fixed by November"]
    assert exit_code([fixed], outcome) == 0
    # A partial run may have skipped the page that still has it: stay failing.
    partial = baseline_of_run(
        [contrast_result(path="/about/")],
        load_baseline(write(tmp_path, EXPIRED)),
        path=None,
        today=TODAY,
        complete_run=False,
    )
    assert [entry.rule for entry in partial.expired] == ["color-contrast"]
    assert partial.stale == []


def test_expired_entry_replaced_by_a_renewal_is_stale(tmp_path):
    renewed = EXPIRED + EXPIRED.replace("2026-11-01", "2027-03-31").replace("November", "March")
    entries = load_baseline(write(tmp_path, renewed))
    result = contrast_result()
    outcome = baseline_of_run([result], entries, path=None, today=TODAY)
    assert result.status == "passed" and len(result.accepted[0]["nodes"]) == 2
    assert outcome.expired == [] and [e.expires for e in outcome.stale] == [dt.date(2026, 11, 1)]


def test_results_accepted_one_by_one_then_outcome(tmp_path):
    entries = load_baseline(
        write(
            tmp_path,
            EXPIRED
            + """
[[accepted]]
rule = "color-contrast"
page = "*"
target = ".caption"
reason = "Brand colour"
expires = 2027-01-31
""",
        )
    )
    first, second = contrast_result(), contrast_result(path="/serious-case-reviews/child-c/")
    for result in (first, second, first):  # the same result twice must change nothing
        accept_known(result, entries, TODAY)
    assert [len(r["nodes"]) for r in first.accepted] == [1]
    assert [n["target"] for n in first.violations[0]["nodes"]] == [["footer > p"]]
    assert [entry.matches for entry in entries] == [2, 2]  # footer nodes; caption nodes
    baseline_of_run([first, second], entries, path=None, today=TODAY)  # already applied: no-op
    assert [entry.matches for entry in entries] == [2, 2]
    outcome = baseline_outcome(entries, path="b.toml", today=TODAY, complete_run=True)
    assert [entry.reason for entry in outcome.expired] == ["Was to be fixed by November"]
    assert outcome.stale == [] and outcome.path == "b.toml"


def test_entry_matching_nothing_is_stale_but_only_on_a_full_run(tmp_path):
    text = """
[[accepted]]
rule = "image-alt"
page = "/"
reason = "Fixed long ago"
expires = 2027-06-30
"""
    result = contrast_result()
    full = baseline_of_run([result], load_baseline(write(tmp_path, text)), path=None, today=TODAY)
    assert [entry.rule for entry in full.stale] == ["image-alt"]
    partial = baseline_of_run(
        [contrast_result()],
        load_baseline(write(tmp_path, text)),
        path=None,
        today=TODAY,
        complete_run=False,
    )
    assert partial.stale == [] and not partial.stale_checked


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[accepted]\nrule=", "not valid TOML"),
        ('[[accepted]]\nrule = "x"\npage = "/"\nexpires = 2027-01-01\n', "missing reason"),
        ('[[accepted]]\nrule = "x"\npage = "/"\nreason = "r"\nexpires = "soon"\n', "TOML date"),
    ],
)
def test_broken_baseline_is_refused_with_a_reason(tmp_path, text, message):
    with pytest.raises(BaselineError, match=message):
        load_baseline(write(tmp_path, text))


ENTRY = 'rule = "x"\npage = "/"\nreason = "r"\nexpires = 2027-01-01\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[accepted]]\nrule = 5\npage = "/"\nreason = "r"\nexpires = 2027-01-01\n',
            "entry 1: rule must be a non-empty string, not 5",
        ),
        (
            "[[accepted]]\n" + ENTRY + '[[accepted]]\nrule = "x"\npage = ["/a"]\nreason = "r"\n'
            "expires = 2027-01-01\n",
            r"entry 2: page must be a non-empty string, not \['/a'\]",
        ),
        ("[[accepted]]\n" + ENTRY + 'target = ""\n', "entry 1: target must be a non-empty string"),
        ("[[accepted]]\n" + ENTRY.replace('"r"', '"  "'), "entry 1: reason must be a non-empty"),
        ("[accepted]\n" + ENTRY, r"accepted must be an array of tables, written \[\[accepted\]\]"),
        ('accepted = "oops"\n', "accepted must be an array of tables"),
        ('accepted = ["oops"]\n', r"entry 1: must be a table under \[\[accepted\]\]"),
    ],
    ids=[
        "rule-int",
        "page-list",
        "empty-target",
        "blank-reason",
        "single-table",
        "string",
        "array",
    ],
)
def test_wrongly_typed_baseline_is_refused_naming_file_and_entry(tmp_path, text, message):
    with pytest.raises(BaselineError, match=message) as refused:
        load_baseline(write(tmp_path, text))
    assert str(tmp_path / "baseline.toml") in str(refused.value)


def test_baseline_that_is_not_utf8_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "baseline.toml"
    path.write_bytes(("[[accepted]]\n" + ENTRY.replace('"r"', '"Caf\u00e9"')).encode("latin-1"))
    with pytest.raises(BaselineError, match="not UTF-8") as refused:
        load_baseline(path)
    assert str(path) in str(refused.value)


def test_misspelt_key_is_refused_instead_of_widening_the_entry(tmp_path):
    with pytest.raises(
        BaselineError,
        match=r"entry 1: unknown key 'selector' \(allowed: rule, "
        r"page, document, target, viewport, reason, expires\)",
    ):
        load_baseline(write(tmp_path, "[[accepted]]\n" + ENTRY + 'selector = "#x"\n'))
    with pytest.raises(BaselineError, match="unknown key 'acepted'"):
        load_baseline(write(tmp_path, "[[acepted]]\n" + ENTRY))


def test_viewport_must_be_a_name_the_audit_uses(tmp_path):
    for wrong in ("Mobile", "320X640", "0320x640", "tablet"):
        with pytest.raises(BaselineError, match=f"entry 1: viewport '{wrong}' .* 320x640"):
            load_baseline(write(tmp_path, f'[[accepted]]\n{ENTRY}viewport = "{wrong}"\n'))
    text = (
        '[[accepted]]\nrule = "color-contrast"\npage = "*"\nreason = "r"\n'
        'expires = 2027-01-01\nviewport = "{}"\n'
    )
    for name in ("desktop", "mobile", "320x640"):
        assert load_baseline(write(tmp_path, text.format(name)))[0].viewport == name
    custom = contrast_result(viewport=parse_viewport("320X640"))
    baseline_of_run(
        [custom], load_baseline(write(tmp_path, text.format("320x640"))), path=None, today=TODAY
    )
    assert custom.status == "passed"


def test_missing_baseline_file_is_refused(tmp_path):
    with pytest.raises(BaselineError, match="cannot read baseline"):
        load_baseline(tmp_path / "nope.toml")


def test_default_baseline_accepts_only_the_demo_reports_pdf_checks():
    entries = load_baseline(DEFAULT_BASELINE)
    # No page finding is accepted; the demo's stand-in report PDF waits for a tagged version.
    assert all(entry.page is None for entry in entries)
    assert {entry.document for entry in entries} == {"*/child-b-serious-case-review*.pdf"}
    assert {entry.rule for entry in entries} == {
        "pdf-tagged",
        "pdf-title-shown",
        "pdf-fonts-embedded",
    }
