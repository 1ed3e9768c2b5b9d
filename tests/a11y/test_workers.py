"""The run loop: browsers are reused, a broken page is an error for that page only, and the run
goes on with a fresh session after a crash."""

from __future__ import annotations

import contextlib
from dataclasses import replace

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.selenium_manager import SeleniumManager

from a11y_tests import browser_js, workers
from a11y_tests.analyse import classify, load_and_check
from a11y_tests.axe import AxeUnavailable
from a11y_tests.browser import BrowserUnavailable, start_browser
from a11y_tests.config import DESKTOP, MOBILE, AuditSettings, BrowserSettings
from a11y_tests.load import PageLoadError
from a11y_tests.model import Target
from a11y_tests.tabs import DevToolsTab, WebDriverTab
from tests.a11y.site import free_port_in_range

pytestmark = pytest.mark.browser


def targets(site, *names):
    return [Target(url=site.page_url(name), path=f"/{name}/") for name in names]


@pytest.fixture
def counted_browsers(monkeypatch):
    started = []

    def counting_start(settings):
        started.append(start_browser(settings))
        return started[-1]

    monkeypatch.setattr(workers, "start_browser", counting_start)
    return started


def test_one_browser_per_worker_reused_across_pages(fixture_site, counted_browsers):
    pages = targets(fixture_site, "clean", "image-alt", "label", "reflow", "heading-order")
    results, version = workers.run_audit(pages, AuditSettings(screenshots=False), workers=2)
    assert version == "4.14.1"
    assert len(counted_browsers) == 2  # ten audits, two sessions
    assert [(r.target.path, r.viewport) for r in results] == [
        (page.path, viewport) for page in pages for viewport in (DESKTOP, MOBILE)
    ]
    assert {r.status for r in results if r.target.path == "/image-alt/"} == {"failed"}


def test_broken_pages_are_errors_and_the_run_goes_on_in_a_fresh_session(
    fixture_site, counted_browsers
):
    pages = [
        *targets(fixture_site, "clean", "label"),
        Target(url=f"http://127.0.0.1:{free_port_in_range()}/", path="/refused/"),
        *targets(fixture_site, "server-error", "no-such-fixture", "image-alt-fixed"),
    ]

    def crash_tab_after_first_page(done, total, result):
        if done == 1:  # the renderer dies as it would on a page that exhausts its memory
            with contextlib.suppress(WebDriverException):
                counted_browsers[0].execute_cdp_cmd("Page.crash", {})

    settings = AuditSettings(screenshots=False, viewports=(DESKTOP,))
    results, _ = workers.run_audit(pages, settings, workers=1, on_result=crash_tab_after_first_page)

    by_path = {result.target.path: result for result in results}
    assert "tab crashed" in by_path["/label/"].error
    assert "ERR_CONNECTION_REFUSED" in by_path["/refused/"].error
    assert by_path["/server-error/"].error.startswith("HTTP 500")
    assert by_path["/no-such-fixture/"].error.startswith("HTTP 404")
    assert by_path["/clean/"].status == by_path["/image-alt-fixed/"].status == "passed"
    assert len(counted_browsers) == 2  # the crash cost one new session, not one per page


@pytest.fixture(params=[DevToolsTab, WebDriverTab], ids=["devtools", "webdriver"])
def worker_driving_tab(request, monkeypatch):
    """A worker whose tab is driven over DevTools (local Chromium) or WebDriver alone (as on a
    Selenium Grid, where the session gives no DevTools address).

    WebDriver alone cannot have a script run before the page's own, so nothing there counts the
    page's fetch/XHR calls: the WebDriver tab gets the network tracker registered here, through
    this local browser's DevTools, to compare everything else like for like.
    """
    if request.param is WebDriverTab:
        monkeypatch.setattr(DevToolsTab, "connect", classmethod(lambda cls, driver, **_: None))
    worker = workers.AuditWorker(AuditSettings(screenshots=False))
    worker.axe_version()
    assert type(worker.tab) is request.param
    if request.param is WebDriverTab:
        worker.driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": browser_js.on_new_document("trackNetwork")},
        )
    yield worker
    worker.close()


def test_either_way_of_driving_the_tab_loads_waits_and_fails_alike(
    fixture_site, worker_driving_tab
):
    def audit(url, **target):
        return worker_driving_tab.audit(Target(url=url, path="/p/", **target), DESKTOP)

    # Content fetched after the load event is waited for, so its defect is caught.
    late = audit(fixture_site.page_url("late-content"))
    assert [rule["id"] for rule in late.violations] == ["image-alt"]
    # So is content that the page's own load handlers add.
    added_on_load = audit(fixture_site.page_url("load-handler"))
    assert [rule["id"] for rule in added_on_load.violations] == ["image-alt"]
    dialog = audit(fixture_site.page_url("dialog"))
    assert "opened a JavaScript alert ('Cookies are required')" in dialog.error
    assert audit(fixture_site.page_url("clean")).status == "passed"
    moved = audit(f"{fixture_site.url}/moved/image-alt/")
    assert [rule["id"] for rule in moved.violations] == ["image-alt"]
    elsewhere = audit(f"{fixture_site.url}/elsewhere/image-alt/")
    assert "redirected to another site (http://localhost:" in elsewhere.error
    assert elsewhere.violations == []
    assert audit(fixture_site.page_url("no-such-fixture"), expected_status=404).status == "passed"
    assert audit(fixture_site.page_url("server-error")).error.startswith("HTTP 500")
    refused = audit(f"http://127.0.0.1:{free_port_in_range()}/")
    assert "did not load" in refused.error and refused.violations == []


