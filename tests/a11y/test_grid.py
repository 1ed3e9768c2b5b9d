"""The audit on a real Selenium Grid 4 (tests/grid.py: a hub and two Chromium nodes, started
once for the session): the engine finds the same defects through it, over the Grid's DevTools
proxy or WebDriver alone; the CLI takes its workers from the Grid's free slots; a node killed
mid-run costs no page; an unreachable Grid stops the run with exit code 2."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace

import pytest
from selenium.common.exceptions import TimeoutException
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, Ping, Request

from a11y_tests import browser_js, workers
from a11y_tests.browser import start_browser
from a11y_tests.config import DESKTOP, MOBILE, REPO_ROOT, AuditSettings, BrowserSettings
from a11y_tests.discover import discover
from a11y_tests.grid import grid_status
from a11y_tests.model import Target
from a11y_tests.tabs import DevToolsTab, WebDriverTab
from tests.a11y.site import FixtureSite, free_port_in_range
from tests.a11y.test_defects import DEFECTS
from tests.a11y_stack_plugin import pytest_a11y_start_site
from tests.grid import Grid

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def grid(tmp_path_factory):
    """JVMs start slowly: one Grid for every test here."""
    started = time.monotonic()
    grid = Grid(tmp_path_factory.mktemp("grid")).start(nodes=2)
    print(f"Selenium Grid up in {time.monotonic() - started:.1f}s at {grid.url}")
    yield grid
    grid.stop()


def on_grid(grid, *, browser: dict | None = None, **settings) -> AuditSettings:
    return AuditSettings(
        browser=replace(BrowserSettings(), remote_url=grid.url, **(browser or {})),
        screenshots=False,
        **settings,
    )


@pytest.fixture
def counted_sessions(monkeypatch):
    """Every browser session the run starts."""
    started = []

    def counting_start(settings):
        started.append(start_browser(settings))
        return started[-1]

    monkeypatch.setattr(workers, "start_browser", counting_start)
    return started


@pytest.fixture(params=[DevToolsTab, WebDriverTab], ids=["grid-devtools", "grid-webdriver"])
def grid_worker(request, grid, monkeypatch):
    """A worker whose session runs on the Grid, its tab driven through the Grid's DevTools
    proxy (``se:cdp``) or, as on a Grid without it, over WebDriver alone (where, as in
    test_workers.py, the network tracker is registered for it to compare like for like)."""
    if request.param is WebDriverTab:
        monkeypatch.setattr(DevToolsTab, "connect", classmethod(lambda cls, driver, **_: None))
    worker = workers.AuditWorker(on_grid(grid))
    worker.axe_version()
    assert type(worker.tab) is request.param
    if request.param is WebDriverTab:
        worker.driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": browser_js.on_new_document("trackNetwork")},
        )
    yield worker
    worker.close()


def test_a_proxys_pings_do_not_stretch_the_wait_for_the_browser():
    """Selenium Grid pings every DevTools connection it proxies every 30 s, also that of a node
    that died: the wait for an answer must still end at its deadline."""
    listener = socket.create_server(("127.0.0.1", 0))

    def ping_for_3_seconds_and_never_answer():
        connection, _ = listener.accept()
        endpoint = WSConnection(ConnectionType.SERVER)
        endpoint.receive_data(connection.recv(65536))
        for event in endpoint.events():
            if isinstance(event, Request):
                connection.sendall(endpoint.send(AcceptConnection()))
        with connection, contextlib.suppress(OSError):
            for _ in range(15):
                connection.sendall(endpoint.send(Ping()))
                time.sleep(0.2)

    threading.Thread(target=ping_for_3_seconds_and_never_answer, daemon=True).start()
    started = time.monotonic()
    with listener, pytest.raises(TimeoutException, match="no answer from the browser for Page"):
        DevToolsTab(
            None,
            f"ws://127.0.0.1:{listener.getsockname()[1]}/",
            load_timeout_s=1,
            script_timeout_s=1,
        )
    assert time.monotonic() - started < 2


def test_a_grid_session_is_driven_through_the_grids_own_devtools_proxy(grid):
    # Selenium would listen on, and announce, the machine's network address by default.
    assert grid.listening_addresses() == {"::ffff:127.0.0.1"}
    assert {node["uri"] for node in grid.status()["nodes"]} == {node.url for node in grid.nodes}
    worker = workers.AuditWorker(on_grid(grid))
    try:
        worker.axe_version()
        devtools = worker.driver.capabilities["se:cdp"]
        # Through the hub, never the node's local debugger address.
        assert devtools.startswith(grid.url.replace("http:", "ws:") + "/session/")
        assert worker.tab.websocket_url == devtools and worker.tab.session_id
        assert worker.driver.capabilities["se:webDriverExecutable"] == "/usr/bin/chromedriver"
        assert worker.axe.registered_on_new_document
    finally:
        worker.close()


def test_either_way_through_the_grid_loads_waits_and_fails_alike(fixture_site, grid_worker):
    def audit(url, **target):
        return grid_worker.audit(Target(url=url, path="/p/", **target), DESKTOP)

    late = audit(fixture_site.page_url("late-content"))
    assert [rule["id"] for rule in late.violations] == ["image-alt"]
    dialog = audit(fixture_site.page_url("dialog"))
    assert "opened a JavaScript alert ('Cookies are required')" in dialog.error
    assert audit(fixture_site.page_url("clean")).status == "passed"
    elsewhere = audit(f"{fixture_site.url}/elsewhere/image-alt/")
    assert "redirected to another site (http://localhost:" in elsewhere.error
    assert audit(fixture_site.page_url("no-such-fixture"), expected_status=404).status == "passed"
    assert audit(fixture_site.page_url("server-error")).error.startswith("HTTP 500")
    refused = audit(f"http://127.0.0.1:{free_port_in_range()}/")
    assert "did not load" in refused.error and refused.violations == []


def test_a_run_on_the_grid_finds_each_defect_and_passes_each_fix(
    fixture_site, grid, counted_sessions
):
    names = [name for fixture, *_ in DEFECTS for name in (fixture, f"{fixture}-fixed")]
    pages = [Target(url=fixture_site.page_url(name), path=f"/{name}/") for name in names]
    slots = grid_status(grid.url).free_slots
    results, version = workers.run_audit(pages, on_grid(grid), workers=slots)

    assert (version, slots, len(counted_sessions)) == ("4.14.1", 2, 2)
    found = {
        (result.target.path, result.viewport): {
            bucket: [rule["id"] for rule in getattr(result, bucket)]
            for bucket in ("violations", "warnings", "needs_review")
        }
        for result in results
    }
    assert len(found) == len(pages) * 2 and all(result.error is None for result in results)
    for fixture, rule, bucket, viewports in DEFECTS:
        for viewport in (DESKTOP, MOBILE):
            broken, fixed = found[f"/{fixture}/", viewport], found[f"/{fixture}-fixed/", viewport]
            assert (rule in broken[bucket]) == (viewport in viewports), (fixture, viewport)
            assert rule not in fixed[bucket], (fixture, viewport)


def run_cli(site, report_dir, *options, env=None):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "a11y_tests",
            "--cms-url",
            site.url,
            "--frontend-url",
            site.url,
            "--report-dir",
            str(report_dir),
            "--no-baseline",
            *options,
        ],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture
def site():
    site = FixtureSite().start()
    yield site
    site.stop()


def test_the_cli_on_the_grid_uses_its_free_slots_and_reports_as_locally(site, grid, tmp_path):
    site.publish("clean", "image-alt", "reflow")
    run = run_cli(site, tmp_path, env={"A11Y_GRID_URL": grid.url})
    assert run.returncode == 1, run.stderr
    assert f"2 workers on the Selenium Grid at {grid.url} (2 of 2 slots free" in run.stderr
    assert "[8/8]" in run.stderr and "Traceback" not in run.stderr
    results = json.loads((tmp_path / "results.json").read_text())["results"]
    rows = {row["id"]: row for row in results}
    assert rows["/reflow/@mobile"]["violations"][0]["id"] == "reflow-320"
    assert rows["/image-alt/@desktop"]["violations"][0]["id"] == "image-alt"
    assert (tmp_path / rows["/reflow/@mobile"]["screenshot"]).read_bytes()[:2] == b"\xff\xd8"
    assert rows["/clean/@desktop"]["status"] == rows["/clean/@mobile"]["status"] == "passed"


@pytest.fixture
def demo_site(request):
    """(cms_url, frontend_url) of the demo site: the one the audit's pytest entry started for
    this session where it runs too (as in `make test`: the CMS takes half a minute to build),
    else one of this test's own (tests/a11y_stack_plugin.py starts both)."""
    audit_session = getattr(request.config, "a11y_session", None)
    if audit_session is None:
        cms_url, frontend_url, stop = pytest_a11y_start_site(request.config)
        yield cms_url, frontend_url
        stop()
        return
    audit_session.discover()
    if audit_session.problem:
        pytest.fail(f"the demo site did not start: {audit_session.problem}")
    yield audit_session.cms_url, audit_session.frontend_url


