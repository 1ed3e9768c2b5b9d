"""With REDIS_URL set, every instance of the frontend shares the cache and the revalidation
state through Redis; with Redis down, pages come from the CMS without the cache.

Each "instance" here is an app of its own with its own CACHE_DIR, so Redis is all they
share. They use the real Redis (``TEST_REDIS_URL``, database 14 by default), each test
under a key prefix of its own, deleted afterwards.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import time
import uuid

import httpx
import pytest
import redis

from tests.frontend.conftest import unit_test_app
from tests.frontend.test_revalidate_endpoint import signed_call
from tests.stack import free_port

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
REVIEW_PATH = "/serious-case-reviews/child-b/"
INDEX_PATH = "/serious-case-reviews/"


@contextlib.contextmanager
def scratch_redis_prefix(url: str = REDIS_URL):
    """A key prefix no one else uses on the test Redis; its keys are deleted afterwards."""
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"These tests need Redis at {url} (set TEST_REDIS_URL): {error}")
    prefix = f"test-frontend-{uuid.uuid4().hex[:12]}"
    try:
        yield prefix, client
    finally:
        stored = list(client.scan_iter(match=f"{prefix}:*"))
        if stored:
            client.delete(*stored)
        client.close()


@pytest.fixture
def shared_redis():
    with scratch_redis_prefix() as prefix_and_client:
        yield prefix_and_client


@pytest.fixture
def make_instance(fake_cms, tmp_path):
    """Apps that share nothing on disk: each is a frontend instance on a machine of its own."""
    apps = []

    def make(**settings):
        apps.append(unit_test_app(fake_cms, tmp_path / f"instance-{len(apps)}", **settings))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["cms"].close()


@pytest.fixture
def two_instances(make_instance, shared_redis):
    prefix, _ = shared_redis
    settings = {"REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix}
    return make_instance(**settings).test_client(), make_instance(**settings).test_client()


def revalidate(client, paths):
    body, headers = signed_call(paths)
    return client.post("/_revalidate", data=body, headers=headers)


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_new_instance_starts_with_what_another_stored(two_instances, fake_cms, shared_redis):
    first, second = two_instances
    assert first.get(REVIEW_PATH).status_code == 200
    assert fake_cms.paths_called() == ["/api/v3/pages/find/", "/api/v3/pages/5/"]
    fake_cms.calls.clear()
    response = second.get(REVIEW_PATH)
    assert response.status_code == 200
    assert "Child B: serious case review" in text(response)
    assert fake_cms.calls == []
    # hishel's entries, under the prefix: one index per versioned cache key.
    prefix, client = shared_redis
    assert len(list(client.scan_iter(match=f"{prefix}:http:idx:*"))) == 2


def test_a_revalidation_through_one_instance_counts_for_every_instance(
    two_instances, fake_cms, shared_redis
):
    first, second = two_instances
    for instance in (first, second):
        assert "Child B: serious case review" in text(instance.get(REVIEW_PATH))
    fake_cms.pages[REVIEW_PATH]["title"] = "Child B: changed in the CMS"
    assert revalidate(first, [REVIEW_PATH]).status_code == 200
    assert "Child B: changed in the CMS" in text(second.get(REVIEW_PATH))
    prefix, client = shared_redis
    assert client.hget(f"{prefix}:path-versions", REVIEW_PATH) == b"1"


def test_a_signed_call_is_accepted_by_one_instance_only(two_instances, shared_redis):
    first, second = two_instances
    body, headers = signed_call([REVIEW_PATH])
    assert first.post("/_revalidate", data=body, headers=headers).status_code == 200
    replay = second.post("/_revalidate", data=body, headers=headers)
    assert replay.status_code == 409
    # Remembered only while its timestamp would still be accepted (300 s).
    prefix, client = shared_redis
    [key] = client.scan_iter(match=f"{prefix}:revalidation-signature:*")
    assert 295 <= client.ttl(key) <= 301


def test_no_instance_serves_a_copy_from_before_another_revalidated_it(two_instances, fake_cms):
    """Not even while the CMS is down: the page may have been unpublished or deleted."""
    first, second = two_instances
    for instance in (first, second):
        assert instance.get(REVIEW_PATH).status_code == 200
        assert instance.get(INDEX_PATH).status_code == 200
    fake_cms.pages.pop(REVIEW_PATH)
    assert revalidate(first, [REVIEW_PATH, INDEX_PATH]).status_code == 200
    assert first.get(REVIEW_PATH).status_code == 404  # the CMS says so, and it is recorded
    fake_cms.failure = httpx.ConnectError("connection refused")
    # The other instance knows the CMS's last answer for the review...
    gone = second.get(REVIEW_PATH)
    assert gone.status_code == 404
    assert "Child B: serious case review" not in text(gone)
    # ...and has no copy of the index from after the revalidation: a 503, not the old copy.
    assert second.get(INDEX_PATH).status_code == 503


def test_with_redis_down_pages_come_from_the_cms_and_revalidations_are_refused(
    make_instance, fake_cms, caplog
):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    client = make_instance(REDIS_URL=closed, REDIS_RETRY_SECONDS=60).test_client()
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            started = time.monotonic()
            response = client.get(REVIEW_PATH)
            assert response.status_code == 200
            assert "Child B: serious case review" in text(response)
            assert time.monotonic() - started < 1
        # Nothing stored, so each page costs its calls to the CMS.
        assert fake_cms.paths_called() == ["/api/v3/pages/find/", "/api/v3/pages/5/"] * 2

        refused = revalidate(client, [REVIEW_PATH])
        assert refused.status_code == 503
        assert refused.get_json() == {
            "error": "the shared cache is unavailable: nothing was revalidated"
        }
        # No copy to stand in for the CMS either.
        fake_cms.failure = httpx.ConnectError("connection refused")
        assert client.get(REVIEW_PATH).status_code == 503

    redis_warnings = [r for r in caplog.records if r.name == "frontend.storage"]
    # Said once, when it was first found down, not on every request.
    assert len(redis_warnings) == 1
    assert redis_warnings[0].levelno == logging.WARNING
    assert "unavailable" in redis_warnings[0].getMessage()
    assert not any(record.exc_info for record in caplog.records)


@pytest.fixture
def silent_redis():
    """A loopback port that accepts connections and never answers: a hung Redis."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


