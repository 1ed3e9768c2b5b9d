"""pytest entry of the audit: one test per published page × viewport.

The site under test comes from ``--cms-url``/``--frontend-url`` (or ``A11Y_CMS_URL`` /
``A11Y_FRONTEND_URL``); without them, from a plugin implementing ``pytest_a11y_start_site``
(:mod:`a11y_tests.hookspecs`); this project's test suite registers one that starts its CMS and
frontend with the demo content. Pages are discovered at collection time, so test ids show path
and viewport. With
``A11Y_REPORT_DIR`` (or ``--a11y-report-dir``) set, the JSON, JUnit and HTML reports of the
session are written there, as the CLI would.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from a11y_tests import hookspecs
from a11y_tests.baseline import BaselineError, BaselineOutcome, baseline_outcome, load_baseline
from a11y_tests.config import DEFAULT_BASELINE, AuditSettings
from a11y_tests.discover import DiscoveryError, discover
from a11y_tests.report import RunInfo, build_document, write_reports
from a11y_tests.workers import AuditWorker

NO_SITE = (
    "no site to audit: pass --cms-url and --frontend-url (or set A11Y_CMS_URL and "
    "A11Y_FRONTEND_URL) to audit a running site, or register a pytest plugin that implements "
    "pytest_a11y_start_site (a11y_tests/hookspecs.py) to start one"
)


def pytest_addhooks(pluginmanager):
    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser):
    group = parser.getgroup("a11y", "accessibility audit")
    group.addoption(
        "--cms-url",
        default=os.environ.get("A11Y_CMS_URL"),
        help="CMS to discover pages from (default: the site a plugin starts)",
    )
    group.addoption(
        "--frontend-url",
        default=os.environ.get("A11Y_FRONTEND_URL"),
        help="frontend to audit (default: the site a plugin starts)",
    )
    group.addoption(
        "--a11y-report-dir",
        default=os.environ.get("A11Y_REPORT_DIR"),
        help="write results.json, junit.xml and report.html here",
    )
    group.addoption(
        "--a11y-baseline", default=str(DEFAULT_BASELINE), help="TOML of accepted findings"
    )


class AuditSession:
    """What the whole test session shares: the site, its pages, the baseline and the results."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.cms_url = config.getoption("--cms-url")
        self.frontend_url = config.getoption("--frontend-url")
        self.stop_site: Callable[[], None] | None = None
        self.targets = []
        self.problem: str | None = None  # why nothing could be audited, shown as a failing test
        self.results = []
        self.settings = AuditSettings(screenshots=bool(config.getoption("--a11y-report-dir")))
        self.started_at = dt.datetime.now(dt.UTC).isoformat()
        self.today = dt.date.today()
        baseline = config.getoption("--a11y-baseline")
        self.baseline_path = Path(baseline) if baseline else None
        self.baseline_entries = []
        self.discovered = False

    def discover(self) -> None:
        if self.discovered:
            return
        self.discovered = True
        try:
            self.baseline_entries = load_baseline(self.baseline_path)
            if not (self.cms_url and self.frontend_url):
                self._start_site()
            self.targets = discover(self.cms_url, self.frontend_url).targets
        except (BaselineError, DiscoveryError, RuntimeError, OSError) as error:
            self.problem = str(error)

    def _start_site(self) -> None:
        site = self.config.hook.pytest_a11y_start_site(config=self.config)
        if site is None:
            raise DiscoveryError(NO_SITE)
        self.cms_url, self.frontend_url, self.stop_site = site

    def baseline_outcome(self) -> BaselineOutcome:
        """Stale and unused-but-expired entries can only be told apart after a complete run."""
        complete = len(self.results) == len(self.targets) * len(self.settings.viewports)
        return baseline_outcome(
            self.baseline_entries,
            path=str(self.baseline_path),
            today=self.today,
            complete_run=complete,
        )

    def finish(self, axe_version: str | None) -> None:
        report_dir = self.config.getoption("--a11y-report-dir")
        if report_dir and self.results and axe_version:
            baseline = self.baseline_outcome()
            document = build_document(
                self.results,
                baseline,
                RunInfo(
                    cms_url=self.cms_url,
                    frontend_url=self.frontend_url,
                    axe_version=axe_version,
                    started_at=self.started_at,
                    finished_at=dt.datetime.now(dt.UTC).isoformat(),
                    settings=self.settings,
                ),
            )
            write_reports(document, self.results, Path(report_dir), ["json", "junit", "html"])
        if self.stop_site is not None:
            self.stop_site()


def pytest_configure(config):
    config.a11y_session = AuditSession(config)


def pytest_unconfigure(config):
    session = getattr(config, "a11y_session", None)
    if session is not None:
        session.finish(getattr(config, "a11y_axe_version", None))


@pytest.fixture(scope="session")
def audit_session(request) -> AuditSession:
    return request.config.a11y_session


@pytest.fixture(scope="session")
def audit_worker(request, audit_session):
    """One browser for every page of the session."""
    worker = AuditWorker(audit_session.settings)
    yield worker
    if worker.driver is not None and audit_session.results:
        request.config.a11y_axe_version = worker.axe_version()
    worker.close()
