"""pytest plugin: the project's own site for the audit's pytest entry (``pytest a11y_tests``).

Registered in pyproject.toml's pytest ``addopts``. When no ``--cms-url``/``--frontend-url`` is
given, the audit asks for a site through ``pytest_a11y_start_site``; this starts the CMS (demo
content, fresh SQLite) and the frontend (``tests/stack.py``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.a11y.site import free_port_in_range
from tests.stack import start_cms, start_frontend

CMS_PORTS = range(8350, 8400)
FRONTEND_PORTS = range(5350, 5400)


# Optional: the hook is declared by the audit's entry, which only loads when a11y_tests is run.
@pytest.hookimpl(optionalhook=True)
def pytest_a11y_start_site(config):
    workdir = Path(tempfile.mkdtemp(prefix="a11y-stack-"))
    frontend_port = free_port_in_range(FRONTEND_PORTS)
    frontend_url = f"http://127.0.0.1:{frontend_port}"
    cms = start_cms(
        workdir, port=free_port_in_range(CMS_PORTS), extra_env={"FRONTEND_URL": frontend_url}
    )
    try:
        frontend = start_frontend(port=frontend_port, cms_url=cms.url)
    except BaseException:
        cms.stop()
        raise

    def stop() -> None:
        frontend.stop()
        cms.stop()

    return cms.url, frontend_url, stop
