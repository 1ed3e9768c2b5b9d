"""Two real frontend processes sharing one real Redis, in front of the real CMS: a publish
revalidated through one shows on the other, and a new instance starts warm; with Redis
down, an instance serves from the CMS and says why.

They read from the session's CMS, whose own notifications go to the session's frontend:
these instances get the same signed call from the test. Each test starts its frontends
afresh under a Redis key prefix of its own (tests/frontend/test_shared_storage.py), so
nothing is shared but Redis.
"""

from __future__ import annotations

import json
import time

import httpx
import pytest

from frontend.revalidation import sign_revalidation
from tests.frontend.conftest import FRONTEND_PORTS, Stack, port_in
from tests.frontend.test_cms_hang import hung
from tests.frontend.test_integration import publish_title, signed_revalidation
from tests.frontend.test_shared_storage import REDIS_URL, scratch_redis_prefix
from tests.stack import DEFAULT_REVALIDATE_SECRET, free_port, start_frontend

pytestmark = pytest.mark.integration

CHILD_B = "/serious-case-reviews/child-b/"
FAMILY_A = "/serious-case-reviews/family-a/"


@pytest.fixture
def start_instance(stack):
    """Starts frontends reading from the session's CMS."""
    started = []

    def start(**env):
        port = port_in(FRONTEND_PORTS)
        started.append(
            start_frontend(
                port=port,
                cms_url=stack.cms.url,
                extra_env={"FRONTEND_URL": f"http://127.0.0.1:{port}", **env},
            )
        )
        return Stack(stack.cms, started[-1])

    yield start
    for frontend in started:
        frontend.stop()


@pytest.fixture
def shared(start_instance):
    """Settings for instances sharing a Redis key prefix of their own."""
    with scratch_redis_prefix() as (prefix, client):
        yield {"REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix}, client


def get(instance, path):
    return httpx.get(instance.frontend.url + path, timeout=10)


def test_a_publish_revalidated_through_one_instance_shows_on_the_other(start_instance, shared):
    env, redis_client = shared
    notified, other = start_instance(**env), start_instance(**env)
    for instance in (notified, other):
        assert "Family A: serious case review" in get(instance, FAMILY_A).text  # cached
    try:
        publish_title(notified, "family-a", "Family A: serious case review (revised)")
        assert "(revised)" not in get(other, FAMILY_A).text  # its cache lifetime is 60 s
        # Told through the first instance only, the other asks the CMS again at once: the
        # path's version in Redis moved on.
        assert signed_revalidation(notified, [FAMILY_A]).status_code == 200
        assert "Family A: serious case review (revised)" in get(other, FAMILY_A).text
        versions = f"{env['REDIS_KEY_PREFIX']}:path-versions"
        assert int(redis_client.hget(versions, FAMILY_A)) == 1
    finally:
        publish_title(notified, "family-a", "Family A: serious case review")
    assert signed_revalidation(other, [FAMILY_A]).status_code == 200
    assert "(revised)" not in get(notified, FAMILY_A).text
    # A signed call is accepted once, whichever instance it reaches.
    body = json.dumps({"paths": [CHILD_B]}).encode()
    timestamp = str(int(time.time()))
    headers = {
        "X-Revalidate-Timestamp": timestamp,
        "X-Revalidate-Signature": sign_revalidation(DEFAULT_REVALIDATE_SECRET, timestamp, body),
    }
    for instance, status in ((notified, 200), (other, 409)):
        url = instance.frontend.url + "/_revalidate"
        assert httpx.post(url, content=body, headers=headers).status_code == status


def test_a_new_instance_starts_warm_and_never_serves_what_another_revalidated(
    start_instance, shared
):
    env, _ = shared
    first = start_instance(**env)
    for path in (CHILD_B, FAMILY_A):
        assert get(first, path).status_code == 200
    second = start_instance(**env, CMS_REQUEST_BUDGET_SECONDS="1")
    with hung(first.cms):
        # The CMS answers nothing: the new instance has the page from Redis, fresh.
        started = time.monotonic()
        warm = get(second, CHILD_B)
        assert warm.status_code == 200
        assert "Child B: serious case review" in warm.text
        assert time.monotonic() - started < 1
        # Revalidated through the first instance, the copy in Redis is never served again.
        assert signed_revalidation(first, [FAMILY_A]).status_code == 200
        gone = get(second, FAMILY_A)
        assert gone.status_code == 503
        assert "Family A: serious case review" not in gone.text


def test_with_redis_down_an_instance_serves_from_the_cms_and_says_why(start_instance):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    instance = start_instance(REDIS_URL=closed)
    for _ in range(2):
        started = time.monotonic()
        response = get(instance, CHILD_B)
        assert response.status_code == 200
        assert "Child B: serious case review" in response.text
        assert time.monotonic() - started < 3
    refused = signed_revalidation(instance, [CHILD_B])
    assert refused.status_code == 503
    assert refused.json() == {"error": "the shared cache is unavailable: nothing was revalidated"}
    log = instance.frontend.log_path.read_text()
    assert "WARNING frontend.storage: Redis at 127.0.0.1:" in log
    assert "pages come from the CMS without the cache" in log
    assert "Traceback" not in log
