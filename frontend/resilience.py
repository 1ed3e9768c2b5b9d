"""What keeps a hung or failing CMS from stalling the site.

* A circuit breaker (pybreaker): after ``fail_max`` failed calls in a row (refused, timed
  out, or answered 502, 503 or 504), no call is sent for ``reset_seconds``: readers get
  stored copies, or the 503 page, at once. Then one trial call goes through; if it
  succeeds the circuit closes, if not it stays open for another cool-down. The state is
  in the shared storage, so every worker stops asking (and starts again) together.
* A time budget per frontend request: its calls to the CMS together may take this long,
  each call's timeouts shrinking to what is left, so a page made of several calls never
  waits for several timeouts in a row.

Refused calls raise ``CmsCallRefused``, an ``httpx.TransportError``, so the cache answers
them as it answers a CMS that is down (frontend/cache.py).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

import httpx
import pybreaker

log = logging.getLogger(__name__)

# What the CMS, or the proxy in front of it, answers when it cannot serve at all. A 500 is
# left out: it is one page's bug, and must not stop the rest of the site being fetched.
FAILING_STATUSES = frozenset({502, 503, 504})

_deadline: ContextVar[float | None] = ContextVar("cms_deadline", default=None)


class CmsCallRefused(httpx.TransportError):
    """Not sent: the CMS's circuit is open, or this request has spent its time budget."""


class CmsFailing(Exception):
    """The CMS answered with one of ``FAILING_STATUSES``."""


def start_budget(seconds: float) -> None:
    """Give the current request ``seconds`` in all to wait for the CMS."""
    _deadline.set(time.monotonic() + seconds)


def end_budget(error: BaseException | None = None) -> None:
    """Lift the budget once the request is done (a Flask teardown function)."""
    _deadline.set(None)


class GuardedTransport(httpx.BaseTransport):
    """Sends requests on to the CMS through ``inner`` within the circuit breaker and the
    current request's time budget."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        circuit_state: pybreaker.CircuitBreakerStorage,
        *,
        fail_max: int,
        reset_seconds: float,
    ):
        self._inner = inner
        self._circuit_state = circuit_state
        self._breaker = pybreaker.CircuitBreaker(
            fail_max=fail_max,
            reset_timeout=reset_seconds,
            state_storage=circuit_state,
            listeners=[_LogStateChanges()],
            name="cms",
        )
        # At most one trial call at a time from this process once a cool-down is over.
        self._trial = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._shrink_timeouts_to_budget(request)
        trial = self._admit()
        try:
            return self._send(request)
        finally:
            if trial:
                self._trial.release()

    def close(self) -> None:
        self._inner.close()

    @staticmethod
    def _shrink_timeouts_to_budget(request: httpx.Request) -> None:
        deadline = _deadline.get()
        if deadline is None:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            raise CmsCallRefused("this request has spent its time budget for the CMS")
        timeouts = request.extensions.get("timeout", {})
        request.extensions["timeout"] = {
            name: left if seconds is None else min(seconds, left)
            for name, seconds in timeouts.items()
        }

    def _admit(self) -> bool:
        """Raise unless a call may be sent now; True when it is the trial after a cool-down.

        pybreaker holds a lock for the whole of each call it guards (its issue #55), which
        would queue every thread's call behind the slowest one; so the call is sent outside
        it, and only its outcome goes through the breaker (``_record``).
        """
        if self._breaker.current_state == pybreaker.STATE_CLOSED:
            return False
        opened_at = self._circuit_state.opened_at
        cool_down = timedelta(seconds=self._breaker.reset_timeout)
        cooled = opened_at is None or datetime.now(UTC) >= opened_at + cool_down
        if cooled and self._trial.acquire(blocking=False):
            self._breaker.half_open()
            return True
        raise CmsCallRefused("the CMS has been failing: not asking it until the cool-down ends")

    def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self._inner.handle_request(request)
        except httpx.TransportError as error:
            self._record(error)
            raise
        failing = response.status_code in FAILING_STATUSES
        self._record(CmsFailing(f"HTTP {response.status_code}") if failing else None)
        return response

    def _record(self, failure: Exception | None) -> None:
        """Count one call's outcome (None for a success): closes, opens or keeps the circuit."""

        def outcome():
            if failure is not None:
                raise failure

        # The breaker raises the failure again, or CircuitBreakerError when it opened on it:
        # the caller deals with the failure already.
        with contextlib.suppress(httpx.TransportError, CmsFailing, pybreaker.CircuitBreakerError):
            self._breaker.call(outcome)


class _LogStateChanges(pybreaker.CircuitBreakerListener):
    def state_change(self, cb, old_state, new_state) -> None:
        if new_state.name == pybreaker.STATE_OPEN:
            log.error(
                "CMS circuit open (%s): serving stored copies, trying the CMS again in %s s",
                "the trial call failed"
                if old_state is not None and old_state.name == pybreaker.STATE_HALF_OPEN
                else f"{cb.fail_max} failed calls in a row",
                cb.reset_timeout,
            )
        elif new_state.name == pybreaker.STATE_CLOSED and old_state is not None:
            log.warning("CMS circuit closed: the CMS answers again")
