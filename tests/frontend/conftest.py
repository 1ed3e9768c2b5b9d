"""Fixtures for the frontend's tests.

Unit tests get the Flask app wired to ``FakeCms``: an ``httpx.MockTransport``
that answers as docs/api.md says the CMS does, and counts every call.
Integration tests get one real CMS and one real frontend (gunicorn
subprocesses, see tests/stack.py) for the whole session.
"""

from __future__ import annotations

import copy
import json
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from frontend import create_app
from frontend.config import TestConfig
from tests.stack import REPO_ROOT, start_cms, start_frontend

CMS = "http://cms.test"
REVIEW_TYPES = ("scr", "lcspr", "national", "other")

CHILD_B_QUOTE = (
    "<p>This is a very sad case where, despite a lot of support from many agencies, a young "
    "person was regrettably harmed.</p>"
)
STATEMENT = {
    "date": "2017-02-20",
    "speaker": "Keith Makin",
    "role": "Chair of the Merton Safeguarding Children Board",
    "quote": CHILD_B_QUOTE,
}
DOCUMENT_REPORT = {
    "kind": "document",
    "title": "Child B serious case review report",
    "url": f"{CMS}/documents/1/child-b-serious-case-review.pdf",
    "filename": "child-b-serious-case-review.pdf",
    "extension": "pdf",
    "content_type": "application/pdf",
    "size_bytes": 1258291,
    "page_count": 48,
    "link_text": "View Report for Child B serious case review",
}
EXTERNAL_REPORT = {
    "kind": "external",
    "url": "https://www.example.org/family-a-serious-case-review",
    "link_text": "More information about Family A serious case review",
    "site_name": "Kingston LSCB website",
}


def _meta(page_type, slug):
    return {
        "type": page_type,
        "detail_url": f"{CMS}/api/v3/pages/0/",
        "html_url": None,
        "slug": slug,
        "locale": "en-gb",
        "first_published_at": "2017-02-20T10:00:00Z",
        "seo_title": "",
        "search_description": "",
    }


def review_summary(number, *, year=2017, review_type="scr"):
    slug = "child-b" if number == 1 else f"review-{number}"
    title = (
        "Child B: serious case review" if number == 1 else f"Review {number}: serious case review"
    )
    return {
        "id": 100 + number,
        "title": title,
        "path": f"/serious-case-reviews/{slug}/",
        "subject": "Child B",
        "review_type": review_type,
        "review_type_label": "Serious case review",
        "date_published": f"{year}-02-20",
        "board": "Merton Safeguarding Children Board",
        "themes": [],
        "summary": "",
        "latest_statement_date": f"{year}-02-20",
        "statements": [STATEMENT],
        "reports": [DOCUMENT_REPORT if number == 1 else EXTERNAL_REPORT],
    }


HOME = {
    "id": 3,
    "meta": _meta("pages.HomePage", "home"),
    "title": "Merton Safeguarding Children Board",
    "intro": "<p>Reviews of cases where a child has suffered harm.</p>",
    "sections": [{"id": 4, "title": "Serious case reviews", "path": "/serious-case-reviews/"}],
    "path": "/",
    "breadcrumbs": [],
    "last_updated": "2017-02-21",
}

INDEX = {
    "id": 4,
    "meta": _meta("pages.ReviewIndexPage", "serious-case-reviews"),
    "title": "Serious case reviews",
    "intro": "<p>In some instances where a child has suffered harm a serious case review (SCR) "
    "is carried out.</p>",
    "last_reviewed": "2017-02-21",
    "guidance_pages": [
        {
            "id": 7,
            "title": "About serious case reviews",
            "path": "/serious-case-reviews/about-serious-case-reviews/",
            "summary": "What the law says about when a review must be carried out.",
            "body": [
                {
                    "type": "paragraph",
                    "id": "g1",
                    "value": "<p>The final decision on whether to conduct the SCR rests with "
                    "the LSCB Chair.</p>",
                }
            ],
        }
    ],
    "reviews": {
        "count": 2,
        "limit": 20,
        "items": [review_summary(1), review_summary(2, year=2015)],
    },
    "filters": {
        "years": [2017, 2015],
        "review_types": [{"value": "scr", "label": "Serious case review"}],
    },
    "path": "/serious-case-reviews/",
    "breadcrumbs": [{"title": "Merton Safeguarding Children Board", "path": "/"}],
    "last_updated": "2017-02-21",
}

