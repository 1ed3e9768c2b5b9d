"""`make run` uses secrets made at random for this checkout, never a published default."""

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from cms.dev_secrets import checkout_secret

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_a_secret_is_made_once_and_kept(tmp_path):
    first = checkout_secret("secret-key", tmp_path)
    assert len(first) >= 50
    assert checkout_secret("secret-key", tmp_path) == first
    assert stat.S_IMODE((tmp_path / "secret-key").stat().st_mode) == 0o600


def test_each_checkout_and_each_name_gets_its_own(tmp_path):
    assert checkout_secret("secret-key", tmp_path / "a") != checkout_secret(
        "secret-key", tmp_path / "b"
    )
    assert checkout_secret("secret-key", tmp_path) != checkout_secret("revalidate-secret", tmp_path)


def test_processes_starting_together_agree_on_one_secret(tmp_path):
    with ThreadPoolExecutor(8) as pool:
        values = set(pool.map(lambda _: checkout_secret("shared", tmp_path), range(32)))
    assert len(values) == 1
    assert values.pop()


def test_development_settings_use_the_checkout_secrets():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "REVALIDATE_SECRET")}
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    script = (
        "from django.conf import settings; from cms.dev_secrets import checkout_secret; "
        "print(settings.SECRET_KEY == checkout_secret('secret-key'), "
        "settings.REVALIDATE_SECRET == checkout_secret('revalidate-secret'), "
        "'dev-only' in settings.SECRET_KEY + settings.REVALIDATE_SECRET)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "False"]


def test_make_run_hands_the_checkout_secret_to_both_servers():
    dry_run = subprocess.run(
        ["make", "-n", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "REVALIDATE_SECRET"},
    )
    assert "cms.dev_secrets revalidate-secret" in dry_run.stdout
    assert "dev-only" not in dry_run.stdout


def test_an_empty_revalidation_secret_turns_revalidation_off():
    """`make run` loads the demo before the frontend runs, with REVALIDATE_SECRET set empty."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "REVALIDATE_SECRET": ""}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from django.conf import settings; print(repr(settings.REVALIDATE_SECRET))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "''", result.stderr
