"""Editors get Wagtail's content checks on the frontend-rendered preview (real browser)."""

import subprocess
import sys
import time

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.stack import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.browser]

PASSWORD = "checks-test-password"


@pytest.fixture
def editor_browser(stack):
    subprocess.run(
        [sys.executable, "manage.py", "ensure_admin"],
        cwd=REPO_ROOT,
        env={**stack.cms.env, "ADMIN_PASSWORD": PASSWORD},
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1600,1000"):
        options.add_argument(argument)
    # The console, to see what the preview and the editor log.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.get(stack.cms.url + "/admin/login/")
    browser.find_element(By.NAME, "username").send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    yield browser
    browser.quit()


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    return condition()


def draft_with_click_here_link(stack, slug):
    """Save a draft (not published) of the review whose first paragraph links "click here"."""
    return stack.cms_shell(
        "from pages.models import ReviewPage\n"
        f"page = ReviewPage.objects.get(slug={slug!r})\n"
        "body = page.body.raw_data\n"
        "body.insert(0, {'type': 'paragraph', 'value': '<p>The full report: "
        '<a href="https://www.example.org/report.pdf">click here</a>.</p>\'})\n'
        "page.body = body\n"
        "page.save_revision()\n"
        "print(page.pk)\n",
    )


def open_preview_panel(stack, browser, page_id):
    browser.get(f"{stack.cms.url}/admin/pages/{page_id}/edit/")
    browser.find_element(By.CSS_SELECTOR, '[data-side-panel-toggle="preview"]').click()

    def preview_url():
        # Wagtail swaps in a fresh iframe on each reload, so it is looked up every time.
        try:
            browser.switch_to.frame(browser.find_element(By.ID, "w-preview-iframe"))
            return browser.execute_script("return location.href")
        except WebDriverException:
            return ""
        finally:
            browser.switch_to.default_content()

    # Wagtail redirects its preview panel to the frontend's /preview route.
    assert wait_for(lambda: preview_url().startswith(stack.frontend.url + "/preview?"))


def postmessage_errors(browser):
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "postMessage" in entry["message"]
    ]


def test_checks_panel_reports_an_issue_found_in_the_frontend_preview(stack, editor_browser):
    # A draft (not published) whose first heading skips a level: axe's heading-order.
    page_id = stack.cms_shell(
        "from pages.models import ReviewPage\n"
        "page = ReviewPage.objects.get(slug='child-b')\n"
        "body = page.body.raw_data\n"
        "body.insert(0, {'type': 'heading', 'value': {'text': 'Skipped level', 'level': 'h3'}})\n"
        "page.body = body\n"
        "page.save_revision()\n"
        "print(page.pk)\n",
    )
    browser = editor_browser
    open_preview_panel(stack, browser, page_id)
    browser.find_element(By.CSS_SELECTOR, '[data-side-panel-toggle="checks"]').click()
    counter = '[data-side-panel="checks"] [data-content-checker-count]'
    # axe runs inside the cross-origin preview and reports back to the editor.
    assert wait_for(lambda: browser.find_element(By.CSS_SELECTOR, counter).text == "1")
    panel = browser.find_element(By.CSS_SELECTOR, '[data-side-panel="checks"]').text
    assert "Incorrect heading hierarchy" in panel
    # Content metrics also come from the frontend's page.
    assert browser.find_element(By.CSS_SELECTOR, "[data-content-word-count]").text.isdigit()


def test_checks_panel_runs_the_audits_link_text_rule_without_origin_errors(stack, editor_browser):
    page_id = draft_with_click_here_link(stack, "family-a")
    browser = editor_browser
    open_preview_panel(stack, browser, page_id)
    browser.find_element(By.CSS_SELECTOR, '[data-side-panel-toggle="checks"]').click()
    panel = '[data-side-panel="checks"]'
    assert wait_for(
        lambda: (
            "Link text does not say where the link goes"
            in browser.find_element(By.CSS_SELECTOR, panel).text
        )
    )
    assert (
        browser.find_element(By.CSS_SELECTOR, f"{panel} [data-content-checker-count]").text == "1"
    )
    # axe in the editor and axe in the preview post only to each other's origin.
    assert postmessage_errors(browser) == []


def test_a_preview_opened_in_its_own_tab_has_a_userbar_with_the_checks(stack, editor_browser):
    page_id = draft_with_click_here_link(stack, "family-a")
    browser = editor_browser
    open_preview_panel(stack, browser, page_id)
    # The editor's "Preview in new tab" link, followed as a top-level page.
    new_tab_link = browser.find_element(By.CSS_SELECTOR, "[data-w-preview-target=newTab]")
    browser.get(new_tab_link.get_attribute("href"))
    assert browser.current_url.startswith(stack.frontend.url + "/preview?")

    def in_userbar(selector):
        return browser.execute_script(
            "const userbar = document.querySelector('wagtail-userbar');"
            "return userbar.shadowRoot.querySelector(arguments[0]);",
            selector,
        )

    # Its checks ran in the page: the toggle shows how many issues they found.
    assert wait_for(lambda: in_userbar("[data-w-userbar-axe-count]"))
    toggle = in_userbar("[data-wagtail-userbar-trigger]")
    assert toggle.size["width"] > 0 and toggle.size["height"] > 0
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    checks = in_userbar("#checker-trigger")
    assert wait_for(checks.is_displayed)  # once the menu has opened
    checks.click()
    results = in_userbar("#checker-results")
    assert wait_for(lambda: "Link text does not say where the link goes" in results.text)
    assert postmessage_errors(browser) == []
