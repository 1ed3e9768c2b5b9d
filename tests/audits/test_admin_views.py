"""The audits as editors see them in the admin: a page's accessibility view, the explorer's
status per page, the "Accessibility audit" report with its exports, the dashboard summary."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Page

from a11y_tests.config import DESKTOP, MOBILE
from audits.importing import import_document
from audits.models import AuditRun, AuditScreenshot, PageAuditResult
from tests.audits.documents import PNG, accepted, document, result, rule

REVIEW = "/serious-case-reviews/child-b/"
OTHER_REVIEW = "/serious-case-reviews/family-a/"
GUIDANCE = "/serious-case-reviews/about-serious-case-reviews/"
CONTRAST = rule(
    "color-contrast",
    wcag=("1.4.3",),
    impact="serious",
    nodes=("p.lede",),
    tags=["cat.color", "wcag2aa", "wcag143"],
)


@pytest.fixture
def audited(demo):
    """child-b fails image-alt at both viewports and contrast on mobile; family-a passes;
    the guidance page could not be audited; a baseline entry expires in ten days."""
    # Published before the audit, so its results are up to date.
    Page.objects.update(last_published_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))
    soon = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    run = import_document(
        document(
            [
                result(REVIEW, DESKTOP, violations=[rule()]),
                result(REVIEW, MOBILE, violations=[rule(), CONTRAST]),
                result(OTHER_REVIEW, DESKTOP, accepted=[accepted(rule("region"), expires=soon)]),
                result(OTHER_REVIEW, MOBILE),
                result(GUIDANCE, DESKTOP, error="HTTP 500"),
            ]
        ),
        {},
        source=AuditRun.Source.IMPORT,
    )
    desktop = PageAuditResult.objects.get(path=REVIEW, viewport="desktop")
    AuditScreenshot.objects.create(result=desktop, image=PNG, content_type="image/png")
    return run


def report_paths(response):
    return [(r.path, r.viewport) for r in response.context["object_list"]]


def test_the_page_view_explains_each_problem_per_viewport(admin_client, demo, audited):
    response = admin_client.get(reverse("audits_page_accessibility", args=[demo["child_b"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 problems" in html
    assert "Desktop (" in html and "Mobile (" in html
    assert "Ensures color-contrast holds" in html
    assert "People with low vision or colour blindness" in html
    assert "Blind people and others using screen readers" in html
    assert "https://dequeuniversity.com/rules/axe/4.14/image-alt" in html
    assert "1.4.3" in html
    assert f"{reverse('audits_report')}?page={demo['child_b'].pk}" in html
    screenshot_url = reverse(
        "audits_screenshot", args=[audited.results.get(path=REVIEW, viewport="desktop").pk]
    )
    assert f'src="{screenshot_url}" alt="The page at desktop as audited' in html
    shot = admin_client.get(screenshot_url)
    assert (shot["Content-Type"], shot.content) == ("image/png", PNG)


def test_the_page_view_of_a_page_never_audited_says_so(admin_client, demo):
    response = admin_client.get(reverse("audits_page_accessibility", args=[demo["home"].pk]))
    assert "This page has not been audited yet." in response.content.decode()


def test_the_page_header_links_to_the_accessibility_view(admin_client, demo):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[demo["child_b"].pk]))
    assert response.status_code == 200
    url = reverse("audits_page_accessibility", args=[demo["child_b"].pk])
    assert url in response.content.decode()


def test_the_explorer_shows_each_pages_status(admin_client, demo, audited):
    response = admin_client.get(reverse("wagtailadmin_explore", args=[demo["index"].pk]))
    html = response.content.decode()
    assert "Accessibility problems" in html  # child-b
    assert "Accessibility passed" in html  # family-a
    assert "Could not be audited" in html  # the guidance page
    assert 'href="/admin/audits/page/' in html


def test_the_explorer_status_is_out_of_date_after_a_publish(admin_client, demo, audited):
    family_a = demo["family_a"]
    family_a.last_published_at = timezone.now()
    family_a.save(update_fields=["last_published_at"])
    response = admin_client.get(reverse("wagtailadmin_explore", args=[demo["index"].pk]))
    assert "Audit out of date" in response.content.decode()


def explorer_queries(client, parent):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("wagtailadmin_explore", args=[parent.pk])).status_code == 200
    return len(queries)


def test_the_explorer_status_costs_the_same_queries_however_many_pages_are_audited(
    admin_client, demo
):
    parent = demo["index"]
    admin_client.get(reverse("wagtailadmin_explore", args=[parent.pk]))  # warm caches
    before = explorer_queries(admin_client, parent)
    paths = [child.url for child in parent.get_children().specific()]
    import_document(
        document([result(path, DESKTOP, violations=[rule()]) for path in paths]),
        {},
        source=AuditRun.Source.IMPORT,
    )
    assert explorer_queries(admin_client, parent) == before


def test_the_report_lists_results_with_problems_or_errors(admin_client, demo, audited):
    response = admin_client.get(reverse("audits_report"))
    assert response.status_code == 200
    assert report_paths(response) == [
        (GUIDANCE, "desktop"),
        (REVIEW, "desktop"),
        (REVIEW, "mobile"),
    ]
    html = response.content.decode()
    assert "Accessibility audit" in html
    assert reverse("audits_page_accessibility", args=[demo["child_b"].pk]) in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rule=color-contrast", [(REVIEW, "mobile")]),
        ("viewport=mobile&status=failed", [(REVIEW, "mobile")]),
        ("status=error", [(GUIDANCE, "desktop")]),
    ],
)
def test_the_report_filters_narrow_the_results(admin_client, audited, query, expected):
    response = admin_client.get(f"{reverse('audits_report')}?{query}")
    assert report_paths(response) == expected


def test_the_report_filters_by_section_or_page(admin_client, demo, audited):
    section = admin_client.get(f"{reverse('audits_report')}?section={demo['index'].pk}")
    assert report_paths(section) == [(GUIDANCE, "desktop"), (REVIEW, "desktop"), (REVIEW, "mobile")]
    one_page = admin_client.get(f"{reverse('audits_report')}?page={demo['child_b'].pk}")
    assert report_paths(one_page) == [(REVIEW, "desktop"), (REVIEW, "mobile")]


def test_the_report_downloads_as_csv(admin_client, audited):
    response = admin_client.get(f"{reverse('audits_report')}?export=csv&viewport=mobile")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "Page",
        "Path",
        "Viewport",
        "Status",
        "Problems",
        "To check by hand",
        "Audited",
    ]
    assert [row[1:5] for row in rows[1:]] == [[REVIEW, "mobile", "Problems found", "2"]]


def test_the_report_downloads_as_xlsx(admin_client, audited):
    response = admin_client.get(f"{reverse('audits_report')}?export=xlsx&status=failed")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Page", "Path", "Viewport", "Status")
    assert [row[1:4] for row in rows[1:]] == [
        (REVIEW, "desktop", "Problems found"),
        (REVIEW, "mobile", "Problems found"),
    ]


def test_the_reports_menu_lists_the_audit_report(admin_client, audited):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert reverse("audits_report") in response.content.decode()


def test_the_dashboard_summarises_the_audits(admin_client, audited):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Accessibility audit" in html
    assert "Pages with problems: <strong>1</strong>" in html
    assert "2 March 2026, 09:00" in html  # the run's start, in the site's time zone
    assert "<code>region</code>, fix promised by" in html


def test_the_dashboard_says_when_nothing_was_audited(admin_client, demo):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Last complete audit:" in html and "none yet" in html


@pytest.mark.parametrize(
    "url",
    ["/admin/audits/page/1/", "/admin/reports/accessibility-audit/", "/admin/audits/screenshot/1/"],
)
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_the_explorer_shows_an_audit_waiting(admin_client, demo, audited):
    AuditRun.objects.create(
        source=AuditRun.Source.ON_PUBLISH, state=AuditRun.State.QUEUED, page=demo["family_a"]
    )
    response = admin_client.get(reverse("wagtailadmin_explore", args=[demo["index"].pk]))
    assert "Audit pending" in response.content.decode()
