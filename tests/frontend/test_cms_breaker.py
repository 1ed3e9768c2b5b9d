"""A failing or hung CMS is soon left alone: stored copies and 503s are served at once, and
no page waits for the CMS longer than its time budget."""

import threading
import time

import httpx
import pytest

from frontend.cache import CmsUnavailable
from tests.frontend.conftest import unit_test_app

REVIEW_PATH = "/serious-case-reviews/child-b/"
COOL_DOWN = 0.5


@pytest.fixture
def make_app(fake_cms, tmp_path):
    apps = []

    def make(**settings):
        settings = {"CMS_BREAKER_FAIL_MAX": 3, "CMS_BREAKER_RESET_SECONDS": COOL_DOWN, **settings}
        apps.append(unit_test_app(fake_cms, tmp_path / "cache", **settings))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["cms"].close()


@pytest.fixture
def client(make_app, fake_cms):
    fake_cms.cache_control = "public, max-age=0"  # every copy is stale: each page asks the CMS
    return make_app().test_client()


def open_the_circuit(client, fake_cms, failure):
    """Three failed calls in a row, with the review page cached."""
    assert client.get(REVIEW_PATH).status_code == 200
    fake_cms.failure = failure
    fake_cms.calls.clear()
    for n in range(3):
        assert client.get(f"/never-cached-{n}/").status_code == 503
    assert len(fake_cms.calls) == 3


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("timed out"), 502, 503, 504],
    ids=["refused", "timeout", "502", "503", "504"],
)
def test_once_open_the_circuit_keeps_every_request_from_the_cms(client, fake_cms, failure):
    open_the_circuit(client, fake_cms, failure)
    fake_cms.calls.clear()
    stale = client.get(REVIEW_PATH)
    assert stale.status_code == 200
    assert "Child B: serious case review" in stale.get_data(as_text=True)
    unavailable = client.get("/serious-case-reviews/never-visited/")
    assert unavailable.status_code == 503
    assert unavailable.headers["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in unavailable.get_data(as_text=True)
    assert fake_cms.calls == []


def test_a_500_is_one_pages_bug_and_does_not_open_the_circuit(client, fake_cms):
    open_the_circuit(client, fake_cms, 500)
    fake_cms.calls.clear()
    client.get(REVIEW_PATH)
    assert fake_cms.calls


def test_after_the_cool_down_one_successful_trial_closes_the_circuit(client, fake_cms):
    open_the_circuit(client, fake_cms, httpx.ConnectError("refused"))
    fake_cms.failure = None
    fake_cms.pages[REVIEW_PATH]["title"] = "Child B: back again"
    assert "Child B: back again" not in client.get(REVIEW_PATH).get_data(as_text=True)
    time.sleep(COOL_DOWN)
    assert "Child B: back again" in client.get(REVIEW_PATH).get_data(as_text=True)
    assert client.get("/never-cached/").status_code == 404


def test_a_failed_trial_keeps_the_circuit_open_for_another_cool_down(client, fake_cms):
    open_the_circuit(client, fake_cms, httpx.ConnectError("refused"))
    time.sleep(COOL_DOWN)
    fake_cms.calls.clear()
    assert client.get(REVIEW_PATH).status_code == 200
    assert len(fake_cms.calls) == 1  # the trial; the second call is refused at once
    fake_cms.failure = None
    assert client.get("/never-cached/").status_code == 503
    assert len(fake_cms.calls) == 1


def test_while_the_trial_is_out_other_requests_are_not_held_up(client, fake_cms, monkeypatch):
    open_the_circuit(client, fake_cms, httpx.ConnectError("refused"))
    time.sleep(COOL_DOWN)
    fake_cms.failure = None
    trial_started, release_trial = threading.Event(), threading.Event()
    transport = client.application.config["API_TRANSPORT"]

    def slow_cms(request):
        trial_started.set()
        release_trial.wait(5)
        return fake_cms.handle(request)

    monkeypatch.setattr(transport, "handler", slow_cms)
    trial = threading.Thread(target=client.get, args=(REVIEW_PATH,))
    trial.start()
    try:
        assert trial_started.wait(5)
        started = time.monotonic()
        assert client.get(REVIEW_PATH).status_code == 200  # stale, without asking
        assert client.get("/never-cached/").status_code == 503
        assert time.monotonic() - started < 0.5
    finally:
        release_trial.set()
        trial.join()
    # The three failures, then the trial alone: the detail of the review.
    assert fake_cms.paths_called()[3:] == ["/api/v3/pages/5/"]


def test_every_worker_shares_the_circuit(make_app, client, fake_cms):
    other_worker = make_app().test_client()  # same storage, as gunicorn's workers have
    assert other_worker.get(REVIEW_PATH).status_code == 200
    fake_cms.calls.clear()
    open_the_circuit(client, fake_cms, httpx.ReadTimeout("timed out"))
    fake_cms.calls.clear()
    assert other_worker.get(REVIEW_PATH).status_code == 200
    assert other_worker.get("/never-cached/").status_code == 503
    assert fake_cms.calls == []


def hung_cms(seen_timeouts):
    """A CMS that accepts every call and never answers: each call waits out its read timeout."""

    def handler(request):
        seen_timeouts.append(request.extensions["timeout"]["read"])
        time.sleep(request.extensions["timeout"]["read"])
        raise httpx.ReadTimeout("timed out", request=request)

    return handler


def test_one_request_waits_for_the_cms_no_longer_than_its_budget(make_app, fake_cms, monkeypatch):
    app = make_app(API_TIMEOUT_SECONDS=0.6, CMS_REQUEST_BUDGET_SECONDS=0.3)
    fake_cms.cache_control = "public, max-age=0"
    client = app.test_client()
    assert client.get("/serious-case-reviews/?year=2017").status_code == 200
    seen_timeouts = []
    monkeypatch.setattr(app.config["API_TRANSPORT"], "handler", hung_cms(seen_timeouts))
    started = time.monotonic()
    response = client.get("/serious-case-reviews/?year=2017")
    took = time.monotonic() - started
    # Three stale copies (find, detail, listing), but one timeout, cut to the budget.
    assert response.status_code == 200
    assert seen_timeouts == [pytest.approx(0.3, abs=0.05)]
    assert took < 0.5


def test_calls_outside_a_request_have_no_budget(make_app, fake_cms, monkeypatch):
    app = make_app(API_TIMEOUT_SECONDS=0.2, CMS_REQUEST_BUDGET_SECONDS=0.05)
    seen_timeouts = []
    monkeypatch.setattr(app.config["API_TRANSPORT"], "handler", hung_cms(seen_timeouts))
    app.test_client().get("/never-cached/")
    with pytest.raises(CmsUnavailable, match="timed out"):
        app.extensions["cms"].page("/never-cached/")
    assert seen_timeouts[-1] == pytest.approx(0.2)
