"""Every published page at every viewport passes the audit (baseline applied)."""

from __future__ import annotations

import pytest

from a11y_tests.baseline import accept_known
from a11y_tests.report.schema import ResultRow
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
        ids=[
            f"{target.path}@{viewport.name}" for target in session.targets for viewport in viewports
        ],
    )


def test_page(audit_session, audit_worker, audit_target, viewport):
    if audit_target is None:
        pytest.fail(f"cannot discover the pages to audit: {audit_session.problem}")
    result = audit_worker.audit(audit_target, viewport)
    accept_known(result, audit_session.baseline_entries, audit_session.today)
    audit_session.results.append(result)
    if result.status != "passed":
        pytest.fail(
            f"{result.target.url} at {viewport.label}:\n"
            + describe_entry(ResultRow.of(result).to_json()),
            pytrace=False,
        )


def test_baseline_has_no_expired_entries_still_in_use(audit_session):
    """Runs after the pages: an expired entry fails while its finding is still there (or while
    the run was partial and cannot tell)."""
    audit_session.discover()
    expired = audit_session.baseline_outcome().expired
    assert not expired, "expired baseline entries (fix the finding or renew with a reason):\n" + (
        "\n".join(f"{e.rule} on {e.page}, expired {e.expires}: {e.reason}" for e in expired)
    )
