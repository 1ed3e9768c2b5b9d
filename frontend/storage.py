"""What every gunicorn worker of the frontend shares: stored API answers, path versions,
the revalidation calls already received and the state of the CMS's circuit breaker.

By default all of it lives in SQLite files in ``CACHE_DIR``, so the workers of one machine
share it. With ``REDIS_URL`` set, the answers, the path versions and the calls received live
in Redis instead, so every instance of the frontend shares them: a revalidation reaching any
instance counts for all of them, and a new instance starts with what the others stored.
Its keys, all under ``REDIS_KEY_PREFIX`` (P):

* ``P:http:…``: hishel's stored answers (``idx:<cache key>``; ``entry:``, ``stream:``,
  ``stream_done:<id>``), each kept ``API_STALE_IF_ERROR_SECONDS`` after it is stored;
* ``P:path-versions``: a hash, frontend path → version (never expires: Redis must not evict
  keys without an expiry, so use ``maxmemory-policy volatile-lru`` or ``noeviction``);
* ``P:not-found:<path>``: a set of that path's cache keys the CMS last answered "not found";
* ``P:revalidation-signature:<signature>``: until the call is too old to be accepted anyway.

The circuit breaker's state stays per machine either way (``CircuitState``).

When Redis does not answer, pages are fetched from the CMS without the cache and
revalidation calls are refused (``RedisGate``); ``open_storage`` decides where it all lives.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import hishel
import pybreaker
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

T = TypeVar("T")


class SharedStateUnavailable(Exception):
    """The shared state (Redis) did not answer, or failed a moment ago and is left alone."""


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

    def is_not_found(self, path: str, key: str) -> bool:
        row = self._database.connection().execute(
            "SELECT 1 FROM not_found WHERE key = ? AND path = ?", (key, path)
        )
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

    pybreaker's own storages are memory (one process) and Redis. It stays in this machine's
    SQLite file even with ``REDIS_URL`` set: each machine learns that the CMS is down within
    a few calls, and a breaker kept in Redis would stop protecting the site exactly when
    Redis fails too (pybreaker's Redis storage then reads the circuit as closed).
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


class RedisGate:
    """Every command for the revalidation state goes through here. When Redis fails, it is
    left alone for ``retry_seconds`` (a pybreaker circuit in this process), so no request
    waits for a Redis that is down more than once in that time; the failure is logged once.
    """

    def __init__(self, client: redis.Redis, *, retry_seconds: float):
        self.client = client
        kwargs = client.connection_pool.connection_kwargs
        # Host, port and database only: the URL may carry a password.
        where = kwargs.get("path") or f"{kwargs.get('host')}:{kwargs.get('port')}"
        self.where = f"{where}/{kwargs.get('db', 0)}"
        self._breaker = pybreaker.CircuitBreaker(
            fail_max=1,
            reset_timeout=retry_seconds,
            # A bug in a command is not Redis being down.
            exclude=[lambda error: not isinstance(error, redis.RedisError)],
            listeners=[_LogRedisBack(self.where)],
            # Re-raise the RedisError itself: it says this call found Redis down.
            throw_new_error_on_trip=False,
            name="redis",
        )

    def run(self, command: Callable[[redis.Redis], T]) -> T:
        """``command(client)``'s result; ``SharedStateUnavailable`` if Redis fails or has
        failed within the last ``retry_seconds``."""
        try:
            return self._breaker.call(command, self.client)
        except redis.RedisError as error:
            log.warning(
                "Redis at %s unavailable (%s: %s): pages come from the CMS without the cache, "
                "and revalidation calls are refused, until it answers (next try in %s s)",
                self.where,
                type(error).__name__,
                error,
                self._breaker.reset_timeout,
            )
            raise SharedStateUnavailable(f"Redis at {self.where} is unavailable") from error
        except pybreaker.CircuitBreakerError as error:
            raise SharedStateUnavailable(f"Redis at {self.where} is unavailable") from error


class _LogRedisBack(pybreaker.CircuitBreakerListener):
    def __init__(self, where: str):
        self.where = where

    def state_change(self, cb, old_state, new_state) -> None:
        if new_state.name == pybreaker.STATE_CLOSED and old_state is not None:
            log.warning("Redis at %s answers again: the shared cache is in use", self.where)


class RedisPathVersions:
    """``PathVersions`` in Redis, shared by every instance."""

    def __init__(self, gate: RedisGate, prefix: str, *, not_found_ttl: int):
        self._gate = gate
        self._versions_key = f"{prefix}:path-versions"
        self._not_found_prefix = f"{prefix}:not-found:"
        # No stored copy outlives this, so nor need the "not found" records standing in for one.
        self._not_found_ttl = not_found_ttl

    def version(self, path: str) -> int:
        return int(self._gate.run(lambda client: client.hget(self._versions_key, path)) or 0)

    def bump(self, paths: list[str]) -> None:
        def bump(client: redis.Redis) -> None:
            with client.pipeline(transaction=True) as pipe:
                for path in paths:
                    pipe.hincrby(self._versions_key, path, 1)
                # The keys they were recorded for carry the old version.
                pipe.delete(*(self._not_found_prefix + path for path in paths))
                pipe.execute()

        self._gate.run(bump)

    def mark_not_found(self, path: str, key: str) -> None:
        def mark(client: redis.Redis) -> None:
            with client.pipeline(transaction=True) as pipe:
                pipe.sadd(self._not_found_prefix + path, key)
                pipe.expire(self._not_found_prefix + path, self._not_found_ttl)
                pipe.execute()

        self._gate.run(mark)

    def is_not_found(self, path: str, key: str) -> bool:
        return bool(
            self._gate.run(lambda client: client.sismember(self._not_found_prefix + path, key))
        )


class RedisSeenSignatures:
    """``SeenSignatures`` in Redis: a call is accepted once, whichever instance it reaches."""

    def __init__(self, gate: RedisGate, prefix: str):
        self._gate = gate
        self._prefix = f"{prefix}:revalidation-signature:"

    def first_sighting(self, signature: str, expires_at: float) -> bool:
        """Record ``signature`` until ``expires_at`` (unix time); False if it was already there."""
        return bool(
            self._gate.run(
                lambda client: client.set(
                    self._prefix + signature, 1, nx=True, exat=math.ceil(expires_at)
                )
            )
        )


@dataclass(frozen=True)
class SharedStorage:
    """Where the workers' shared state lives; every worker process opens the same."""

    answers: hishel.BaseStorage
    versions: PathVersions | RedisPathVersions
    signatures: SeenSignatures | RedisSeenSignatures
    circuit: CircuitState


