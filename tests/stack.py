"""Start the real CMS and the real frontend as subprocesses for integration tests.

Integration tests and the accessibility audit talk to both parts over HTTP,
exactly as in production, so each runs under gunicorn in its own process
group on 127.0.0.1. Stopping kills the whole group, so no worker outlives a
test session. Typical use::

    cms = start_cms(tmp_path, port=free_port())
    frontend = start_frontend(port=free_port(), cms_url=cms.url)
    ...
    frontend.stop()
    cms.stop()

``start_cms`` builds a fresh database in ``workdir`` (SQLite unless
``DATABASE_URL`` is given in ``extra_env``), loads the demo content and keeps
uploaded media in ``workdir/media`` so every process of the CMS sees the same
files. Output of each server goes to a log file (``Server.log_path``), quoted
in the error when a server fails to come up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
DEFAULT_REVALIDATE_SECRET = "dev-only-revalidate-secret"
STARTUP_TIMEOUT_SECONDS = 60


def free_port() -> int:
    """A TCP port nothing is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A gunicorn subprocess that can be stopped and started again on the same port."""

    def __init__(self, name: str, command: list[str], env: dict, port: int, log_path: Path):
        self.name = name
        self.command = command
        self.env = env
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                self.command,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own process group: stop() can reach gunicorn's workers too.
                start_new_session=True,
            )
        self._wait_until_answering()

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            # Workers may linger briefly after the arbiter exits; none survive.
            _stop_process_group(process)
            self._wait_until_port_free()

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self._log_tail()}")
            try:
                httpx.get(self.url + "/", timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer on {self.url}:\n{self._log_tail()}")

    def _wait_until_port_free(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.1)

    def _log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __repr__(self) -> str:
        return f"<Server {self.name} {self.url}>"


def _stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM the process and everything it started, SIGKILL what is left."""
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait(timeout=10)
    _signal_group(process, signal.SIGKILL)


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _gunicorn(app: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        GUNICORN,
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "60",
        "--graceful-timeout",
        "2",
    ]


def start_cms(
    workdir: Path, *, port: int, demo: bool = True, extra_env: dict | None = None
) -> Server:
    """Migrate a fresh database in ``workdir``, load the demo content, then serve the CMS.

    Uses ``cms.settings.dev`` (it honours ``MEDIA_ROOT`` from the environment, which
    the management commands and the server must share); ``extra_env`` may override
    ``DJANGO_SETTINGS_MODULE``, ``DATABASE_URL``, ``FRONTEND_URL`` and the rest.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "CMS_BASE_URL": url,
        "FRONTEND_URL": "http://127.0.0.1:5000",
        "REVALIDATE_SECRET": DEFAULT_REVALIDATE_SECRET,
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    log_path = workdir / "cms.log"
    commands = [["migrate", "--no-input"]] + ([["load_demo_content"]] if demo else [])
    for command in commands:
        with open(log_path, "ab") as log:
            result = subprocess.run(
                [PYTHON, "manage.py", *command],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=300,
            )
        if result.returncode != 0:
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-40:])
            raise RuntimeError(f"manage.py {' '.join(command)} failed:\n{tail}")
    server = Server("cms", _gunicorn("cms.wsgi", port, workers=2, threads=4), env, port, log_path)
    server.start()
    return server


def start_frontend(*, port: int, cms_url: str, extra_env: dict | None = None) -> Server:
    """Serve ``frontend:create_app()`` with gunicorn, reading content from ``cms_url``."""
    log_dir = Path(tempfile.mkdtemp(prefix="frontend-"))
    env = {
        **os.environ,
        "CMS_URL": cms_url.rstrip("/"),
        "REVALIDATE_SECRET": DEFAULT_REVALIDATE_SECRET,
        "FRONTEND_CACHE_DIR": str(log_dir / "cache"),
        # Each test frontend keeps its own cache unless a test shares one through Redis.
        "REDIS_URL": "",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    server = Server(
        "frontend",
        _gunicorn("frontend:create_app()", port, workers=2, threads=4),
        env,
        port,
        log_dir / "frontend.log",
    )
    server.start()
    return server


class Worker:
    """A ``manage.py db_worker`` subprocess (no port of its own), in its own process group."""

    def __init__(self, command: list[str], env: dict, log_path: Path):
        self.command = command
        self.env = env
        self.log_path = log_path
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            logged_before = log.tell()
            self._process = subprocess.Popen(
                self.command,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # It says so once it polls the queue.
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while "Starting worker" not in self._log_since(logged_before):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = "\n".join(self._log_since(logged_before).splitlines()[-40:])
                raise RuntimeError(f"worker did not start:\n{tail}")
            time.sleep(0.1)

    def _log_since(self, offset: int) -> str:
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            # The browser a task had started must not outlive the worker.
            _stop_process_group(process)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None


def start_worker(
    cms: Server, *, backend: str = "audits", name: str = "worker", extra_env: dict | None = None
) -> Worker:
    """Run the task worker of ``backend`` against ``cms``'s database, media and frontend, as
    ``make run`` does; ``extra_env`` may change them (e.g. ``A11Y_CHROMIUM``)."""
    env = {**cms.env, **(extra_env or {})}
    command = [
        PYTHON,
        "manage.py",
        "db_worker",
        "--backend",
        backend,
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.2",
        "--worker-id",
        name,
    ]
    worker = Worker(command, env, cms.log_path.with_name(f"{name}.log"))
    worker.start()
    return worker


@contextlib.contextmanager
def scratch_postgres_database(name: str):
    """A PostgreSQL database of its own, on the server ``DATABASE_URL`` names, dropped after;
    yields its URL."""
    import dj_database_url
    import psycopg

    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    port = server["PORT"] or 5432
    admin = psycopg.connect(
        host=server["HOST"], port=port, user=server["USER"], dbname=server["NAME"], autocommit=True
    )
    try:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
        yield f"postgres://{server['USER']}@{server['HOST']}:{port}/{name}"
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
