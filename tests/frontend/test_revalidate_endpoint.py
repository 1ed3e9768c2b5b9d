"""POST /_revalidate: only calls signed with the shared secret, and recent, change anything."""

import json
import time

import pytest

from frontend.revalidation import sign_revalidation

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
