"""The headless userbar: Wagtail's content checks in previews the frontend renders."""

import json

from django.test import Client, RequestFactory
from wagtail.admin.userbar import ContentCheckerItem, apply_userbar_hooks

from a11y_tests.own_checks.link_text import GENERIC_LINK_TEXTS
from api.userbar import LINK_TEXT_CHECK_ID, FrontendContentCheckerItem


def userbar_configuration(html):
    return json.loads(
        html.split('id="checker-axe-configuration" type="application/json">')[1].split("</script>")[
            0
        ]
    )


def test_userbar_view_serves_the_content_checker_to_the_frontend_origin(db, settings):
    response = Client().get("/api/userbar/", HTTP_ORIGIN=settings.FRONTEND_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<wagtail-userbar></wagtail-userbar>" in html
    assert "wagtailadmin/js/vendor.js" in html and "wagtailadmin/js/userbar.js" in html
    assert 'id="checker-axe-configuration"' in html
    # The CMS allows the frontend's origin (CORS) ...
    assert response["Access-Control-Allow-Origin"] == settings.FRONTEND_URL
    # ... and axe in the preview reports to the editor, and to nothing else.
    configuration = userbar_configuration(html)
    assert configuration["spec"]["allowedOrigins"] == [settings.WAGTAILADMIN_BASE_URL]


def test_userbar_view_does_not_allow_other_origins(db):
    response = Client().get("/api/userbar/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in response


def test_editor_checks_panel_gets_the_frontend_checker(db, settings):
    request = RequestFactory().get("/admin/pages/1/edit/")
    items = [ContentCheckerItem(in_editor=True)]
    apply_userbar_hooks(request, items, None)
    assert isinstance(items[0], FrontendContentCheckerItem)
    assert items[0].in_editor
    # The editor's axe talks to the preview's, which is the frontend's page.
    assert items[0].get_axe_spec(request)["allowedOrigins"] == [settings.FRONTEND_URL]


def test_the_checker_runs_the_audits_own_rules_with_its_word_list(db):
    configuration = userbar_configuration(Client().get("/api/userbar/").content.decode())
    # Generic link text: the audit's rule id, on every link, with the audit's word list ...
    assert {"link-text-generic", "heading-order"} <= set(configuration["options"]["runOnly"])
    [rule] = [rule for rule in configuration["spec"]["rules"] if rule["id"] == "link-text-generic"]
    assert (rule["selector"], rule["any"]) == ("a[href]", [LINK_TEXT_CHECK_ID])
    [check] = [check for check in configuration["spec"]["checks"] if check["id"] == rule["any"][0]]
    assert set(check["options"]["genericTexts"]) == GENERIC_LINK_TEXTS
    # ... named for editors in the Checks panel; Wagtail's own rules are all still there.
    assert configuration["messages"]["link-text-generic"]["error_name"] == (
        "Link text does not say where the link goes"
    )
    assert set(ContentCheckerItem.axe_run_only) < set(configuration["options"]["runOnly"])


def test_the_preview_loads_the_checks_code_from_the_cms_after_wagtails_userbar(db, settings):
    html = Client().get("/api/userbar/").content.decode()
    setup = f'<script src="{settings.WAGTAILADMIN_BASE_URL}/api/userbar/setup.js?v='
    assert html.index("wagtailadmin/js/userbar.js") < html.index(setup)
    address = html[html.index(setup) + len('<script src="') :].split('"')[0]

    response = Client().get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    # The address changes with the content, so browsers may keep it.
    assert "immutable" in response["Cache-Control"]
    script = response.content.decode()
    # The audit's own browser code, kept out of the page's globals.
    assert script.startswith("(() => {\n") and script.endswith("})();\n")
    assert "function findGenericLinks(genericTexts" in script
    assert f'setUpHeadlessUserbar(window.wagtail.userbar, "{LINK_TEXT_CHECK_ID}");' in script
