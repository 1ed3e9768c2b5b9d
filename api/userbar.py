"""Wagtail's userbar for previews rendered by the headless frontend.

Wagtail's preview panel shows the frontend's page, so Wagtail cannot add its
userbar there itself. The frontend fetches this view and embeds the HTML; the
userbar's scripts (``vendor.js``, ``userbar.js``, then ``setup.js`` from here)
run Wagtail's content checks (axe) in the page and report them to the editor's
Checks panel. CORS for the frontend's origin comes from ``CORS_ALLOWED_ORIGINS``
(everything under /api/).

The checks include the project's own rules, as the accessibility audit runs
them: generic link text (``a11y_tests.own_checks.link_text``: its word list and
its browser code, ``findGenericLinks.js``) and the heading outline, which is
axe's ``heading-order`` in both.
"""

import functools
import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.forms import Media
from django.http import HttpResponse
from django.urls import path, reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from wagtail.admin.userbar import ContentCheckerItem, Userbar

from a11y_tests import browser_js
from a11y_tests.own_checks import link_text

LINK_TEXT_CHECK_ID = "check-link-text-generic"
SETUP_SCRIPT = Path(__file__).with_name("headless_userbar.js")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class FrontendContentCheckerItem(ContentCheckerItem):
    """The content checker for previews the frontend renders, with the project's own rules.

    Generic link text is an axe custom rule on every link; its check's code is registered in
    the preview by ``setup.js`` and its word list comes in the check's options, so both are
    the audit's own. The heading outline needs nothing added: Wagtail runs ``heading-order``.
    """

    axe_run_only = [*ContentCheckerItem.axe_run_only, link_text.RULE_ID]
    axe_custom_rules = [
        *ContentCheckerItem.axe_custom_rules,
        {
            "id": link_text.RULE_ID,
            "impact": link_text.RULE["impact"],
            "selector": "a[href]",
            "tags": ["best-practice"],
            "any": [LINK_TEXT_CHECK_ID],
            "enabled": True,
        },
    ]
    axe_custom_checks = [
        *ContentCheckerItem.axe_custom_checks,
        {
            "id": LINK_TEXT_CHECK_ID,
            "options": {"genericTexts": sorted(link_text.GENERIC_LINK_TEXTS)},
        },
    ]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        link_text.RULE_ID: {
            "error_name": "Link text does not say where the link goes",
            "help_text": "Describe the destination, not just 'click here' or 'read more'",
        },
    }

    @property
    def media(self):
        # Rendered after userbar.js, at the CMS's full address: the page around it is the
        # frontend's.
        return Media(js=[setup_script_url()])

    def get_axe_spec(self, request):
        spec = super().get_axe_spec(request)
        # The preview is a cross-origin frame. axe posts every message to each allowed origin
        # and the browser logs an error for each one the other window does not have, so the
        # editor lists only the frontend's origin and the preview only the editor's.
        other_side = settings.FRONTEND_URL if self.in_editor else settings.WAGTAILADMIN_BASE_URL
        spec["allowedOrigins"] = [_origin(other_side)]
        return spec


@functools.cache
def setup_script() -> str:
    """``headless_userbar.js`` and the audit code it calls, kept out of the page's globals."""
    return (
        "(() => {\n"
        f"{browser_js.declarations('selectorOf', 'snippetOf', 'findGenericLinks')}\n"
        f"{SETUP_SCRIPT.read_text(encoding='utf8')}\n"
        f"setUpHeadlessUserbar(window.wagtail.userbar, {json.dumps(LINK_TEXT_CHECK_ID)});\n"
        "})();\n"
    )


def setup_script_url() -> str:
    # The content's hash in the address lets browsers keep the script until it changes.
    version = hashlib.sha256(setup_script().encode()).hexdigest()[:12]
    return f"{settings.WAGTAILADMIN_BASE_URL}{reverse('headless_userbar_setup')}?v={version}"


@require_safe
def setup_script_view(request):
    response = HttpResponse(setup_script(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


class HeadlessUserbarView(TemplateView):
    """The userbar as Wagtail's preview panel has it: the content checker only, hidden until
    ``setup.js`` shows it in a preview opened in a tab of its own.

    That version says nothing about the user or the page, so no login is needed.
    """

    http_method_names = ["get", "head", "options"]
    template_name = Userbar.template_name

    def get_context_data(self, **kwargs):
        self.request.in_preview_panel = True
        return Userbar().get_context_data({"request": self.request})


# Mounted at /api/userbar/ by cms/urls.py, ahead of the API's catch-all 404.
urlpatterns = [
    path("", HeadlessUserbarView.as_view(), name="headless_userbar"),
    path("setup.js", setup_script_view, name="headless_userbar_setup"),
]