def open_storage(config: Mapping) -> SharedStorage:
    """The shared storage as the app's ``config`` sets it: Redis at ``REDIS_URL`` when set,
    otherwise SQLite files in ``CACHE_DIR`` (a fresh temporary folder when unset), shared by
    the workers of one machine. The circuit's state is always in ``CACHE_DIR``.

    Nothing here connects to Redis: a frontend whose Redis is down still starts.
    """
    cache_dir = Path(config["CACHE_DIR"] or tempfile.mkdtemp(prefix="frontend-cache-"))
    cache_dir.mkdir(parents=True, exist_ok=True)
    circuit = CircuitState(cache_dir / "cms-circuit.sqlite3")
    # Entries outlive their freshness by this much, so there is something to serve stale.
    keep_seconds = config["API_STALE_IF_ERROR_SECONDS"]
    if config["REDIS_URL"]:
        gate = RedisGate(_redis_client(config), retry_seconds=config["REDIS_RETRY_SECONDS"])
        prefix = config["REDIS_KEY_PREFIX"]
        return SharedStorage(
            answers=hishel.RedisStorage(
                gate.client, default_ttl=keep_seconds, key_prefix=f"{prefix}:http"
            ),
            versions=RedisPathVersions(gate, prefix, not_found_ttl=keep_seconds),
            signatures=RedisSeenSignatures(gate, prefix),
            circuit=circuit,
        )
    return SharedStorage(
        answers=hishel.SqliteStorage(
            database_path=cache_dir / "api-cache.sqlite3", default_ttl=keep_seconds
        ),
        versions=PathVersions(cache_dir / "path-versions.sqlite3"),
        signatures=SeenSignatures(cache_dir / "revalidation-signatures.sqlite3"),
        circuit=circuit,
    )


def _redis_client(config: Mapping) -> redis.Redis:
    """A client for ``REDIS_URL`` that gives up quickly: a Redis that is down costs a request
    at most two timeouts (a retry covers a connection Redis closed since it was last used)."""
    timeout = config["REDIS_TIMEOUT_SECONDS"]
    try:
        return redis.Redis.from_url(
            config["REDIS_URL"],
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 1),
        )
    except ValueError as error:
        raise RuntimeError(
            f"REDIS_URL must be a Redis URL, like redis://127.0.0.1:6379/0 ({error})"
        ) from None
