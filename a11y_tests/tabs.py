"""How the audit drives one browser tab: the one place that knows DevTools from WebDriver.

:func:`open_tab` decides once per browser session. A local Chromium gets a :class:`DevToolsTab`
(its own DevTools connection, emulated viewport, JPEG screenshots of the whole page, axe-core
registered once for every new document); any other session (e.g. a Selenium Grid) a
:class:`WebDriverTab`, which does the same with WebDriver commands alone: the window sized to the
viewport, a PNG of what the window shows, axe-core injected into each page. WebDriver alone runs
nothing before the page's own scripts, so there the wait cannot count the page's fetch/XHR calls.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import re
import time
import urllib.request
from collections.abc import Callable

import websocket
from selenium.common.exceptions import (
    JavascriptException,
    TimeoutException,
    UnexpectedAlertPresentException,
    WebDriverException,
)

from a11y_tests.config import BrowserSettings, Viewport
from a11y_tests.load import PageLoadError, dialog_opened

# chromedriver reports a failed request as "unknown error: net::ERR_…".
NETWORK_ERROR = re.compile(r"net::ERR_[A-Z_]+")
# Runs a script written for WebDriver's execute_async_script: its last argument is the callback.
ASYNC_SCRIPT = "new Promise(done => (function () {{\n{script}\n}}).apply(null, [...{args}, done]))"
MAX_SCREENSHOT_HEIGHT = 6000


def open_tab(driver, settings: BrowserSettings) -> WebDriverTab:
    """The session's tab, driven over DevTools where the session speaks the protocol and the
    tab's DevTools address can be reached, else over WebDriver."""
    if hasattr(driver, "execute_cdp_cmd"):  # a local Chromium; a generic remote session is not
        tab = DevToolsTab.connect(
            driver,
            load_timeout_s=settings.page_load_timeout_s,
            script_timeout_s=settings.script_timeout_s,
        )
        if tab is not None:
            return tab
    return WebDriverTab(driver)


class WebDriverTab:
    """Any WebDriver session's tab, driven with WebDriver commands alone."""

    def __init__(self, driver):
        self.driver = driver
        # The viewport survives navigation, so it is only set when it changes.
        self.viewport: Viewport | None = None

    def set_viewport(self, viewport: Viewport) -> None:
        if viewport != self.viewport:
            self._apply_viewport(viewport)
            self.viewport = viewport

    def register_on_new_documents(self, source: str) -> bool:
        """Have the browser evaluate ``source`` first in every new document of the session;
        False where it cannot (scripts then have to be injected into each page)."""
        return False

    def goto(self, url: str) -> None:
        """Navigate; the page may still be loading (the page script waits for it to settle)."""
        try:
            self.driver.get(url)
        except WebDriverException as error:
            reason = NETWORK_ERROR.search(error.msg or "")
            if reason is None:
                raise
            raise PageLoadError(f"{url} did not load: {reason.group()}") from error

    def run(self, script: str, *args):
        """WebDriver's execute_script."""
        return self.driver.execute_script(script, *args)

    def run_async(self, script: str, *args):
        """WebDriver's execute_async_script: the script calls its last argument when done."""
        try:
            return self.driver.execute_async_script(script, *args)
        except UnexpectedAlertPresentException as error:  # chromedriver has dismissed it
            raise PageLoadError(
                dialog_opened(self.driver.current_url, "alert", error.alert_text)
            ) from error

    def screenshot(self) -> bytes:
        return self.driver.get_screenshot_as_png()

    def close(self) -> None:
        """The session, and so the tab, belongs to the worker."""

    def _apply_viewport(self, viewport: Viewport) -> None:
        self.driver.set_window_size(viewport.width, viewport.height)


