"""What every gunicorn worker of the frontend shares: stored API answers, path versions,
the revalidation calls already received and the state of the CMS's circuit breaker.

All of it lives in SQLite files in ``CACHE_DIR``, so the workers of one machine share it;
``open_storage`` decides where it lives.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import hishel
import pybreaker


class SqliteFile:
    """One SQLite database file, opened once per thread (connections must not be shared)."""

    def __init__(self, path: Path, schema: str):
        self._path = str(path)
        self._local = threading.local()
        self.connection().executescript(schema)

    def connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._path, timeout=5, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            self._local.connection = connection
        return connection


class PathVersions:
    """Per frontend path: how many times it has been revalidated (its version), and the
    cache keys of this version that the CMS last answered "not found" for."""

    def __init__(self, database_path: Path):
        self._database = SqliteFile(
            database_path,
            "CREATE TABLE IF NOT EXISTS path_versions "
            "(path TEXT PRIMARY KEY, version INTEGER NOT NULL);"
            "CREATE TABLE IF NOT EXISTS not_found (key TEXT PRIMARY KEY, path TEXT NOT NULL);"
            "CREATE INDEX IF NOT EXISTS not_found_path ON not_found (path);",
        )

    def version(self, path: str) -> int:
        row = (
            self._database.connection()
            .execute("SELECT version FROM path_versions WHERE path = ?", (path,))
            .fetchone()
        )
        return row[0] if row else 0

    def bump(self, paths: list[str]) -> None:
        connection = self._database.connection()
        connection.executemany(
            "INSERT INTO path_versions (path, version) VALUES (?, 1) "
            "ON CONFLICT(path) DO UPDATE SET version = version + 1",
            [(path,) for path in paths],
        )
        # The keys they were recorded for carry the old version: nothing will ask for them again.
        connection.executemany("DELETE FROM not_found WHERE path = ?", [(path,) for path in paths])

    def mark_not_found(self, path: str, key: str) -> None:
        self._database.connection().execute(
            "INSERT OR IGNORE INTO not_found (key, path) VALUES (?, ?)", (key, path)
        )

    def is_not_found(self, key: str) -> bool:
        row = self._database.connection().execute("SELECT 1 FROM not_found WHERE key = ?", (key,))
        return row.fetchone() is not None


class SeenSignatures:
    """The signatures of the revalidation calls received, each kept until it expires: a call
    is accepted once, whichever worker it reaches."""

    def __init__(self, database_path: Path):
        self._database = SqliteFile(
            database_path,
            "CREATE TABLE IF NOT EXISTS seen_signatures "
            "(signature TEXT PRIMARY KEY, expires_at REAL NOT NULL);",
        )

    def first_sighting(self, signature: str, expires_at: float) -> bool:
        """Record ``signature`` until ``expires_at`` (unix time); False if it was already there."""
        connection = self._database.connection()
        connection.execute("DELETE FROM seen_signatures WHERE expires_at < ?", (time.time(),))
        inserted = connection.execute(
            "INSERT OR IGNORE INTO seen_signatures (signature, expires_at) VALUES (?, ?)",
            (signature, expires_at),
        )
        return inserted.rowcount == 1


class CircuitState(pybreaker.CircuitBreakerStorage):
    """The CMS circuit breaker's state, shared by every worker: when the CMS fails, they all
    stop asking it, and one trial call decides for all of them when it is back.

    pybreaker's own storages are memory (one process) and Redis.
    """

    def __init__(self, database_path: Path, name: str = "cms"):
        super().__init__(name)
        self._database = SqliteFile(
            database_path,
            "CREATE TABLE IF NOT EXISTS circuit (name TEXT PRIMARY KEY, state TEXT NOT NULL, "
            "failures INTEGER NOT NULL, successes INTEGER NOT NULL, opened_at REAL);",
        )
        self._database.connection().execute(
            "INSERT OR IGNORE INTO circuit VALUES (?, ?, 0, 0, NULL)",
            (name, pybreaker.STATE_CLOSED),
        )

    def _read(self, column: str):
        return (
            self._database.connection()
            .execute(f"SELECT {column} FROM circuit WHERE name = ?", (self.name,))
            .fetchone()[0]
        )

    def _write(self, assignment: str, *values) -> None:
        self._database.connection().execute(
            f"UPDATE circuit SET {assignment} WHERE name = ?", (*values, self.name)
        )

    @property
    def state(self) -> str:
        return self._read("state")

    @state.setter
    def state(self, state: str) -> None:
        self._write("state = ?", state)

    def increment_counter(self) -> None:
        self._write("failures = failures + 1")

    def reset_counter(self) -> None:
        # Every successful call resets the count: only write when there is something to reset.
        self._database.connection().execute(
            "UPDATE circuit SET failures = 0 WHERE name = ? AND failures != 0", (self.name,)
        )

    def increment_success_counter(self) -> None:
        self._write("successes = successes + 1")

    def reset_success_counter(self) -> None:
        self._write("successes = 0")

    @property
    def counter(self) -> int:
        return self._read("failures")

    @property
    def success_counter(self) -> int:
        return self._read("successes")

    @property
    def opened_at(self) -> datetime | None:
        opened_at = self._read("opened_at")
        return None if opened_at is None else datetime.fromtimestamp(opened_at, UTC)

    @opened_at.setter
    def opened_at(self, moment: datetime) -> None:
        self._write("opened_at = ?", moment.timestamp())


@dataclass(frozen=True)
class SharedStorage:
    """Where the workers' shared state lives; every worker process opens the same."""

    answers: hishel.BaseStorage
    versions: PathVersions
    signatures: SeenSignatures
    circuit: CircuitState


def open_storage(config: Mapping) -> SharedStorage:
    """The shared storage as the app's ``config`` sets it: SQLite files in ``CACHE_DIR``
    (a fresh temporary folder when unset), shared by the workers of one machine."""
    cache_dir = Path(config["CACHE_DIR"] or tempfile.mkdtemp(prefix="frontend-cache-"))
    cache_dir.mkdir(parents=True, exist_ok=True)
    return SharedStorage(
        # Entries outlive their freshness by this much, so there is something to serve stale.
        answers=hishel.SqliteStorage(
            database_path=cache_dir / "api-cache.sqlite3",
            default_ttl=config["API_STALE_IF_ERROR_SECONDS"],
        ),
        versions=PathVersions(cache_dir / "path-versions.sqlite3"),
        signatures=SeenSignatures(cache_dir / "revalidation-signatures.sqlite3"),
        circuit=CircuitState(cache_dir / "cms-circuit.sqlite3"),
    )
