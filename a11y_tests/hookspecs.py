"""Hooks of the audit's pytest entry, for the project whose site it audits."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.hookspec(firstresult=True)
def pytest_a11y_start_site(config: pytest.Config) -> tuple[str, str, Callable[[], None]] | None:
    """Start a site to audit when neither ``--cms-url`` nor ``--frontend-url`` is given.

    Return ``(cms_url, frontend_url, stop)``: ``stop()`` is called once the session ends. Raise
    RuntimeError or OSError when the site cannot start; the audit reports it as a failing test.
    """