REVIEW = {
    "id": 5,
    "meta": _meta("pages.ReviewPage", "child-b"),
    "title": "Child B: serious case review",
    "subject": "Child B",
    "review_type": "scr",
    "review_type_label": "Serious case review",
    "date_published": "2017-02-20",
    "board": "Merton Safeguarding Children Board",
    "summary": "",
    "themes": ["neglect"],
    "latest_statement_date": "2017-02-20",
    "body": [
        {"type": "statement", "id": "s1", "value": STATEMENT},
        {"type": "report", "id": "r1", "value": DOCUMENT_REPORT},
        {"type": "report", "id": "r2", "value": EXTERNAL_REPORT},
    ],
    "path": "/serious-case-reviews/child-b/",
    "breadcrumbs": [
        {"title": "Merton Safeguarding Children Board", "path": "/"},
        {"title": "Serious case reviews", "path": "/serious-case-reviews/"},
    ],
    "last_updated": "2017-02-22",
}

GUIDANCE = {
    "id": 7,
    "meta": _meta("pages.GuidancePage", "about-serious-case-reviews"),
    "title": "About serious case reviews",
    "summary": "",
    "body": [
        {"type": "heading", "id": "h1", "value": {"text": "When a review is needed", "level": 2}},
        {
            "type": "criteria_list",
            "id": "c1",
            "value": {
                "intro": "SCRs must be undertaken by LSCBs where —",
                "items": [
                    {
                        "text": "abuse or neglect of a child is known or suspected; and",
                        "sub_items": [],
                    },
                    {
                        "text": "either —",
                        "sub_items": [
                            "the child has died; or",
                            "the child has been seriously harmed.",
                        ],
                    },
                ],
            },
        },
        {
            "type": "paragraph",
            "id": "p1",
            "value": "<p>The final decision rests with the Chair.</p>",
        },
        {
            "type": "citation",
            "id": "c2",
            "value": {
                "organisation": "Department for Education",
                "title": "Serious Case Reviews",
                "url": "https://www.gov.uk/government/collections/serious-case-reviews",
            },
        },
    ],
    "path": "/serious-case-reviews/about-serious-case-reviews/",
    "breadcrumbs": REVIEW["breadcrumbs"],
    "last_updated": "2017-02-21",
}

USERBAR_HTML = (
    '<template id="wagtail-userbar-template"><aside hidden></aside></template>'
    "<wagtail-userbar></wagtail-userbar>"
    f'<script src="{CMS}/static/wagtailadmin/js/vendor.js"></script>'
    f'<script src="{CMS}/static/wagtailadmin/js/userbar.js"></script>'
)


