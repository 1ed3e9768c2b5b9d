"""The axe integration: the pinned axe-core, options as JSON, one registration per browser
session and injection only where registration is unavailable. The library defect the audit
avoids is shown against the library itself."""

from __future__ import annotations

import pytest
from axe_selenium_python import Axe
from selenium.common.exceptions import JavascriptException

from a11y_tests.analyse import load_and_check
from a11y_tests.axe import AxeUnavailable, PinnedAxe, read_axe_source
from a11y_tests.config import DESKTOP, AuditSettings, axe_script_path
from a11y_tests.model import Target
from a11y_tests.own_checks import link_text
from a11y_tests.tabs import WebDriverTab

OPTIONS_WITH_TRUE = {"rules": {"td-has-header": {"enabled": True}}}


@pytest.mark.browser
def test_library_run_breaks_on_true_and_ours_passes_it_as_json(audit_worker, fixture_site):
    target = Target(url=fixture_site.page_url("table-headers"), path="/t/")
    audit_worker.audit(target, DESKTOP)
    driver = audit_worker.driver
    with pytest.raises(JavascriptException, match="True is not defined"):
        Axe(driver, script_url=str(axe_script_path())).run(options=OPTIONS_WITH_TRUE)

    settings = AuditSettings(extra_rules=tuple(OPTIONS_WITH_TRUE["rules"]))
    results, _ = load_and_check(audit_worker.tab, audit_worker.axe, target, DESKTOP, settings)
    assert "td-has-header" in [rule["id"] for rule in results["violations"]]


@pytest.mark.browser
def test_current_axe_core_is_used_not_the_bundled_one(audit_worker):
    assert audit_worker.axe_version() == "4.14.1"
    assert "axe_selenium_python" not in audit_worker.axe.script_url


@pytest.mark.browser
def test_axe_is_registered_once_and_never_resent_per_page(audit_worker, fixture_site):
    audit_worker.axe_version()  # make sure the session exists
    axe = audit_worker.axe
    before = axe.fallback_injections
    for name in ("clean", "image-alt", "label"):
        result = audit_worker.audit(Target(url=fixture_site.page_url(name), path=name), DESKTOP)
        assert result.error is None
    assert axe.registered_on_new_document
    assert axe.fallback_injections == before == 0


class DocumentWithoutAxe:
    """A WebDriver whose documents lack axe until the library injects it (no DevTools)."""

    def __init__(self):
        self.injected_sources = []

    def get(self, url):
        pass

    def execute_script(self, script, *args):
        if script.startswith("return typeof window.axe"):
            return bool(self.injected_sources)
        self.injected_sources.append(script)

    def execute_async_script(self, script, *args):
        if not self.injected_sources:
            return {"load": {"settled": True, "status": 200}, "missing": True}
        return {
            "load": {"settled": True, "status": 200},
            "results": {"violations": [], "incomplete": []},
            "elapsed_ms": 1.5,
            "own": {link_text.RULE_ID: []},
        }


def test_falls_back_to_library_injection_where_registration_is_unavailable():
    driver = DocumentWithoutAxe()
    tab = WebDriverTab(driver)
    axe = PinnedAxe(driver)
    axe.register(tab)  # no DevTools protocol: nothing registered
    page = Target(url="http://site.test/", path="/")
    _, elapsed_ms = load_and_check(tab, axe, page, DESKTOP, AuditSettings())
    assert not axe.registered_on_new_document
    assert driver.injected_sources == [read_axe_source(axe_script_path())]
    assert axe.fallback_injections == 1
    assert elapsed_ms == 1.5


def test_missing_axe_core_says_how_to_get_it(tmp_path):
    with pytest.raises(AxeUnavailable, match="npm ci"):
        PinnedAxe(DocumentWithoutAxe(), script_url=tmp_path / "axe.min.js")