def test_a_page_costs_no_webdriver_command_at_either_viewport(
    fixture_site, audit_worker, monkeypatch
):
    """Viewport, navigation, page script, outline and screenshot all go over the tab's DevTools
    connection: chromedriver would first wait for the navigations it did not make."""
    audit_worker.ensure_session()
    assert type(audit_worker.tab) is DevToolsTab
    commands = []
    webdriver_execute = audit_worker.driver.execute

    def counted(command, params=None):
        commands.append(command)
        return webdriver_execute(command, params)

    monkeypatch.setattr(audit_worker.driver, "execute", counted)
    monkeypatch.setattr(audit_worker, "settings", AuditSettings(screenshots=True))
    reflow = Target(url=fixture_site.page_url("reflow"), path="/reflow/")
    clean = Target(url=fixture_site.page_url("clean"), path="/clean/")
    audited = [
        audit_worker.audit(page, viewport)
        for viewport in (DESKTOP, MOBILE)
        for page in (clean, reflow)
    ]

    assert commands == []
    assert [result.status for result in audited] == ["passed", "passed", "passed", "failed"]
    assert audited[3].screenshot[:2] == b"\xff\xd8"  # the failing page's JPEG


def test_the_browser_keeps_no_omnibox_popup_of_its_own(audit_worker):
    """Full Chromium renders its omnibox popups as pages of their own, updated on every
    navigation, which costs the audit time on each page and serves it nothing."""
    audit_worker.ensure_session()
    targets = audit_worker.driver.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]
    assert [target["url"] for target in targets if target["type"] != "page"] == []


def test_the_other_workers_start_their_browsers_while_the_first_checks_axe_core(
    tmp_path, monkeypatch, counted_browsers
):
    not_axe = tmp_path / "axe.min.js"
    not_axe.write_text("window.analytics = {};")
    monkeypatch.setenv("A11Y_AXE_SCRIPT", str(not_axe))
    with pytest.raises(AxeUnavailable, match="did not define axe"):
        workers.run_audit([Target(url="about:blank", path="/")], AuditSettings(), workers=2)
    # The second browser was started before the check failed, and is gone with the first.
    assert len(counted_browsers) == 2
    assert all(driver.service.process.poll() is not None for driver in counted_browsers)


def test_a_page_still_fetching_at_the_settle_deadline_is_an_error(fixture_site, worker_driving_tab):
    worker = worker_driving_tab
    target = Target(url=fixture_site.page_url("late-content") + "?ms=3000", path="/late/")
    with pytest.raises(PageLoadError, match="did not settle within 0.5s"):
        load_and_check(
            worker.tab, worker.axe, target, DESKTOP, worker.settings, settle_timeout_s=0.5
        )


def test_not_found_page_is_audited_when_it_answers_404(fixture_site, audit_worker):
    target = Target(
        url=fixture_site.page_url("no-such-fixture"),
        path="/missing/",
        kind="not-found",
        expected_status=404,
    )
    result = audit_worker.audit(target, DESKTOP)
    assert result.error is None and result.status == "passed"


def test_missing_browser_names_what_to_install_and_never_calls_selenium_manager(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("Selenium Manager must not run: it would download a driver")

    monkeypatch.setattr(SeleniumManager, "binary_paths", forbidden)
    with pytest.raises(BrowserUnavailable, match="apt-get install chromium chromium-driver"):
        start_browser(BrowserSettings(chromium_binary="/nonexistent/chromium"))
    with pytest.raises(BrowserUnavailable, match="chromedriver not found"):
        start_browser(BrowserSettings(chromedriver="/nonexistent/chromedriver"))
    driver = start_browser(BrowserSettings())  # the real one starts without Selenium Manager
    driver.quit()


def test_unreachable_remote_webdriver_is_a_clear_error():
    url = f"http://127.0.0.1:{free_port_in_range()}/wd/hub"
    with pytest.raises(BrowserUnavailable, match=f"remote WebDriver {url}"):
        start_browser(BrowserSettings(remote_url=url))


def test_narrowed_fail_tags_turn_other_wcag_findings_into_warnings(fixture_site, audit_worker):
    audit_worker.axe_version()
    only_level_a = replace(audit_worker.settings, fail_tags=("wcag2a",))
    target = Target(url=fixture_site.page_url("color-contrast"), path="/contrast/")
    results, _ = load_and_check(audit_worker.tab, audit_worker.axe, target, DESKTOP, only_level_a)
    violations, warnings, _ = classify(results, only_level_a)
    assert "color-contrast" not in [rule["id"] for rule in violations]
    assert "color-contrast" in [rule["id"] for rule in warnings]  # wcag2aa: run, not hidden


def test_a_script_that_is_not_axe_core_cannot_run(tmp_path, monkeypatch):
    not_axe = tmp_path / "axe.min.js"
    not_axe.write_text("window.analytics = {};")
    monkeypatch.setenv("A11Y_AXE_SCRIPT", str(not_axe))
    with pytest.raises(AxeUnavailable, match="did not define axe"):
        workers.run_audit([Target(url="about:blank", path="/")], AuditSettings())
