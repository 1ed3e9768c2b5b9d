"""How the audit drives one browser tab: the one place that knows DevTools from WebDriver.

:func:`open_tab` decides once per browser session. A local Chromium, or a Selenium Grid
session that exposes DevTools (its ``se:cdp`` capability, a WebSocket the Grid proxies to the
node's browser), gets a :class:`DevToolsTab` (its own DevTools connection, emulated viewport,
JPEG screenshots of the whole page, axe-core registered once for every new document); any
other session a :class:`WebDriverTab`, which does the same with WebDriver commands alone: the
window sized to the viewport, a PNG of what the window shows, axe-core injected into each page.
WebDriver alone runs nothing before the page's own scripts, so there the wait cannot count the
page's fetch/XHR calls.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import math
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
    """The session's tab, driven over DevTools where the session's DevTools can be reached, else
    over WebDriver.

    A local session's DevTools address is on this machine. A Grid session's ``debuggerAddress``
    is on its node's, which may well be another machine: only the Grid's own DevTools proxy
    (``se:cdp``) is used there, and a Grid that does not offer one gets the WebDriver tab.
    """
    tab = DevToolsTab.connect(
        driver,
        through_grid=bool(settings.remote_url),
        load_timeout_s=settings.page_load_timeout_s,
        script_timeout_s=settings.script_timeout_s,
    )
    return tab if tab is not None else WebDriverTab(driver)


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
    """A Chromium tab with DevTools: everything the audit does in the tab (viewport, scripts run
    before the page's own, navigation, page scripts, screenshots) over a DevTools WebSocket: the
    tab's own locally; through a Grid, the browser's as the Grid proxies it, with the tab
    attached as a session of it.

    Each WebDriver command is an HTTP request to chromedriver, and its navigation command does
    its own bookkeeping after the page has loaded: measured together at about 40 ms a page, a
    fifth of what ``axe.run`` takes on a review page. Its DevTools commands are no shortcut
    either: chromedriver first waits for navigations it did not start itself, and resizing the
    viewport through it after the tab had navigated this way took 0.7 s. Selenium still starts,
    owns and quits the browser.
    """

    # Messages to and from a tab attached through the browser's endpoint carry its session id;
    # the tab's own endpoint needs none.
    session_id: str | None = None

    def __init__(
        self,
        driver,
        websocket_url: str,
        *,
        load_timeout_s: float,
        script_timeout_s: float,
        target_id: str | None = None,
    ):
        """Connect to ``websocket_url``: the tab's own endpoint, or, given the tab's
        ``target_id``, the browser's, where the tab is attached as a session of its own."""
        super().__init__(driver)
        self.load_timeout_s = load_timeout_s
        self.script_timeout_s = script_timeout_s
        self.message_ids = itertools.count(1)
        self.url = "about:blank"
        self.websocket_url = websocket_url
        # Chromium refuses WebSocket clients that send an Origin it was not told to allow.
        self.socket = websocket.create_connection(
            websocket_url, timeout=load_timeout_s, suppress_origin=True
        )
        if target_id is not None:
            # flatten: the tab's commands and events travel on this connection, with its id.
            attached = self.call("Target.attachToTarget", {"targetId": target_id, "flatten": True})
            self.session_id = attached["sessionId"]
        # Page events tell when the new document exists; Inspector's, when the tab has crashed.
        self.call("Page.enable")
        self.call("Inspector.enable")

    @classmethod
    def connect(cls, driver, *, through_grid: bool, load_timeout_s: float, script_timeout_s: float):
        """The session's tab over DevTools, or None where its DevTools cannot be reached."""
        try:
            endpoint = cls._grid_endpoint(driver) if through_grid else cls._local_endpoint(driver)
            if endpoint is None:
                return None
            websocket_url, target_id = endpoint
            return cls(
                driver,
                websocket_url,
                target_id=target_id,
                load_timeout_s=load_timeout_s,
                script_timeout_s=script_timeout_s,
            )
        except (OSError, ValueError, websocket.WebSocketException, WebDriverException):
            return None

    @staticmethod
    def _grid_endpoint(driver) -> tuple[str, str] | None:
        """The browser's DevTools as the Grid proxies them, and the tab to attach to there."""
        websocket_url = driver.capabilities.get("se:cdp")
        # chromedriver's window handles are the DevTools target ids.
        return (websocket_url, driver.current_window_handle) if websocket_url else None

    @staticmethod
    def _local_endpoint(driver) -> tuple[str, None] | None:
        """The tab's own DevTools endpoint, from the local browser's list of its tabs."""
        address = (driver.capabilities.get("goog:chromeOptions") or {}).get("debuggerAddress")
        if not address:
            return None
        with urllib.request.urlopen(f"http://{address}/json/list", timeout=10) as response:
            tabs = json.load(response)
        handle = driver.current_window_handle
        tab = next((tab for tab in tabs if tab.get("id") == handle), None)
        return (tab["webSocketDebuggerUrl"], None) if tab is not None else None

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
        expression = ASYNC_SCRIPT.format(script=script, args=json.dumps(args))
        return self._evaluate(expression, self.script_timeout_s, "the page script")

    def _evaluate(self, expression: str, timeout_s: float, waiting_for: str):
        """Evaluate ``expression`` in the page, await it if it is a promise, return its value."""
        deadline = time.monotonic() + timeout_s
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
            self._receive(deadline, waiting_for, lambda m: m.get("id") == message_id),
        )
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            raise JavascriptException(
                (details.get("exception") or {}).get("description") or details.get("text")
            )
        return reply["result"].get("value")

    def run(self, script: str, *args):
        """Like WebDriver's execute_script: ``script`` is a function body, ``arguments`` its
        arguments, and what it returns comes back as a value."""
        expression = f"(function () {{\n{script}\n}}).apply(null, {json.dumps(args)})"
        return self._evaluate(expression, self.load_timeout_s, "the script")

    def call(self, method: str, params: dict | None = None) -> dict:
        deadline = time.monotonic() + self.load_timeout_s
        message_id = self._send(method, params or {})
        return self._result(
            method, self._receive(deadline, method, lambda m: m.get("id") == message_id)
        )

    def register_on_new_documents(self, source: str) -> bool:
        # Registered on this connection's session, so it lasts as long as the tab is driven.
        self.call("Page.addScriptToEvaluateOnNewDocument", {"source": source})
        return True

    def screenshot(self) -> bytes:
        # The whole scrollable content, not the viewport: content overflowing it sideways (a
        # reflow-320 finding) is exactly what the picture has to show. (Chromium paints nothing
        # beyond it, so no margin.)
        content = self.call("Page.getLayoutMetrics")["cssContentSize"]
        width, height = math.ceil(content["width"]), math.ceil(content["height"])
        shot = self.call(
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
        self.call(
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
        message = {"id": message_id, "method": method, "params": params}
        if self.session_id is not None:
            message["sessionId"] = self.session_id
        try:
            self.socket.send(json.dumps(message))
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
                # Control frames come back here too: a proxy's pings (Selenium Grid's, every
                # 30 s) would otherwise restart the library's wait and outlast the deadline.
                opcode, frame = self.socket.recv_data_frame(control_frame=True)
            except websocket.WebSocketTimeoutException as error:
                raise TimeoutException(f"no answer from the browser for {waiting_for}") from error
            except (OSError, websocket.WebSocketException) as error:
                raise WebDriverException(
                    f"lost the browser's DevTools connection: {error}"
                ) from error
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                raise WebDriverException("lost the browser's DevTools connection: it was closed")
            if opcode != websocket.ABNF.OPCODE_TEXT:  # a ping (answered already) or pong
                continue
            message = json.loads(frame.data)
            if message.get("method") in ("Inspector.targetCrashed", "Inspector.detached"):
                raise WebDriverException("tab crashed")
            if message.get("method") == "Target.detachedFromTarget":
                raise WebDriverException("lost the browser's DevTools connection: tab detached")
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
