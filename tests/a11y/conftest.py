"""One fixture site and one browser session for the whole audit test module set."""

from __future__ import annotations

import pytest

from a11y_tests.config import AuditSettings
from a11y_tests.workers import AuditWorker
from tests.a11y.site import FixtureSite


@pytest.fixture(scope="session")
def fixture_site():
    site = FixtureSite().start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def audit_worker():
    """Shared across tests: starting Chromium costs seconds, and the audit reuses it too."""
    worker = AuditWorker(AuditSettings(screenshots=False))
    yield worker
    worker.close()
