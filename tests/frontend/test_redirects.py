"""Old addresses of moved or renamed pages follow the CMS's redirects, on this site only."""

import re
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

import httpx
import pytest

from frontend.redirects import same_site_path
from tests.frontend.html_checks import assert_accessible_structure

OLD_PATH = "/serious-case-reviews/child-b-old/"
NEW_PATH = "/serious-case-reviews/child-b/"
GUIDANCE_PATH = "/serious-case-reviews/about-serious-case-reviews/"


def test_old_path_of_a_moved_page_redirects_permanently(client, fake_cms):
    fake_cms.add_redirect(OLD_PATH.rstrip("/"), page_id=5)
    response = client.get(OLD_PATH)
    assert response.status_code == 301
    assert response.headers["Location"] == NEW_PATH
    assert client.get(response.headers["Location"]).status_code == 200


def test_temporary_redirect_to_a_frontend_address(client, fake_cms):
    fake_cms.add_redirect(
        "/old-guidance",
        link="http://frontend.test/serious-case-reviews/?year=2017",
        permanent=False,
    )
    response = client.get("/old-guidance/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/serious-case-reviews/?year=2017"


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/phish/",
        "//evil.example/phish/",
        "/\\evil.example/phish/",
        " /\t/evil.example/phish/",
        "https://frontend.test.evil.example/",
        "https://frontend.test/",  # the wrong scheme is another origin
        "http://frontend.test@evil.example/",
        "javascript:alert(1)",
        "phish/",
    ],
)
def test_redirects_to_other_sites_are_not_followed(client, fake_cms, link):
    fake_cms.add_redirect("/old", link=link)
    response = client.get("/old/")
    assert response.status_code == 404
    assert "Location" not in response.headers


def test_same_site_path():
    site = "http://frontend.test"
    assert same_site_path("/a/b/?c=d", site) == "/a/b/?c=d"
    assert same_site_path("HTTP://Frontend.Test/a/", site) == "/a/"
    assert same_site_path("http://frontend.test:8080/a/", site) is None


def test_redirect_to_a_page_that_is_not_live_is_a_404(client, fake_cms):
    fake_cms.add_redirect("/old", page_id=999)
    assert client.get("/old/").status_code == 404


def test_a_redirect_to_its_own_path_is_a_404_not_a_loop(client, fake_cms):
    fake_cms.add_redirect("/old", link="/old/")
    assert client.get("/old/").status_code == 404


def test_live_pages_are_never_redirected(client, fake_cms):
    fake_cms.add_redirect(NEW_PATH.rstrip("/"), link="/serious-case-reviews/")
    assert client.get(NEW_PATH).status_code == 200
    assert "/api/v3/redirects/find/" not in fake_cms.paths_called()


def test_redirect_lookup_is_cached_until_the_path_is_revalidated(app, client, fake_cms):
    fake_cms.add_redirect(OLD_PATH.rstrip("/"), page_id=5)
    assert client.get(OLD_PATH).headers["Location"] == NEW_PATH
    fake_cms.calls.clear()
    assert client.get(OLD_PATH).headers["Location"] == NEW_PATH
    # Only the page lookup, whose "not found" the CMS marks no-store, is asked again.
    assert fake_cms.paths_called() == ["/api/v3/pages/find/"]

    fake_cms.add_redirect(OLD_PATH.rstrip("/"), page_id=7)  # moved on since
    assert client.get(OLD_PATH).headers["Location"] == NEW_PATH
    app.extensions["cms"].revalidate([OLD_PATH])
    assert client.get(OLD_PATH).headers["Location"] == GUIDANCE_PATH


def test_a_moved_page_still_redirects_while_the_cms_is_down(app, client, fake_cms):
    fake_cms.add_redirect(OLD_PATH.rstrip("/"), page_id=5)
    # On a move the CMS revalidates the old path, so the frontend keeps the "not found".
    app.extensions["cms"].revalidate([OLD_PATH])
    assert client.get(OLD_PATH).status_code == 301
    fake_cms.failure = httpx.ConnectError("connection refused")
    response = client.get(OLD_PATH)
    assert response.status_code == 301
    assert response.headers["Location"] == NEW_PATH


def test_unreadable_redirects_leave_the_404_standing(app, client, fake_cms, monkeypatch):
    """The CMS said there is no page; failing redirects must not make that an error page."""

    def redirects_broken(request):
        if request.url.path.startswith("/api/v3/redirects/"):
            return httpx.Response(502, text="Bad gateway")
        return fake_cms.handle(request)

    monkeypatch.setattr(app.config["API_TRANSPORT"], "handler", redirects_broken)
    assert client.get(OLD_PATH).status_code == 404


