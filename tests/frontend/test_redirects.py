"""Old addresses of moved or renamed pages follow the CMS's redirects, on this site only."""

import httpx
import pytest

from frontend.views import same_site_path

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
