"""Production settings against the real services they are deployed with: PostgreSQL and Redis.

These run in `make test-postgres` (and so in CI), where DATABASE_URL points at PostgreSQL.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.stack import scratch_postgres_database

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs DATABASE_URL=postgres://…; runs in `make test-postgres`",
)


@pytest.fixture
def production_database():
    """A scratch PostgreSQL database on the same server, created and dropped around the test."""
    with scratch_postgres_database("case_reviews_production_check") as url:
        yield url


def test_production_settings_migrate_and_serve_content_from_postgresql_and_redis(
    production_database,
):
    env = {
        **os.environ,
        "DATABASE_URL": production_database,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "production-check-" + "x" * 40,
        "ALLOWED_HOSTS": "cms.example.org",
        "REDIS_URL": REDIS_URL,
    }
    for command in (["migrate", "--noinput"], ["load_demo_content"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
    script = """
import django
django.setup()
from django.core.cache import cache, caches
from django.db import connection
from pages.models import ReviewPage
cache.set("production-check", "ok", 30)
assert cache.get("production-check") == "ok", "Redis cache did not round-trip"
print(connection.vendor, type(caches["default"]).__name__, ReviewPage.objects.live().count())
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["postgresql", "RedisCache", "2"]


def test_deploy_checks_pass_behind_https():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "production-check-" + "y" * 40,
        "ALLOWED_HOSTS": "cms.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def deploy_check(**environment):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "production-check-" + "z" * 40,
        "ALLOWED_HOSTS": "cms.example.org",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + result.stderr


def test_production_sends_hsts_and_redirects_to_https_by_default():
    report = deploy_check()
    assert "security.W004" not in report  # HSTS
    assert "security.W008" not in report  # SSL redirect
    assert "django_ratelimit" not in report


def test_https_settings_can_be_turned_off_only_explicitly():
    report = deploy_check(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")
    assert "security.W004" in report
    assert "security.W008" in report


def test_password_guess_limits_use_redis_in_production():
    """With Redis the rate limiter's own check runs unsilenced, and passes."""
    report = deploy_check(REDIS_URL=REDIS_URL)
    assert "django_ratelimit" not in report
    assert "ERRORS" not in report
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['shared']['BACKEND'], settings.SILENCED_SYSTEM_CHECKS)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "production-check-" + "z" * 40,
        "REDIS_URL": REDIS_URL,
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "[]"]
