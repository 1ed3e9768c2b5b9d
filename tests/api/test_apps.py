"""The API app extends Wagtail's page schemas on start-up, or refuses to start."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from api.page_fields import extend_page_schemas

ROOT = Path(__file__).resolve().parents[2]


def test_page_schemas_cannot_be_extended_after_the_pages_router_is_built():
    # The router has been imported by now; extending again would silently change nothing.
    with pytest.raises(ImproperlyConfigured, match="INSTALLED_APPS"):
        extend_page_schemas()


def test_the_cms_refuses_to_start_with_the_api_app_below_wagtails():
    script = (
        "import django; from django.conf import settings; from cms.settings import test; "
        "names = {name: getattr(test, name) for name in dir(test) if name.isupper()}; "
        "names['INSTALLED_APPS'] = [app for app in test.INSTALLED_APPS if app != 'api'] "
        "+ ['api']; "
        "settings.configure(**names); django.setup()"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "list 'api' above the wagtail apps in INSTALLED_APPS" in result.stderr
