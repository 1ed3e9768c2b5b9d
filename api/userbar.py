"""Wagtail's userbar for previews rendered by the headless frontend.

Wagtail's preview panel shows the frontend's page, so Wagtail cannot add its
userbar there itself. The frontend fetches this view and embeds the HTML; the
userbar's scripts (``vendor.js``, ``userbar.js``) then run Wagtail's content
checks (axe) in the page and report them to the editor's Checks panel. CORS for
the frontend's origin comes from ``CORS_ALLOWED_ORIGINS`` (everything under /api/).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import path
from django.views.generic import TemplateView
from wagtail.admin.userbar import ContentCheckerItem, Userbar


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class FrontendContentCheckerItem(ContentCheckerItem):
    """The content checker, allowed to talk across the CMS and frontend origins.

    The preview is a cross-origin frame, so axe in the editor and axe in the
    preview only exchange results when each lists the other's origin.
    """

    def get_axe_spec(self, request):
        spec = super().get_axe_spec(request)
        spec["allowedOrigins"] = [
            "<same_origin>",
            _origin(settings.FRONTEND_URL),
            _origin(settings.WAGTAILADMIN_BASE_URL),
        ]
        return spec


class HeadlessUserbarView(TemplateView):
    """The userbar as Wagtail's preview panel shows it: the content checker only.

    That version says nothing about the user or the page, so no login is needed.
    """

    http_method_names = ["get", "head", "options"]
    template_name = Userbar.template_name

    def get_context_data(self, **kwargs):
        self.request.in_preview_panel = True
        return Userbar().get_context_data({"request": self.request})


# Mounted at /api/userbar/ by cms/urls.py, ahead of the API's catch-all 404.
urlpatterns = [path("", HeadlessUserbarView.as_view(), name="headless_userbar")]
