"""Mounts Wagtail's API v3 at /api/v3/, each route with its declared HTTP behaviour.

The project's routers and error handlers are added to the API in ``ApiConfig.ready()``;
by the time the URLs are read every app has added its routers, and all but the public
reads are removed (api/surface.py).
"""

from django.urls import re_path
from wagtail.api.v3.urls import api

from .problems import not_found
from .routes import with_declared_behaviour
from .surface import keep_public_reads_only

keep_public_reads_only(api)
api_patterns, app_name, namespace = api.urls

urlpatterns = [
    re_path(r"^api/v3/", (with_declared_behaviour(api_patterns), app_name, namespace)),
    # Anything else under /api/ is a problem+json 404, not the CMS's HTML page.
    re_path(r"^api/", not_found),
]