class FakeCms:
    """Answers like the CMS's API (docs/api.md) and records every request it receives."""

    def __init__(self):
        self.pages = {page["path"]: copy.deepcopy(page) for page in (HOME, INDEX, REVIEW, GUIDANCE)}
        self.all_reviews = [review_summary(1), review_summary(2, year=2015)]
        self.previews = {}
        # Wagtail's redirects, by old path as it stores them: no trailing slash.
        self.redirects: dict[str, dict] = {}
        self.calls: list[httpx.Request] = []
        self.cache_control = "public, max-age=60"
        # Set to an exception or a status to make the CMS fail.
        self.failure: Exception | int | None = None
        self.malformed = False
        self.userbar_available = True

    def set_review_count(self, count):
        """Give the index ``count`` reviews, so it needs pagination and filters."""
        self.all_reviews = [
            review_summary(n, year=2017 if n % 2 else 2015) for n in range(1, count + 1)
        ]
        index = self.pages["/serious-case-reviews/"]
        index["reviews"] = {"count": count, "limit": 20, "items": self.all_reviews[:20]}

    def add_redirect(self, old_path, *, page_id=None, link="", permanent=True):
        """A redirect as Wagtail makes one when a page moves (to ``page_id``) or as an editor
        does (to ``link``)."""
        self.redirects[old_path] = {
            "id": len(self.redirects) + 1,
            "old_path": old_path,
            "site_id": 2,
            "is_permanent": permanent,
            "redirect_page_id": page_id,
            "redirect_page_route_path": "",
            "redirect_link": link,
            "automatically_created": page_id is not None,
            "created_at": "2026-11-26T10:25:08.137Z",
        }

    def paths_called(self):
        return [request.url.path for request in self.calls]

    def handle(self, request: httpx.Request) -> httpx.Response:
        # A copy: the cache adds conditional headers only while the request is being sent.
        self.calls.append(
            httpx.Request(request.method, request.url, headers=request.headers.copy())
        )
        if isinstance(self.failure, Exception):
            raise self.failure
        if isinstance(self.failure, int):
            return httpx.Response(self.failure, text="Server error")
        url = urlsplit(str(request.url))
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/api/v3/pages/find/":
            page = self.pages.get(query.get("html_path"))
            if page is None:
                return self._problem(404)
            return httpx.Response(302, headers={"Location": f"/api/v3/pages/{page['id']}/"})
        if url.path == "/api/v3/redirects/find/":
            # Like Wagtail's: html_path must match the stored old path exactly.
            found = self.redirects.get(query.get("html_path"))
            if found is None:
                return self._problem(404)
            return httpx.Response(302, headers={"Location": f"/api/v3/redirects/{found['id']}/?"})
        if url.path.startswith("/api/v3/redirects/"):
            redirect_id = int(url.path.rstrip("/").rsplit("/", 1)[-1])
            for found in self.redirects.values():
                if found["id"] == redirect_id:
                    return self._json(found)
            return self._problem(404)
        if url.path.startswith("/api/v3/pages/"):
            page_id = int(url.path.rstrip("/").rsplit("/", 1)[-1])
            for page in self.pages.values():
                if page["id"] == page_id:
                    etag = f'"page-{page_id}-{hash(page["title"])}"'
                    if request.headers.get("If-None-Match") == etag and not self.malformed:
                        return httpx.Response(
                            304, headers={"ETag": etag, "Cache-Control": self.cache_control}
                        )
                    return self._json(page, etag=etag)
            return self._problem(404)
        if url.path == "/api/v3/reviews/":
            return self._reviews(query)
        if url.path == "/api/v3/sitemap/":
            items = [
                {
                    "id": page["id"],
                    "type": page["meta"]["type"],
                    "title": page["title"],
                    "path": path,
                    "last_published_at": "2017-02-20T10:00:00Z",
                    "last_updated": page["last_updated"],
                }
                for path, page in self.pages.items()
            ]
            return self._json({"count": len(items), "items": items})
        if url.path == "/api/v3/page_preview/":
            draft = self.previews.get((query.get("content_type"), query.get("token")))
            if draft is None:
                return self._problem(403)
            return httpx.Response(200, json=draft, headers={"Cache-Control": "no-store"})
        if url.path == "/api/userbar/" and self.userbar_available:
            return httpx.Response(200, text=USERBAR_HTML)
        return self._problem(404)

    def _reviews(self, query):
        """Filtered as the API filters; values of the wrong kind refused as it refuses them."""
        wrong = [
            {"type": "invalid", "loc": ["query", name], "msg": "Input should be valid"}
            for name, valid in (
                ("year", lambda year: year.isdigit() and 1900 <= int(year) <= 2999),
                ("review_type", lambda kind: kind in REVIEW_TYPES),
            )
            if name in query and not valid(query[name])
        ]
        if wrong:
            return self._problem(422, errors=wrong)
        if '"' in query.get("search", ""):
            return self._problem(400)
        words = query.get("search", "").lower().split()
        items = [
            review
            for review in self.all_reviews
            if (not query.get("year") or review["date_published"].startswith(query["year"]))
            and (not query.get("review_type") or review["review_type"] == query["review_type"])
            and (not query.get("board") or review["board"].lower() == query["board"].lower())
            and (not query.get("theme") or query["theme"].lower() in _theme_keys(review))
            and all(word in json.dumps(review).lower() for word in words)
        ]
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 20))
        return self._json({"count": len(items), "items": items[offset : offset + limit]})

    def _json(self, data, etag=None):
        headers = {"Cache-Control": self.cache_control}
        if etag:
            headers["ETag"] = etag
        if self.malformed:
            return httpx.Response(200, text="{not json", headers=headers)
        return httpx.Response(200, content=json.dumps(data).encode(), headers=headers)

    @staticmethod
    def _problem(status, **extra):
        body = {
            "type": "about:blank",
            "title": "Not found",
            "status": status,
            "detail": "",
            **extra,
        }
        # As the real CMS does: errors are answered afresh, never stored by a cache.
        headers = {"Content-Type": "application/problem+json", "Cache-Control": "no-store"}
        return httpx.Response(status, json=body, headers=headers)


