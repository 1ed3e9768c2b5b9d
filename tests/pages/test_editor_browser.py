"""The editor's form in a real browser: the slug follows the subject, and "Site name" shows only
for a report on another website."""

import io
import time

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from pages.models import ReviewIndexPage, ReviewPage

# A live server sees only committed data; the rollback brings back Wagtail's root page.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REPORT = '[data-controller~="report-link"]'


@pytest.fixture
def editor(live_server, admin_user):
    """Chromium signed in to the admin of a live server holding the demo content."""
    call_command("load_demo_content", stdout=io.StringIO())
    client = Client()
    client.force_login(admin_user)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.implicitly_wait(10)
    browser.get(live_server.url + "/admin/login/")
    browser.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value})
    browser.open_admin = lambda path: browser.get(live_server.url + path)
    yield browser
    browser.quit()


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return value


def value_of(browser, element_id):
    return browser.execute_script(f"return document.getElementById('{element_id}').value")


def test_the_slug_follows_the_subject_not_the_title(editor):
    index = ReviewIndexPage.objects.get()
    editor.open_admin(reverse("wagtailadmin_pages:add", args=("pages", "reviewpage", index.pk)))
    editor.find_element(By.ID, "id_title").send_keys(
        "Child C: local child safeguarding practice review"
    )
    assert value_of(editor, "id_slug") == ""
    editor.find_element(By.ID, "id_subject").send_keys("Child C")
    assert wait_for(lambda: value_of(editor, "id_slug") == "child-c"), value_of(editor, "id_slug")


def site_name_shown(editor):
    return editor.find_element(By.CSS_SELECTOR, f'{REPORT} [data-contentpath="site_name"]')


def test_site_name_shows_only_once_there_is_a_web_address(editor):
    child_b = ReviewPage.objects.get(slug="child-b")  # its report is an uploaded document
    editor.open_admin(reverse("wagtailadmin_pages:edit", args=(child_b.pk,)))
    site_name = site_name_shown(editor)
    assert wait_for(lambda: not site_name.is_displayed())
    address = editor.find_element(By.CSS_SELECTOR, f'{REPORT} [data-contentpath="url"] input')
    address.send_keys("https://www.example.org/child-b")
    assert wait_for(site_name.is_displayed)
    for _ in "https://www.example.org/child-b":
        address.send_keys("\b")
    assert wait_for(lambda: not site_name.is_displayed())


def test_a_web_address_report_shows_its_site_name(editor):
    family_a = ReviewPage.objects.get(slug="family-a")
    editor.open_admin(reverse("wagtailadmin_pages:edit", args=(family_a.pk,)))
    assert site_name_shown(editor).is_displayed()
