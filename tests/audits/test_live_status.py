"""A page's accessibility view follows an audit while it is queued or running: the view says it
is pending and loads the script, and the status answer changes when the audit finishes."""

from django.urls import reverse

from a11y_tests.config import DESKTOP, MOBILE
from audits.models import AuditRun
from audits.recording import record_unaudited


def test_the_status_answer_follows_a_queued_audit_to_its_result(admin_client, demo):
    page = demo["child_b"]
    run = AuditRun.objects.create(
        source=AuditRun.Source.ON_PUBLISH, state=AuditRun.State.QUEUED, page=page
    )
    view = admin_client.get(reverse("audits_page_accessibility", args=[page.pk])).content.decode()
    status_url = reverse("audits_page_status", args=[page.pk])
    assert f'data-audit-status-url="{status_url}" data-audit-pending="true"' in view
    assert "audits/js/page_status.js" in view

    queued = admin_client.get(status_url).json()
    assert (queued["state"], queued["label"], queued["pending"]) == ("queued", "Audit queued", True)

    record_unaudited(
        run,
        path="/serious-case-reviews/child-b/",
        status="not-audited",
        reason="no browser",
        viewports=(DESKTOP, MOBILE),
    )
    finished = admin_client.get(status_url).json()
    assert finished["pending"] is False
    assert finished["label"] == "Not audited: no browser"
    assert finished["at"]
    view = admin_client.get(reverse("audits_page_accessibility", args=[page.pk])).content.decode()
    assert 'data-audit-pending="false"' in view


def test_the_status_answer_needs_an_admin_login(client, demo):
    response = client.get(reverse("audits_page_status", args=[demo["child_b"].pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
