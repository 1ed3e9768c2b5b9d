"""What a reader sees on a 320 px phone, in real Chromium (issue 14, items 2, 4 and 5).

Quotes keep most of the width, the long index has keyboard-usable "Back to top" links, and no
two links with the same name (as the browser computes it) lead to different places.
"""

import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

pytestmark = [pytest.mark.integration, pytest.mark.browser]

PHONE = {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": True}
INDEX = "/serious-case-reviews/"
REVIEWS = ("/serious-case-reviews/child-b/", "/serious-case-reviews/family-a/")
# Issue 14: quote text keeps at least this share of the content width at 320 px.
QUOTE_MIN_SHARE = 0.85


@pytest.fixture(scope="module")
def phone(stack):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # The viewport of a 320 CSS px phone, as the audit's reflow check uses.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    yield browser
    browser.quit()


def open_page(stack, browser, path):
    browser.get(stack.frontend.url + path)
    assert browser.execute_script("return window.innerWidth") == PHONE["width"]


def wait_for(condition, timeout=5):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_quotes_keep_most_of_the_content_width(stack, phone):
    for path in (INDEX, *REVIEWS):
        open_page(stack, phone, path)
        measured = phone.execute_script(
            "const content = document.querySelector('main').getBoundingClientRect().width;"
            "return [...document.querySelectorAll('blockquote p')]"
            "  .map(text => [text.getBoundingClientRect().width, content]);"
        )
        assert measured, f"no quote on {path}"
        for text_width, content_width in measured:
            assert content_width == PHONE["width"] - 2 * 15  # GOV.UK's page margins at 320
            assert text_width >= QUOTE_MIN_SHARE * content_width, (path, text_width)


def test_the_long_index_has_back_to_top_links_a_keyboard_can_use(stack, phone):
    open_page(stack, phone, INDEX)
    assert phone.execute_script("return document.documentElement.scrollHeight") > 4 * 640
    sections = phone.find_elements(By.CSS_SELECTOR, "main section")
    assert len(sections) == 3  # two reviews and the guidance
    for section in sections:
        last_link = section.find_elements(By.TAG_NAME, "a")[-1]
        assert last_link.text == "Back to top"
        assert last_link.get_attribute("href").endswith("#top")
        assert last_link.is_displayed()
    # From the link before it, Tab reaches the last one; Enter goes to the top of the page.
    last_section_links = sections[-1].find_elements(By.TAG_NAME, "a")
    phone.execute_script("arguments[0].focus()", last_section_links[-2])
    phone.switch_to.active_element.send_keys(Keys.TAB)
    back_to_top = phone.switch_to.active_element
    assert back_to_top == last_section_links[-1]
    assert phone.execute_script("return window.scrollY") > 2000
    back_to_top.send_keys(Keys.ENTER)
    assert wait_for(lambda: phone.execute_script("return window.scrollY") == 0)
    # Keyboard focus starts again from the top: the next Tab is the skip link.
    phone.switch_to.active_element.send_keys(Keys.TAB)
    assert phone.switch_to.active_element.text == "Skip to main content"


def test_links_with_the_same_name_lead_to_the_same_place(stack, phone):
    """Section headings and the contents list name the same reviews: as the browser names the
    links (what a screen reader's link list shows), each name has one destination."""
    open_page(stack, phone, INDEX)
    destinations = {}
    for link in phone.find_elements(By.CSS_SELECTOR, "a[href]"):
        # GOV.UK's visually hidden text brings non-breaking spaces of its own.
        name = " ".join(link.accessible_name.split())
        destinations.setdefault(name, set()).add(link.get_attribute("href"))
    assert {name: hrefs for name, hrefs in destinations.items() if len(hrefs) > 1} == {}
    child_b = stack.frontend.url + REVIEWS[0]
    assert destinations["Child B: serious case review"] == {
        stack.frontend.url + INDEX + "#review-child-b"
    }
    assert destinations["Child B: serious case review (read the full review)"] == {child_b}
    # The section is named by the review's title alone.
    region = phone.find_element(By.CSS_SELECTOR, "section[aria-labelledby='title-review-child-b']")
    assert region.accessible_name == "Child B: serious case review"
