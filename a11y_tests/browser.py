"""Start headless Chromium with an explicit driver path; Selenium Manager would download one."""

from __future__ import annotations

import os
import shutil

import urllib3
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

from a11y_tests.config import BrowserSettings

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Chromium 156 keeps its omnibox popups as web pages of their own, updated on every
    # navigation: a tenth of the audit's time on a small page. Nothing in the audited page
    # depends on them.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
)

INSTALL_HINT = (
    "install Debian's browser and driver (apt-get install chromium chromium-driver) "
    "or point A11Y_CHROMIUM / A11Y_CHROMEDRIVER at them, or give a Selenium Grid URL "
    "with --grid / A11Y_GRID_URL"
)


class BrowserUnavailable(RuntimeError):
    """The audit cannot run at all: no browser to drive."""


def _executable(path: str) -> bool:
    resolved = shutil.which(path) if os.sep not in path else path
    return bool(resolved) and os.path.isfile(resolved) and os.access(resolved, os.X_OK)


def chromium_options(settings: BrowserSettings) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    # Navigation returns at DOMContentLoaded; browser_js/waitForSettled.js then waits in the page
    # for readyState "complete" and no fetch/XHR, so the driver does not poll for load as well.
    options.page_load_strategy = "eager"
    if not settings.remote_url:
        options.binary_location = settings.chromium_binary
    return options


def start_browser(settings: BrowserSettings) -> webdriver.Remote:
    """One browser session; callers keep it for many pages because starting one costs seconds."""
    options = chromium_options(settings)
    if settings.remote_url:
        try:
            driver = webdriver.Remote(command_executor=settings.remote_url, options=options)
        except (WebDriverException, urllib3.exceptions.HTTPError) as error:
            reason = getattr(error, "msg", None) or getattr(error, "reason", None) or error
            raise BrowserUnavailable(
                f"cannot start a browser at the remote WebDriver {settings.remote_url} "
                f"(Selenium Grid): {reason}"
            ) from error
    else:
        for label, path in (
            ("Chromium", settings.chromium_binary),
            ("chromedriver", settings.chromedriver),
        ):
            if not _executable(path):
                raise BrowserUnavailable(f"{label} not found at {path}: {INSTALL_HINT}")
        try:
            driver = webdriver.Chrome(service=Service(settings.chromedriver), options=options)
        except WebDriverException as error:
            raise BrowserUnavailable(
                f"Chromium ({settings.chromium_binary}) did not start under chromedriver "
                f"({settings.chromedriver}): {error.msg or error}; {INSTALL_HINT}"
            ) from error
    driver.set_page_load_timeout(settings.page_load_timeout_s)
    driver.set_script_timeout(settings.script_timeout_s)
    return driver