@pytest.mark.integration
def test_the_demo_site_audit_runs_on_the_grid_as_make_audit_does(grid, demo_site, tmp_path):
    """`make audit` with A11Y_GRID_URL, on the real CMS and frontend with the demo content."""
    cms_url, frontend_url = demo_site
    pages = len(discover(cms_url, frontend_url).targets)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "a11y_tests",
            "--cms-url",
            cms_url,
            "--frontend-url",
            frontend_url,
            "--report-dir",
            str(tmp_path),
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "A11Y_GRID_URL": grid.url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    # Whether the run as a whole passes is test_pages.py's question; here: every page audited
    # on the Grid, with the same outcome as there.
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr
    assert "2 workers on the Selenium Grid" in run.stderr
    assert f"[{2 * pages}/{2 * pages}]" in run.stderr
    summary = json.loads((tmp_path / "results.json").read_text())["summary"]
    assert (summary["audits"], summary["passed"]) == (2 * pages, 2 * pages), run.stderr


def test_an_unreachable_grid_stops_the_run_with_exit_2_and_says_so(site, tmp_path):
    site.publish("clean")
    grid_url = f"http://127.0.0.1:{free_port_in_range(range(site.port + 1, 8400))}"
    run = run_cli(site, tmp_path, "--grid", grid_url)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith(
        f"a11y-audit: cannot run: Selenium Grid not reachable at {grid_url}"
    )
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "results.json").exists()


