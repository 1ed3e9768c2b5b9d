"""Each settings module starts (or refuses to) the way its environment needs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def django_settings(module, env, expression):
    """Evaluate ``expression`` against ``module`` in a fresh interpreter with exactly ``env``."""
    script = (
        "import django, os; django.setup(); from django.conf import settings; "
        f"print(repr({expression}))"
    )
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "FRONTEND_URL", "CMS_URL", "CMS_BASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = django_settings("cms.settings.production", {}, "settings.DEBUG")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment" in result.stderr


def test_production_starts_with_a_secret_key_and_is_not_debug():
    result = django_settings(
        "cms.settings.production",
        {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "cms.example.org"},
        "(settings.DEBUG, settings.ALLOWED_HOSTS)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(False, ['cms.example.org'])"


def test_sqlite_is_the_embedded_default():
    result = django_settings("cms.settings.dev", {}, "settings.DATABASES['default']['ENGINE']")
    assert result.stdout.strip() == "'django.db.backends.sqlite3'"


def test_database_url_switches_to_postgresql():
    result = django_settings(
        "cms.settings.dev",
        {"DATABASE_URL": "postgres://editor@db.internal:5432/reviews"},
        "(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])",
    )
    assert result.stdout.strip() == "('django.db.backends.postgresql', 'reviews')"


def test_frontend_url_drives_preview_and_view_live():
    result = django_settings(
        "cms.settings.dev",
        {"FRONTEND_URL": "https://reviews.example.org/"},
        "(settings.WAGTAIL_HEADLESS_PREVIEW['CLIENT_URLS']['default'],"
        " settings.WAGTAIL_HEADLESS_PREVIEW['SERVE_BASE_URL'])",
    )
    assert (
        result.stdout.strip()
        == "('https://reviews.example.org/preview', 'https://reviews.example.org')"
    )


BASE_URLS = "(settings.WAGTAILADMIN_BASE_URL, settings.WAGTAILAPI_BASE_URL)"


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "http://localhost:8000"),
        # What `make run CMS_PORT=8123` exports, for the frontend and the CMS alike.
        ({"CMS_URL": "http://localhost:8123/"}, "http://localhost:8123"),
        # The test and benchmark servers override it for the CMS alone.
        (
            {"CMS_URL": "http://localhost:8000", "CMS_BASE_URL": "http://127.0.0.1:8765"},
            "http://127.0.0.1:8765",
        ),
    ],
)
@pytest.mark.parametrize("module", ["cms.settings.dev", "cms.settings.production"])
def test_cms_url_drives_the_admin_and_api_base_url(module, env, expected):
    result = django_settings(module, {"SECRET_KEY": "x" * 50, **env}, BASE_URLS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr((expected, expected))


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
