"""manage.py import_audit: a report directory's results.json and screenshots, or a clear no."""

import json
import re
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from a11y_tests.config import MOBILE
from audits.models import AuditRun, AuditScreenshot
from tests.audits.documents import JPEG, both_viewports, document, result, rule
from tests.stack import REPO_ROOT


def report_dir(tmp_path, doc, screenshots=True):
    (tmp_path / "screenshots").mkdir()
    for row in doc["results"]:
        if row["screenshot"] and screenshots:
            (tmp_path / row["screenshot"]).write_bytes(JPEG)
    (tmp_path / "results.json").write_text(json.dumps(doc))
    return tmp_path / "results.json"


def site_audit():
    return document(
        [
            *both_viewports("/"),
            result("/serious-case-reviews/child-b/", MOBILE, violations=[rule()], screenshot=JPEG),
        ]
    )


def test_imports_the_run_and_the_screenshots_beside_it(demo, tmp_path, capsys):
    call_command("import_audit", str(report_dir(tmp_path, site_audit())))
    run = AuditRun.objects.get()
    assert run.source == "import" and run.complete
    assert bytes(AuditScreenshot.objects.get().image) == JPEG
    assert capsys.readouterr().out.strip() == (
        f"Imported run {run.pk} (complete site audit): 3 results of 2 pages, "
        "1 with problems, 0 not audited."
    )


def test_screenshots_may_be_read_from_elsewhere(demo, tmp_path):
    doc = site_audit()
    elsewhere = report_dir(tmp_path, doc).parent
    moved = tmp_path / "moved" / "results.json"
    moved.parent.mkdir()
    moved.write_text(json.dumps(doc))
    call_command("import_audit", str(moved), screenshots_dir=str(elsewhere))
    assert AuditScreenshot.objects.count() == 1


def test_a_run_whose_screenshots_are_missing_is_stored_without_them(demo, tmp_path):
    call_command("import_audit", str(report_dir(tmp_path, site_audit(), screenshots=False)))
    assert AuditRun.objects.count() == 1 and not AuditScreenshot.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{not json", "is not JSON"),
        (
            json.dumps({"schema": "a11y-audit/1", "results": []}),
            "nothing stored\n  (document): 'axe_version' is a required property",
        ),
    ],
    ids=["missing", "not-json", "not-results"],
)
def test_bad_input_stops_with_a_message_and_stores_nothing(db, tmp_path, content, message):
    path = tmp_path / "results.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_audit", str(path))
    assert not AuditRun.objects.exists()


def test_from_the_shell_bad_input_is_a_failing_exit_code_and_one_line(tmp_path):
    completed = subprocess.run(
        [sys.executable, "manage.py", "import_audit", str(tmp_path / "missing.json")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert completed.stderr == (
        f"CommandError: cannot read {tmp_path / 'missing.json'}: No such file or directory\n"
    )
