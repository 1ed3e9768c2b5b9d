"""Password guessing is stopped: admin logins lock out (django-axes), page and document
passwords are rate-limited (django-ratelimit), each with a page that says what happened."""

import subprocess

import httpx
import pytest
from django.core.cache import caches
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from tests.stack import PYTHON, REPO_ROOT, free_port, start_cms

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def fresh_limits():
    caches["shared"].clear()
    yield
    caches["shared"].clear()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", "editor@example.org", "right-password")


def attempt(client, username, password, ip="203.0.113.5"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_admin_login_locks_out_after_five_wrong_passwords(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "editor", "guess")
        assert response.status_code == 200  # the login form again, with its error
    locked = attempt(client, "editor", "guess")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "Try again in 15 minutes" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert attempt(client, "editor", "right-password").status_code == 429


@pytest.mark.django_db
def test_the_lock_out_covers_the_username_from_any_address(client, editor, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "editor", "guess", ip=f"198.51.100.{number}")
    assert attempt(client, "editor", "right-password", ip="192.0.2.99").status_code == 429


@pytest.mark.django_db
def test_the_lock_out_covers_the_address_for_any_username(client, editor, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"someone-{number}", "guess")
    assert attempt(client, "editor", "right-password").status_code == 429
    # Another address signs in as usual.
    response = attempt(client, "editor", "right-password", ip="192.0.2.7")
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_right_password_before_the_limit_resets_the_count(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "editor", "guess")
    assert attempt(client, "editor", "right-password").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "editor", "guess").status_code == 200


@pytest.fixture
def page_password_url(db, settings):
    """The password form of a password-protected page, allowing three guesses a minute."""
    settings.PASSWORD_GUESS_RATE = "3/m"
    page = Page.objects.get(depth=2)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return reverse("wagtailcore_authenticate_with_password", args=(restriction.pk, page.pk))


def test_page_password_guesses_are_rate_limited(client, page_password_url):
    url = page_password_url
    answers = [
        client.post(url, {"password": "guess", "return_url": "/"}).status_code for _ in range(5)
    ]
    assert answers[:3] == [200, 200, 200]
    assert answers[3:] == [429, 429]
    limited = client.post(url, {"password": "guess", "return_url": "/"})
    assert "Too many attempts" in limited.content.decode()
    assert limited["Retry-After"] == "60"


def test_one_restriction_is_limited_whatever_address_guesses(client, page_password_url):
    answers = [
        client.post(
            page_password_url, {"password": "guess"}, REMOTE_ADDR=f"198.51.100.{n}"
        ).status_code
        for n in range(4)
    ]
    assert answers == [200, 200, 200, 429]


@pytest.mark.integration
def test_limits_hold_across_the_workers_of_a_real_cms(tmp_path):
    """gunicorn runs several processes: each guess, on a new connection, may reach any of them."""
    cms = start_cms(
        tmp_path,
        port=free_port(),
        demo=False,
        extra_env={
            "SHARED_CACHE_DIR": str(tmp_path / "shared-cache"),
            "PASSWORD_GUESS_RATE": "4/m",
        },
    )
    try:
        setup = subprocess.run(
            [PYTHON, "manage.py", "shell", "--verbosity", "0", "-c", CREATE_EDITOR_AND_RESTRICTION],
            cwd=REPO_ROOT,
            env=cms.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert setup.returncode == 0, setup.stderr
        restriction_id, page_id = setup.stdout.split()

        def post(path, data):
            # A new connection every time, so the requests spread over the workers.
            with httpx.Client(base_url=cms.url, timeout=10) as client:
                token = client.get(LOGIN).cookies["csrftoken"]
                return client.post(
                    path, data={**data, "csrfmiddlewaretoken": token}, headers={"Referer": cms.url}
                ).status_code

        logins = [post(LOGIN, {"username": "editor", "password": "guess"}) for _ in range(12)]
        assert logins == [200] * 4 + [429] * 8

        password_url = f"/_util/authenticate_with_password/{restriction_id}/{page_id}/"
        guesses = [post(password_url, {"password": "guess", "return_url": "/"}) for _ in range(12)]
        assert guesses == [200] * 4 + [429] * 8
    finally:
        cms.stop()


CREATE_EDITOR_AND_RESTRICTION = """
from django.contrib.auth import get_user_model
from wagtail.models import Page, PageViewRestriction
get_user_model().objects.create_user("editor", "e@example.org", "right-password")
page = Page.objects.get(depth=2)
restriction = PageViewRestriction.objects.create(
    page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
)
print(restriction.pk, page.pk)
"""
