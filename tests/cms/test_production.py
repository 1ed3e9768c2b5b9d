"""Production settings against the real services they are deployed with: PostgreSQL and Redis.

These run in `make test-postgres` (and so in CI), where DATABASE_URL points at PostgreSQL.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs DATABASE_URL=postgres://…; runs in `make test-postgres`",
)


@pytest.fixture
def production_database():
    """A scratch PostgreSQL database on the same server, created and dropped around the test."""
    import dj_database_url
    import psycopg

    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = "case_reviews_production_check"
    admin = psycopg.connect(
        host=server["HOST"],
        port=server["PORT"] or 5432,
        user=server["USER"],
        dbname=server["NAME"],
        autocommit=True,
    )
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    yield f"postgres://{server['USER']}@{server['HOST']}:{server['PORT'] or 5432}/{name}"
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


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
