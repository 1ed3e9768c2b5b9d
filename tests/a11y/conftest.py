"""One fixture site, one browser session and one real CMS + frontend for the whole audit test
module set."""

from __future__ import annotations

import pytest

from a11y_tests.config import AuditSettings
from a11y_tests.workers import AuditWorker
from tests.a11y.site import FixtureSite, free_port_in_range
from tests.stack import start_cms, start_frontend


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


@pytest.fixture(scope="session")
def cms_stack(tmp_path_factory):
    """The real CMS (demo content) and frontend, started once: tests that change content leave
    it as an editor would after fixing what they broke."""
    frontend_port = free_port_in_range(range(5340, 5350))
    frontend_url = f"http://127.0.0.1:{frontend_port}"
    cms = start_cms(
        tmp_path_factory.mktemp("cms"),
        port=free_port_in_range(range(8340, 8350)),
        extra_env={"FRONTEND_URL": frontend_url},
    )
    try:
        frontend = start_frontend(port=frontend_port, cms_url=cms.url)
    except BaseException:
        cms.stop()
        raise
    yield cms, frontend
    frontend.stop()
    cms.stop()
