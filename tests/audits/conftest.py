"""Fixtures for the audits app: the demo pages, a frontend that answers, a publishing token."""

import http.server
import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from audits.models import AuditPublishToken
from pages.models import GuidancePage, HomePage, ReviewIndexPage, ReviewPage
from tests.stack import REPO_ROOT


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo site, built once per module and rolled back after it (as in tests/api)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_content, db):
    cache.clear()  # Wagtail caches site root paths
    return {
        "home": HomePage.objects.get(),
        "index": ReviewIndexPage.objects.get(),
        "child_b": ReviewPage.objects.get(slug="child-b"),
        "family_a": ReviewPage.objects.get(slug="family-a"),
        "guidance": GuidancePage.objects.get(),
    }


class _Answering(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def answering_frontend(settings):
    """A frontend address that answers every request, so an audit gets as far as the browser."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answering)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FRONTEND_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield settings.FRONTEND_URL
    server.shutdown()
    server.server_close()


@pytest.fixture
def publish_token(db):
    """A token made the way the admin makes one: (model, the token itself)."""
    entry = AuditPublishToken(name="CI")
    token = entry.issue()
    entry.save()
    return entry, token


def run_in_cms(cms, source: str, *, timeout: float = 240, extra_env: dict | None = None):
    """Run ``source`` in a Django process of the stack ``cms`` (its database, settings and
    frontend); it prints one JSON line last, which is returned."""
    completed = subprocess.run(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{textwrap.dedent(source)}"],
        cwd=REPO_ROOT,
        env={**cms.env, **(extra_env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])