class DevToolsTab(WebDriverTab):
    """A local Chromium's tab: navigation and page scripts over the tab's own DevTools
    WebSocket; viewport, screenshots and registration through the session's DevTools commands.

    Each WebDriver command is an HTTP request to chromedriver, and its navigation command does
    its own bookkeeping after the page has loaded: measured together at about 40 ms a page, a
    fifth of what ``axe.run`` takes on a review page. Selenium still starts, owns and quits the
    browser; only "go to this URL" and "run the page script" take this shorter way.
    """

    def __init__(
        self, driver, websocket_url: str, *, load_timeout_s: float, script_timeout_s: float
    ):
        super().__init__(driver)
        self.load_timeout_s = load_timeout_s
        self.script_timeout_s = script_timeout_s
        self.message_ids = itertools.count(1)
        self.url = "about:blank"
        # Chromium refuses WebSocket clients that send an Origin it was not told to allow.
        self.socket = websocket.create_connection(
            websocket_url, timeout=load_timeout_s, suppress_origin=True
        )
        # Page events tell when the new document exists; Inspector's, when the tab has crashed.
        self.call("Page.enable")
        self.call("Inspector.enable")

    @classmethod
    def connect(cls, driver, *, load_timeout_s: float, script_timeout_s: float):
        """The tab of a local chromedriver session, or None where it cannot be reached."""
        address = (driver.capabilities.get("goog:chromeOptions") or {}).get("debuggerAddress")
        if not address:
            return None
        try:
            with urllib.request.urlopen(f"http://{address}/json/list", timeout=10) as response:
                tabs = json.load(response)
            # chromedriver's window handles are the DevTools target ids.
            handle = driver.current_window_handle
            tab = next((tab for tab in tabs if tab.get("id") == handle), None)
            if tab is None:
                return None
            return cls(
                driver,
                tab["webSocketDebuggerUrl"],
                load_timeout_s=load_timeout_s,
                script_timeout_s=script_timeout_s,
            )
        except (OSError, ValueError, websocket.WebSocketException):
            return None

    def goto(self, url: str) -> None:
        """Navigate and return once the new document exists (it may still be loading: the page
        script waits for it to settle, as it does after WebDriver's navigation)."""
        deadline = time.monotonic() + self.load_timeout_s
        self.url = url
        message_id = self._send("Page.navigate", {"url": url})
        reply, committed = None, set()
        while reply is None or reply.get("loaderId") not in committed:
            message = self._receive(deadline, url)
            if message.get("id") == message_id:
                reply = self._result("Page.navigate", message)
                if reply.get("errorText"):
                    raise PageLoadError(f"{url} did not load: {reply['errorText']}")
                if "loaderId" not in reply:  # same-document navigation: nothing to wait for
                    return
            elif message.get("method") == "Page.frameNavigated":
                frame = message["params"]["frame"]
                if "parentId" not in frame:
                    committed.add(frame.get("loaderId"))

    def run_async(self, script: str, *args):
        """Like WebDriver's execute_async_script: the script calls its last argument when done."""
        deadline = time.monotonic() + self.script_timeout_s
        expression = ASYNC_SCRIPT.format(script=script, args=json.dumps(args))
        message_id = self._send(
            "Runtime.evaluate",
            {
                "expression": expression,
                "awaitPromise": True,
                "returnByValue": True,
            },
        )
        reply = self._result(
            "Runtime.evaluate",
            self._receive(deadline, "the page script", lambda m: m.get("id") == message_id),
        )
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            raise JavascriptException(
                (details.get("exception") or {}).get("description") or details.get("text")
            )
        return reply["result"].get("value")

    def call(self, method: str, params: dict | None = None) -> dict:
        deadline = time.monotonic() + self.load_timeout_s
        message_id = self._send(method, params or {})
        return self._result(
            method, self._receive(deadline, method, lambda m: m.get("id") == message_id)
        )

    def register_on_new_documents(self, source: str) -> bool:
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
        return True

    def screenshot(self) -> bytes:
        # scrollWidth, not clientWidth: content overflowing the viewport (a reflow-320 finding)
        # is exactly what the picture has to show. (Chromium paints nothing beyond it, so no
        # margin.)
        width, height = self.driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "jpeg",
                "quality": 70,
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": width,
                    "height": min(height, MAX_SCREENSHOT_HEIGHT),
                    "scale": 1,
                },
            },
        )
        return base64.b64decode(shot["data"])

    def _apply_viewport(self, viewport: Viewport) -> None:
        # The exact CSS viewport; a window size would include the browser's own chrome.
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": viewport.width,
                "height": viewport.height,
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )

    def close(self) -> None:
        # After a crash the socket may already be gone: there is nothing left to release then.
        with contextlib.suppress(OSError, websocket.WebSocketException):
            self.socket.close()

    def _send(self, method: str, params: dict) -> int:
        message_id = next(self.message_ids)
        try:
            self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        except (OSError, websocket.WebSocketException) as error:
            raise WebDriverException(f"lost the browser's DevTools connection: {error}") from error
        return message_id

    def _receive(
        self,
        deadline: float,
        waiting_for: str,
        wanted: Callable[[dict], bool] = lambda message: True,
    ) -> dict:
        """The next wanted message; other events are dropped, a crashed tab is an error."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutException(f"no answer from the browser for {waiting_for}")
            self.socket.settimeout(remaining)
            try:
                message = json.loads(self.socket.recv())
            except websocket.WebSocketTimeoutException as error:
                raise TimeoutException(f"no answer from the browser for {waiting_for}") from error
            except (OSError, websocket.WebSocketException) as error:
                raise WebDriverException(
                    f"lost the browser's DevTools connection: {error}"
                ) from error
            if message.get("method") in ("Inspector.targetCrashed", "Inspector.detached"):
                raise WebDriverException("tab crashed")
            if message.get("method") == "Page.javascriptDialogOpening":
                # A dialog blocks the page until answered; the reply to this is not awaited.
                self._send("Page.handleJavaScriptDialog", {"accept": False})
                dialog = message["params"]
                raise PageLoadError(dialog_opened(self.url, dialog["type"], dialog["message"]))
            if wanted(message):
                return message

    @staticmethod
    def _result(method: str, message: dict) -> dict:
        if "error" in message:
            raise WebDriverException(f"{method} failed: {message['error'].get('message')}")
        return message["result"]