def _theme_keys(review):
    """What the API's ``theme`` parameter matches: a theme's name, any case, or its slug."""
    names = {theme.lower() for theme in review["themes"]}
    return names | {name.replace(" ", "-") for name in names}


@pytest.fixture
def fake_cms():
    return FakeCms()


def unit_test_app(fake_cms, cache_dir, **settings):
    """The app wired to ``fake_cms``, its shared storage in ``cache_dir``; ``settings``
    override TestConfig's."""
    config = type(
        "UnitTestConfig",
        (TestConfig,),
        {
            "CACHE_DIR": str(cache_dir),
            "API_TRANSPORT": httpx.MockTransport(fake_cms.handle),
            **settings,
        },
    )
    return create_app(config)


@pytest.fixture
def app(fake_cms, tmp_path):
    app = unit_test_app(fake_cms, tmp_path / "cache")
    yield app
    app.extensions["cms"].close()


@pytest.fixture
def client(app):
    return app.test_client()


# Integration: the real CMS and the real frontend, once per session.

CMS_PORTS = range(8200, 8300)
FRONTEND_PORTS = range(5200, 5300)
# The frontend's circuit breaker cool-down: tests that stop the CMS wait this long after
# starting it again.
BREAKER_RESET_SECONDS = 2


def port_in(ports) -> int:
    """A free port from this suite's own range, so parallel suites never collide."""
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {ports}")


class Stack:
    def __init__(self, cms, frontend):
        self.cms = cms
        self.frontend = frontend

    def cms_shell(self, code: str) -> str:
        """Run Python in the CMS's own environment (its database), as an editor's action would."""
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=REPO_ROOT,
            env=self.cms.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    workdir: Path = tmp_path_factory.mktemp("frontend-stack")
    cms_port = port_in(CMS_PORTS)
    frontend_port = port_in(FRONTEND_PORTS)
    cms = start_cms(
        workdir, port=cms_port, extra_env={"FRONTEND_URL": f"http://127.0.0.1:{frontend_port}"}
    )
    try:
        frontend = start_frontend(
            port=frontend_port,
            cms_url=cms.url,
            extra_env={
                "ACCESSIBLE_FORMAT_EMAIL": "accessible.formats@example.org",
                "FRONTEND_URL": f"http://127.0.0.1:{frontend_port}",
                "CMS_BREAKER_RESET_SECONDS": str(BREAKER_RESET_SECONDS),
            },
        )
    except BaseException:
        cms.stop()
        raise
    yield Stack(cms, frontend)
    frontend.stop()
    cms.stop()