def test_a_node_killed_mid_run_costs_no_page(fixture_site, grid, counted_sessions, caplog):
    """Runs last: it kills one of the Grid's nodes (then starts a replacement)."""
    # Each page waits for content it fetches 300 ms after loading, so the kill lands mid-page.
    late = [f"late-content/?ms=300&n={n}" for n in range(6)]
    pages = [Target(url=f"{fixture_site.url}/{name}", path=f"/{name}") for name in late]
    pages += [Target(url=fixture_site.page_url("clean"), path=f"/clean/?n={n}") for n in range(6)]
    killed = []

    def kill_the_first_workers_node(done, total, result):
        # That worker is auditing a page, or about to start its next one.
        if done == 2:
            node = grid.node_of_session(counted_sessions[0].session_id)
            node.kill()
            killed.append(node)

    # The Grid keeps a dead node's DevTools connection open: the worker learns of the loss when
    # its wait for the browser times out, shortened here from 30 s.
    browser = {"page_load_timeout_s": 5, "script_timeout_s": 10}
    settings = on_grid(grid, browser=browser, viewports=(DESKTOP,))
    with caplog.at_level(logging.WARNING, logger=workers.__name__):
        results, _ = workers.run_audit(
            pages, settings, workers=2, on_result=kill_the_first_workers_node
        )

    assert killed and not killed[0].running
    assert [result.target.path for result in results] == [page.path for page in pages]
    assert {r.target.path: r.error for r in results if r.error} == {}
    assert {r.target.path: r.status for r in results} == {
        page.path: "failed" if "late-content" in page.path else "passed" for page in pages
    }
    lost = [record.getMessage() for record in caplog.records if "session lost" in record.message]
    assert lost and "auditing it again in a fresh session (attempt 2 of 3)" in lost[0]
    assert len(counted_sessions) == 3  # the lost one replaced once, on the surviving node

    grid.nodes.remove(killed[0])
    grid.add_node()
    grid.wait_for(
        lambda status: killed[0].url not in grid.node_uris(status, "UP"), "the dead node to go"
    )
