"""Views the project adds around Wagtail's own: password forms that cannot be brute-forced."""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit
from wagtail import views as page_views
from wagtail.documents.views import serve as document_views


def _restriction(group, request):
    """Rate-limit key: the view restriction being guessed, whoever guesses it."""
    kwargs = request.resolver_match.kwargs
    return str(kwargs.get("page_view_restriction_id") or kwargs.get("restriction_id"))


def _guess_rate(group, request):
    return settings.PASSWORD_GUESS_RATE


def limit_password_guesses(view):
    """At most PASSWORD_GUESS_RATE posts per client address and per restriction."""
    view = ratelimit(group="password", key="ip", rate=_guess_rate, method="POST")(view)
    return ratelimit(
        group="password-restriction", key=_restriction, rate=_guess_rate, method="POST"
    )(view)


page_password = limit_password_guesses(page_views.authenticate_with_password)
document_password = limit_password_guesses(document_views.authenticate_with_password)


def too_many_attempts(request, exception):
    """django-ratelimit's RATELIMIT_VIEW: a 429 page, not the bare 403 it would otherwise send."""
    response = render(request, "too_many_attempts.html", status=429)
    response["Retry-After"] = "60"
    return response
