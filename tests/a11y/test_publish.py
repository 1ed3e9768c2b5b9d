"""``--publish-to``: one authenticated multipart request, its refusals turned into messages."""

from __future__ import annotations

import email.parser
import email.policy
import http.server
import io
import json
import subprocess
import sys
import threading
import zipfile

import pytest

from a11y_tests.config import REPO_ROOT
from a11y_tests.publish import PublishError, publish_results, screenshots_zip
from tests.stack import free_port

SHOT = "screenshots/image-alt-1a2b3c4d--desktop.jpg"


class StubCMS(http.server.ThreadingHTTPServer):
    """Answers every POST with ``status`` and ``body``; keeps what it was sent."""

    def __init__(self, status: int, body: dict):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.status, self.body, self.requests = status, body, []
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.server.requests.append((self.path, dict(self.headers), self.rfile.read(length)))
        body = json.dumps(self.server.body).encode()
        self.send_response(self.server.status)
        content_type = (
            "application/json" if self.server.status < 400 else "application/problem+json"
        )
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    servers = []

    def start(status=201, body=None):
        servers.append(StubCMS(status, body or {"run": 7, "results": 1, "complete": True}))
        return servers[-1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def document(screenshot=SHOT):
    return {"schema": "a11y-audit/1", "results": [{"id": "/@desktop", "screenshot": screenshot}]}


def parts(headers, body) -> dict[str, bytes]:
    message = email.parser.BytesParser(policy=email.policy.default).parsebytes(
        f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode() + body
    )
    return {
        part.get_param("name", header="content-disposition"): part.get_content()
        for part in message.iter_parts()
    }


def test_results_and_their_screenshots_are_posted_with_the_token(stub, tmp_path):
    (tmp_path / "screenshots").mkdir()
    (tmp_path / SHOT).write_bytes(b"\xff\xd8\xffpicture")
    (tmp_path / "screenshots" / "left-over--mobile.jpg").write_bytes(b"\xff\xd8\xffold")
    cms = stub()

    answer = publish_results(cms.url + "/", "a11y_secret", document(), tmp_path)

    assert answer["run"] == 7
    [(path, headers, body)] = cms.requests
    assert path == "/audits/results/"
    assert headers["Authorization"] == "Bearer a11y_secret"
    sent = parts(headers, body)
    assert json.loads(sent["results"]) == document()
    with zipfile.ZipFile(io.BytesIO(sent["screenshots"])) as archive:
        # Only what a row names; stored as is (the images are compressed already).
        assert archive.namelist() == [SHOT]
        assert archive.getinfo(SHOT).compress_type == zipfile.ZIP_STORED
        assert archive.read(SHOT) == b"\xff\xd8\xffpicture"


def test_without_screenshots_on_disk_only_the_results_go(stub, tmp_path):
    cms = stub()
    publish_results(cms.url, "a11y_secret", document(), tmp_path)
    assert list(parts(*cms.requests[0][1:])) == ["results"]
    assert screenshots_zip(document(screenshot=None), tmp_path) is None


def test_a_refusal_says_what_the_cms_said(stub, tmp_path):
    cms = stub(
        422,
        {
            "status": 422,
            "detail": "not a valid a11y-audit/1 results document",
            "errors": [{"detail": "results/0: 'path' is a required property"}],
        },
    )
    with pytest.raises(PublishError) as refused:
        publish_results(cms.url, "a11y_secret", document(), tmp_path)
    assert str(refused.value) == (
        f"the CMS at {cms.url}/audits/results/ refused the results (HTTP 422): "
        "not a valid a11y-audit/1 results document; results/0: 'path' is a required property"
    )


def test_an_unreachable_cms_is_a_publish_error(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(PublishError, match=f"CMS not reachable at {url}/audits/results/"):
        publish_results(url, "a11y_secret", document(), tmp_path)


def test_publishing_without_a_token_stops_before_the_audit(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "a11y_tests", "--publish-to", "http://cms.test"],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert completed.stderr == (
        "a11y-audit: cannot run: --publish-to needs a token: --publish-token or "
        "A11Y_PUBLISH_TOKEN\n"
    )
