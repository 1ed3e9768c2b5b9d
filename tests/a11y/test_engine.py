"""The run loop: browsers are reused, a broken page is an error for that page only, and the run
goes on with a fresh session after a crash."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.selenium_manager import SeleniumManager

from a11y_tests import engine
from a11y_tests.browser import BrowserUnavailable, start_browser
from a11y_tests.config import DESKTOP, MOBILE, AuditSettings, BrowserSettings
from a11y_tests.model import Target
from tests.a11y.site import free_port_in_range

pytestmark = pytest.mark.browser


def targets(site, *names):
    return [Target(url=site.page_url(name), path=f"/{name}/") for name in names]


@pytest.fixture
def counted_browsers(monkeypatch):
    started = []

    def counting_start(settings):
        started.append(settings)
        return start_browser(settings)

    monkeypatch.setattr(engine, "start_browser", counting_start)
    return started


def test_one_browser_per_worker_reused_across_pages(fixture_site, counted_browsers):
    pages = targets(fixture_site, "clean", "image-alt", "label", "reflow", "heading-order")
    results, version = engine.run_audit(
        pages, AuditSettings(screenshots=False), workers=2
    )
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
        *targets(fixture_site, "clean"),
        Target(url="chrome://crash", path="/crash/"),  # kills the tab like a renderer crash
        *targets(fixture_site, "server-error", "no-such-fixture", "image-alt-fixed"),
    ]
    settings = AuditSettings(screenshots=False, viewports=(DESKTOP,))
    results, _ = engine.run_audit(pages, settings, workers=1)

    by_path = {result.target.path: result for result in results}
    assert "tab crashed" in by_path["/crash/"].error
    assert by_path["/server-error/"].error.startswith("HTTP 500")
    assert by_path["/no-such-fixture/"].error.startswith("HTTP 404")
    assert by_path["/clean/"].status == by_path["/image-alt-fixed/"].status == "passed"
    assert len(counted_browsers) == 2  # the crash cost one new session, not one per page


def test_not_found_page_is_audited_when_it_answers_404(fixture_site, audit_worker):
    target = Target(url=fixture_site.page_url("no-such-fixture"), path="/missing/",
                    kind="not-found", expected_status=404)
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
