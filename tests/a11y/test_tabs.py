"""The DevTools tab's message handling, against a scripted socket (the real browser is driven in
test_workers.py): it waits for the right document, ignores what is not its own, fails clearly."""

from __future__ import annotations

import base64
import json

import pytest
import websocket
from selenium.common.exceptions import JavascriptException, TimeoutException, WebDriverException

from a11y_tests.config import MOBILE
from a11y_tests.load import PageLoadError
from a11y_tests.tabs import MAX_SCREENSHOT_HEIGHT, DevToolsTab


class ScriptedSocket:
    """Answers each sent command with the messages a test queued for it."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.sent = []
        self.inbox = []

    def send(self, data):
        message = json.loads(data)
        self.sent.append(message)
        self.inbox.extend(self.answers.pop(0)(message["id"]) if self.answers else [])

    def recv_data_frame(self, control_frame=False):
        if not self.inbox:
            raise websocket.WebSocketTimeoutException("timed out")
        frame = websocket.ABNF(fin=1, data=json.dumps(self.inbox.pop(0)).encode())
        return frame.opcode, frame

    def settimeout(self, seconds):
        pass


def tab_on(*answers) -> DevToolsTab:
    tab = DevToolsTab.__new__(DevToolsTab)
    tab.load_timeout_s = tab.script_timeout_s = 5
    tab.message_ids = iter(range(1, 100))
    tab.socket = ScriptedSocket(answers)
    tab.url = "http://site.test/"
    tab.viewport = None
    return tab


def frame_navigated(loader_id, **frame):
    return {"method": "Page.frameNavigated", "params": {"frame": {"loaderId": loader_id, **frame}}}


def test_goto_returns_once_the_main_frame_of_its_own_navigation_has_committed():
    tab = tab_on(
        lambda message_id: [
            frame_navigated("previous"),  # the page before, still reporting
            {"id": message_id, "result": {"frameId": "main", "loaderId": "new"}},
            frame_navigated("new", parentId="main"),  # an iframe of the new page
            frame_navigated("new"),
            {"method": "Page.domContentEventFired", "params": {}},
        ]
    )
    tab.goto("http://site.test/review/")
    assert tab.socket.sent[0]["params"] == {"url": "http://site.test/review/"}
    assert tab.socket.inbox == [{"method": "Page.domContentEventFired", "params": {}}]


def test_goto_accepts_a_commit_announced_before_the_reply():
    tab = tab_on(
        lambda message_id: [
            frame_navigated("new"),
            {"id": message_id, "result": {"loaderId": "new"}},
        ]
    )
    tab.goto("http://site.test/")
    assert tab.socket.inbox == []


def test_a_failed_navigation_is_a_load_error_naming_the_reason():
    tab = tab_on(
        lambda message_id: [
            {
                "id": message_id,
                "result": {"loaderId": "x", "errorText": "net::ERR_NAME_NOT_RESOLVED"},
            },
        ]
    )
    with pytest.raises(PageLoadError, match="did not load: net::ERR_NAME_NOT_RESOLVED"):
        tab.goto("http://nowhere.test/")


def test_page_script_gets_its_arguments_and_a_callback_and_returns_the_value():
    tab = tab_on(
        lambda message_id: [
            {"id": message_id - 1, "result": {"result": {"value": "a stale answer"}}},
            {"id": message_id, "result": {"result": {"type": "object", "value": {"ok": True}}}},
        ]
    )
    assert tab.run_async("arguments[arguments.length - 1](arguments[0])", {"ok": True}) == {
        "ok": True
    }
    command = tab.socket.sent[0]
    assert command["method"] == "Runtime.evaluate"
    assert command["params"]["awaitPromise"] and command["params"]["returnByValue"]
    assert '[...[{"ok": true}], done]' in command["params"]["expression"]


def test_a_throwing_page_script_is_a_javascript_error():
    tab = tab_on(
        lambda message_id: [
            {
                "id": message_id,
                "result": {
                    "result": {"type": "object"},
                    "exceptionDetails": {
                        "text": "Uncaught",
                        "exception": {"description": "TypeError: x"},
                    },
                },
            }
        ]
    )
    with pytest.raises(JavascriptException, match="TypeError: x"):
        tab.run_async("null.x")


def test_a_crashed_tab_and_a_silent_browser_are_browser_errors():
    crashed = tab_on(lambda message_id: [{"method": "Inspector.targetCrashed", "params": {}}])
    with pytest.raises(WebDriverException, match="tab crashed"):
        crashed.goto("http://site.test/")
    silent = tab_on(lambda message_id: [])
    with pytest.raises(TimeoutException, match="no answer from the browser for the page script"):
        silent.run_async("")


def test_a_dialog_is_dismissed_and_the_page_is_not_audited():
    tab = tab_on(
        lambda message_id: [
            {
                "method": "Page.javascriptDialogOpening",
                "params": {"type": "confirm", "message": "Leave?"},
            }
        ]
    )
    with pytest.raises(PageLoadError, match=r"opened a JavaScript confirm \('Leave\?'\)"):
        tab.run_async("confirm('Leave?')")
    assert tab.socket.sent[-1] == {
        "id": 2,
        "method": "Page.handleJavaScriptDialog",
        "params": {"accept": False},
    }


def answer(result):
    return lambda message_id: [{"id": message_id, "result": result}]


def test_viewport_registration_scripts_and_screenshots_use_the_tabs_own_connection():
    """None of it through chromedriver (the tab has no driver here), which first waits for
    navigations it did not make itself: a resize took 0.7 s that way."""
    tab = tab_on(
        answer({}),
        answer({"identifier": "1"}),
        answer({"result": {"type": "number", "value": 3}}),
        answer({"cssContentSize": {"x": 0, "y": 0, "width": 616.5, "height": 9000}}),
        answer({"data": base64.b64encode(b"a jpeg").decode()}),
    )
    tab.driver = None
    tab.set_viewport(MOBILE)
    tab.set_viewport(MOBILE)  # unchanged: nothing sent
    assert tab.register_on_new_documents("window.registered = true;")
    assert tab.run("return arguments[0] + arguments[1];", 1, 2) == 3
    assert tab.screenshot() == b"a jpeg"

    sent = tab.socket.sent
    assert [message["method"] for message in sent] == [
        "Emulation.setDeviceMetricsOverride",
        "Page.addScriptToEvaluateOnNewDocument",
        "Runtime.evaluate",
        "Page.getLayoutMetrics",
        "Page.captureScreenshot",
    ]
    assert sent[0]["params"] == {
        "width": 320,
        "height": 640,
        "deviceScaleFactor": 1,
        "mobile": False,
    }
    assert sent[1]["params"] == {"source": "window.registered = true;"}
    assert sent[2]["params"]["expression"].endswith(").apply(null, [1, 2])")
    # The whole width the content overflows to, cut at the longest picture a report shows.
    assert sent[4]["params"]["clip"] == {
        "x": 0,
        "y": 0,
        "width": 617,
        "height": MAX_SCREENSHOT_HEIGHT,
        "scale": 1,
    }
