from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.urls import urlpatterns as api_urlpatterns
from audits.urls import urlpatterns as audits_urlpatterns

from . import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's password forms for private pages and documents, rate-limited (cms/views.py).
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        views.document_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("api/userbar/", include("api.userbar")),
    *api_urlpatterns,
    # Where `a11y-audit --publish-to` posts its results (token-authenticated, not the public API).
    *audits_urlpatterns,
]

# Wagtail's own page serving stays last; with HeadlessMixin, "View live" goes to the frontend.
# Nothing under MEDIA_ROOT is served raw, not even in development: documents go through
# Wagtail's view (collection privacy, safe headers) and the site has no images to serve.
urlpatterns += [path("", include(wagtail_urls))]
