"""Every published page at every viewport passes the audit (baseline applied)."""

from __future__ import annotations

import datetime as dt

import pytest

from a11y_tests.baseline import apply_baseline
from a11y_tests.report import result_entry
from a11y_tests.report.text import describe_entry

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def pytest_generate_tests(metafunc):
    if "audit_target" not in metafunc.fixturenames:
        return
    session = metafunc.config.a11y_session
    session.discover()
    viewports = session.settings.viewports
    if session.problem:
        # A site that cannot be discovered is a failure to report, never an empty green run.
        metafunc.parametrize(("audit_target", "viewport"), [(None, None)], ids=["discovery"])
        return
    metafunc.parametrize(
        ("audit_target", "viewport"),
        [(target, viewport) for target in session.targets for viewport in viewports],
        ids=[f"{target.path}@{viewport.name}" for target in session.targets
             for viewport in viewports],
    )


def test_page(audit_session, audit_worker, audit_target, viewport):
    if audit_target is None:
        pytest.fail(f"cannot discover the pages to audit: {audit_session.problem}")
    result = audit_worker.audit(audit_target, viewport)
    apply_baseline([result], audit_session.baseline_entries, path=None, complete_run=False)
    audit_session.results.append(result)
    if result.status != "passed":
        pytest.fail(f"{result.target.url} at {viewport.label}:\n"
                    + describe_entry(result_entry(result)), pytrace=False)


def test_baseline_has_no_expired_entries(audit_session):
    audit_session.discover()
    expired = [entry for entry in audit_session.baseline_entries
               if entry.is_expired(dt.date.today())]
    assert not expired, "expired baseline entries (fix the finding or renew with a reason):\n" + (
        "\n".join(f"{e.rule} on {e.page}, expired {e.expires}: {e.reason}" for e in expired)
    )