# Request targets an attacker may send a reader to, as they appear on the request line.
HOSTILE_PATHS = [
    "/%09/evil.example",  # tab: browsers drop it, leaving //evil.example
    "/%0a/evil.example",  # newline
    "/%0d/evil.example",  # carriage return
    "/%00/evil.example",  # NUL
    "/%0b/evil.example",  # vertical tab
    "/%7f/evil.example",  # DEL
    "/%c2%85/evil.example",  # NEL, a C1 control
    "/evil.example%0d%0aLocation:%20//evil.example",  # header injection
    "/%09/evil.example?next=//evil.example",
    "/%5cevil.example",
    "/%5c%5cevil.example",
    "/\\evil.example",
    "/\\\\evil.example",
    "/%5c/evil.example",
    "//evil.example",
    "///evil.example",
    "//evil.example/",
    "/%2F%2Fevil.example",
    "/%2fevil.example",
    "/%2F%2F%2Fevil.example/",
    "/%E2%88%95evil.example",  # U+2215 DIVISION SLASH
    "/%E2%88%95%E2%88%95evil.example",
    "/%EF%BC%8Fevil.example",  # U+FF0F FULLWIDTH SOLIDUS
    "/%EF%BC%8F%EF%BC%8Fevil.example",
    "/%E2%81%84evil.example",  # U+2044 FRACTION SLASH
    "/%20/evil.example",
    "/%20//evil.example",
    "/%20%5c%5cevil.example",
    "/%E2%80%83/evil.example",  # EM SPACE
    "/https:/evil.example",
    "/https://evil.example",
    "/https:%2F%2Fevil.example",
    "/https:%5c%5cevil.example",
    "/%09https://evil.example",
    "/javascript:alert(1)",
    "/serious-case-reviews//evil.example",
]

SITE = "https://site.example"


def get_raw(client, target):
    """GET ``target`` exactly as it would arrive on the request line: the test client's own URL
    parsing would read "//evil.example" as a host."""
    raw_path, _, query = target.partition("?")
    return client.get(
        "/",
        base_url=SITE,
        environ_overrides={
            # What a WSGI server puts there: the percent-decoded bytes, as latin-1.
            "PATH_INFO": unquote_to_bytes(raw_path).decode("latin-1"),
            "QUERY_STRING": query,
            "REQUEST_URI": target,
            "RAW_URI": target,
        },
    )


def hosts_reached(location: str) -> set[str | None]:
    """Where ``location`` leads from a page of the site, read by Python and as browsers read it
    (tabs and newlines dropped, surrounding controls and spaces stripped, "\\" as "/")."""
    page = f"{SITE}/path"
    as_browsers_read_it = (
        re.sub(r"[\t\r\n]", "", location).strip("".join(map(chr, range(0x21)))).replace("\\", "/")
    )
    return {urlsplit(urljoin(page, url)).hostname for url in (location, as_browsers_read_it)}


@pytest.mark.parametrize("target", HOSTILE_PATHS)
def test_no_request_path_redirects_to_another_site(client, target):
    response = get_raw(client, target)
    if response.status_code == 404:
        assert "Page not found" in response.get_data(as_text=True)
        return
    assert response.status_code in (301, 302, 308), response.status_code
    assert hosts_reached(response.headers["Location"]) == {"site.example"}


@pytest.mark.parametrize(
    "target",
    [target for target in HOSTILE_PATHS if re.search(r"%(0[0-9a-f]|7f|c2%85)", target, re.I)],
)
def test_paths_with_control_characters_are_an_accessible_404(client, target):
    response = get_raw(client, target)
    assert response.status_code == 404
    assert "Location" not in response.headers
    assert_accessible_structure(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/serious-case-reviews", "/serious-case-reviews/"),
        ("/serious-case-reviews?year=2017", "/serious-case-reviews/?year=2017"),
        ("/serious-case-reviews//child-b/", "/serious-case-reviews/child-b/"),
        ("/%5cevil.example", "/evil.example/"),
        ("/%2F%2Fevil.example", "/evil.example/"),
        ("/%E2%88%95evil.example", "/%E2%88%95evil.example/"),
        ("/a%20b?q=a%20b&r=<x>", "/a%20b/?q=a%20b&r=%3Cx%3E"),
    ],
)
def test_the_slash_redirect_keeps_readers_on_the_path_they_asked_for(client, target, location):
    response = get_raw(client, target)
    assert response.status_code == 301
    assert response.headers["Location"] == location


@pytest.mark.parametrize(
    "link",
    [
        "/\t/evil.example/",
        "/%09/evil.example/",
        "/%0a/evil.example/",
        "/%5c%5cevil.example/",
        "/%2F%2Fevil.example/",
        "/\u2215evil.example/",
        "/\uff0f\uff0fevil.example/",
        "http://frontend.test//evil.example/",
        "http://frontend.test/%5c%5cevil.example/",
    ],
)
def test_cms_redirects_cannot_lead_to_another_site_either(client, fake_cms, link):
    fake_cms.add_redirect("/old", link=link)
    response = client.get("/old/")
    if response.status_code == 404:
        return
    assert response.status_code == 301
    assert hosts_reached(response.headers["Location"]) == {"site.example"}
