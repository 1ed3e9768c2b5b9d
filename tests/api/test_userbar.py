"""The headless userbar: Wagtail's content checks in previews the frontend renders."""

import json

from django.test import Client, RequestFactory
from wagtail.admin.userbar import ContentCheckerItem, apply_userbar_hooks

from api.userbar import FrontendContentCheckerItem


def test_userbar_view_serves_the_content_checker_to_the_frontend_origin(db, settings):
    response = Client().get("/api/userbar/", HTTP_ORIGIN=settings.FRONTEND_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<wagtail-userbar></wagtail-userbar>" in html
    assert "wagtailadmin/js/vendor.js" in html and "wagtailadmin/js/userbar.js" in html
    assert 'id="checker-axe-configuration"' in html
    # The CMS allows the frontend's origin (CORS) ...
    assert response["Access-Control-Allow-Origin"] == settings.FRONTEND_URL
    # ... and axe in the preview may report to it and to the editor.
    configuration = json.loads(
        html.split('id="checker-axe-configuration" type="application/json">')[1].split("</script>")[
            0
        ]
    )
    assert settings.FRONTEND_URL in configuration["spec"]["allowedOrigins"]


def test_userbar_view_does_not_allow_other_origins(db):
    response = Client().get("/api/userbar/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in response


def test_editor_checks_panel_gets_the_frontend_checker(db, settings):
    request = RequestFactory().get("/admin/pages/1/edit/")
    items = [ContentCheckerItem(in_editor=True)]
    apply_userbar_hooks(request, items, None)
    assert isinstance(items[0], FrontendContentCheckerItem)
    assert items[0].in_editor
    assert settings.FRONTEND_URL in items[0].get_axe_spec(request)["allowedOrigins"]
