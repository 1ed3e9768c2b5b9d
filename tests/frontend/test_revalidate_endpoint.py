"""POST /_revalidate: only calls signed with the shared secret, and recent, change anything."""

import io
import json
import time

import pytest

from frontend.revalidation import sign_revalidation
from tests.frontend.conftest import unit_test_app

SECRET = "test-revalidate-secret"
PATH = "/serious-case-reviews/child-b/"


def post(client, body, *, timestamp=None, seconds_from_now=0, secret=SECRET, signature=None):
    raw = json.dumps(body).encode()
    timestamp = str(int(time.time()) + seconds_from_now) if timestamp is None else timestamp
    headers = {"X-Revalidate-Timestamp": timestamp}
    headers["X-Revalidate-Signature"] = signature or sign_revalidation(secret, timestamp, raw)
    return client.post("/_revalidate", data=raw, headers=headers, content_type="application/json")


@pytest.fixture
def cached_then_changed(client, fake_cms):
    """The page is cached, then changed in the CMS: only a revalidation shows the change."""
    client.get(PATH)
    fake_cms.pages[PATH]["title"] = "Child B: changed in the CMS"


def shows_change(client):
    return "Child B: changed in the CMS" in client.get(PATH).get_data(as_text=True)


def test_signed_call_drops_the_cached_page(client, cached_then_changed):
    response = post(client, {"paths": [PATH, "/serious-case-reviews/"]})
    assert response.status_code == 200
    assert response.get_json() == {"revalidated": [PATH, "/serious-case-reviews/"]}
    assert shows_change(client)


def test_unsigned_call_is_401_and_changes_nothing(client, cached_then_changed):
    response = client.post("/_revalidate", json={"paths": [PATH]})
    assert response.status_code == 401
    assert not shows_change(client)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"secret": "wrong-secret"},
        {"signature": "sha256=" + "0" * 64},
        {"seconds_from_now": -400},
        {"seconds_from_now": 400},
        {"timestamp": "yesterday"},
    ],
    ids=["wrong-secret", "forged", "replayed-old", "future", "not-a-timestamp"],
)
def test_badly_signed_or_replayed_call_is_403_and_changes_nothing(
    client, cached_then_changed, kwargs
):
    response = post(client, {"paths": [PATH]}, **kwargs)
    assert response.status_code == 403
    assert not shows_change(client)


def test_signature_covers_the_body(client, cached_then_changed):
    timestamp = str(int(time.time()))
    signature = sign_revalidation(SECRET, timestamp, json.dumps({"paths": ["/"]}).encode())
    response = post(client, {"paths": [PATH]}, timestamp=timestamp, signature=signature)
    assert response.status_code == 403
    assert not shows_change(client)


@pytest.mark.parametrize("body", [{"paths": "not-a-list"}, {"paths": ["relative/"]}, {}])
def test_signed_but_malformed_body_is_400(client, body):
    assert post(client, body).status_code == 400


def test_without_a_configured_secret_revalidation_is_switched_off(app, client, cached_then_changed):
    # An empty secret must never verify: the frontend has no well-known default to guess.
    app.config["REVALIDATE_SECRET"] = ""
    response = post(client, {"paths": [PATH]}, secret="")
    assert response.status_code == 404
    assert "REVALIDATE_SECRET" in response.get_json()["error"]
    assert not shows_change(client)


def signed_call(paths):
    """A body and the headers that sign it, as the CMS sends them."""
    body = json.dumps({"paths": paths}).encode()
    timestamp = str(int(time.time()))
    return body, {
        "X-Revalidate-Timestamp": timestamp,
        "X-Revalidate-Signature": sign_revalidation(SECRET, timestamp, body),
    }


def test_a_signed_call_is_accepted_once(client, cached_then_changed):
    """Replayed within its time window, a captured call must not flush the cache again."""
    body, headers = signed_call([PATH])
    assert client.post("/_revalidate", data=body, headers=headers).status_code == 200
    assert shows_change(client)
    for _ in range(2):
        replay = client.post("/_revalidate", data=body, headers=headers)
        assert replay.status_code == 409
        assert replay.get_json() == {"error": "this signed call has already been received"}


def test_a_replay_to_another_worker_is_refused_too(app, fake_cms):
    """gunicorn's workers are separate processes: they share what they have seen."""
    other_worker = unit_test_app(fake_cms, app.config["CACHE_DIR"])
    body, headers = signed_call([PATH])
    assert app.test_client().post("/_revalidate", data=body, headers=headers).status_code == 200
    replay = other_worker.test_client().post("/_revalidate", data=body, headers=headers)
    assert replay.status_code == 409
    other_worker.extensions["cms"].close()


class Body(io.RawIOBase):
    """A request body of ``size`` bytes that counts how many were read."""

    def __init__(self, size):
        self.size = size
        self.read_bytes = 0
        self.position = 0

    def readable(self):
        return True

    def seekable(self):
        return True  # the test client measures the body by seeking to its end

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = self.size + offset if whence == io.SEEK_END else offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        count = min(len(buffer), self.size - self.position)
        buffer[:count] = b" " * count
        self.position += count
        self.read_bytes += count
        return count


@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
def test_a_large_body_is_refused_without_being_read(client, signed):
    body = Body(200 * 1024 * 1024)
    response = client.post(
        "/_revalidate", input_stream=body, headers=signed_call([PATH])[1] if signed else {}
    )
    assert response.status_code == (413 if signed else 401)
    assert "error" in response.get_json()
    assert body.read_bytes == 0


def test_a_large_chunked_body_is_read_no_further_than_the_limit(app, client):
    """Without a Content-Length (chunked), reading stops once past the limit."""
    body = Body(200 * 1024 * 1024)
    response = client.post(
        "/_revalidate",
        input_stream=body,
        headers=signed_call([PATH])[1],
        # What gunicorn passes on for a chunked body: no length, and a stream that ends.
        environ_overrides={"CONTENT_LENGTH": "", "wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert response.get_json() == {"error": "the body is larger than 65536 bytes"}
    assert body.read_bytes <= app.config["REVALIDATE_MAX_BODY_BYTES"] + 64 * 1024


def test_the_body_limit_is_a_setting(app, client, cached_then_changed):
    body = {"paths": [PATH]}
    app.config["REVALIDATE_MAX_BODY_BYTES"] = len(json.dumps(body)) - 1
    assert post(client, body).status_code == 413
    assert not shows_change(client)
    app.config["REVALIDATE_MAX_BODY_BYTES"] = len(json.dumps(body))
    assert post(client, body).status_code == 200
    assert shows_change(client)
