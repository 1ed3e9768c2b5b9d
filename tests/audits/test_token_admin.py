"""Publishing tokens in the Wagtail admin: made under Settings, shown once, stored as a hash."""

import re

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from audits.models import AuditPublishToken


def test_an_admin_makes_a_token_that_is_shown_once_and_works(admin_client):
    assert "Audit publishing tokens" in admin_client.get("/admin/").content.decode()
    response = admin_client.post(reverse("audit_publish_tokens:add"), {"name": "GitLab CI"})
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r'value="(a11y_[A-Za-z0-9_-]{40,})"', html).group(1)
    assert "it is not shown again" in html

    entry = AuditPublishToken.objects.get()
    assert entry.name == "GitLab CI" and entry.token_hash == AuditPublishToken.hash_of(token)
    listing = admin_client.get(reverse("audit_publish_tokens:index")).content.decode()
    assert "GitLab CI" in listing and token not in listing

    response = Client().post(
        "/audits/results/",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422  # let in, then refused for what it sent


def test_editors_without_the_permission_cannot_see_tokens(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="correct horse battery")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(reverse("audit_publish_tokens:index")).status_code in (302, 403)
    assert "Audit publishing tokens" not in client.get("/admin/").content.decode()
