"""Fixtures for the page model, block, admin and demo content tests."""

import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(db):
    """The demo content, built the way `make run` builds it."""
    call_command("load_demo_content", stdout=io.StringIO())