def test_a_hung_redis_holds_up_one_request_for_its_timeouts_and_then_none(
    make_instance, fake_cms, silent_redis
):
    timeout = 0.5
    client = make_instance(REDIS_URL=silent_redis, REDIS_TIMEOUT_SECONDS=timeout).test_client()
    started = time.monotonic()
    assert client.get(REVIEW_PATH).status_code == 200
    # One try and one retry, then it is left alone.
    assert timeout <= time.monotonic() - started < 4 * timeout
    for _ in range(3):
        started = time.monotonic()
        assert client.get(REVIEW_PATH).status_code == 200
        assert time.monotonic() - started < timeout


@pytest.fixture
def redis_port_coming_back():
    """A port with no Redis yet, and a function that starts a scratch redis-server on it."""
    port = free_port()
    servers = []

    def start():
        servers.append(
            subprocess.Popen(
                ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", ""],
                stdout=subprocess.DEVNULL,
            )
        )
        probe = redis.Redis(port=port, socket_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(redis.ConnectionError):
                probe.ping()
                return
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    yield port, start
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


def test_the_cache_is_used_again_once_redis_answers(
    make_instance, fake_cms, redis_port_coming_back, caplog
):
    port, start_redis = redis_port_coming_back
    retry_seconds = 0.3
    client = make_instance(
        REDIS_URL=f"redis://127.0.0.1:{port}/0", REDIS_RETRY_SECONDS=retry_seconds
    ).test_client()
    assert client.get(REVIEW_PATH).status_code == 200
    start_redis()
    time.sleep(retry_seconds)
    with caplog.at_level(logging.WARNING):
        assert client.get(REVIEW_PATH).status_code == 200
    assert "Redis at 127.0.0.1:" in caplog.text and "answers again" in caplog.text
    fake_cms.calls.clear()
    assert client.get(REVIEW_PATH).status_code == 200
    assert fake_cms.calls == []  # stored in Redis by the request before


def test_a_redis_url_that_is_not_one_stops_the_app_with_a_clear_message(make_instance):
    with pytest.raises(RuntimeError, match="REDIS_URL must be a Redis URL"):
        make_instance(REDIS_URL="127.0.0.1:6379")
