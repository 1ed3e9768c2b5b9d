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
    browser.find_element(By.CSS_SELECTOR, '[data-side-panel-toggle="checks"]').click()
    counter = '[data-side-panel="checks"] [data-content-checker-count]'
    # axe runs inside the cross-origin preview and reports back to the editor.
    assert wait_for(lambda: browser.find_element(By.CSS_SELECTOR, counter).text == "1")
    panel = browser.find_element(By.CSS_SELECTOR, '[data-side-panel="checks"]').text
    assert "Incorrect heading hierarchy" in panel
    # Content metrics also come from the frontend's page.
    assert browser.find_element(By.CSS_SELECTOR, "[data-content-word-count]").text.isdigit()
