"""What editors see of the audits in the admin: a page's accessibility view, the status shown
beside each page in the explorer, the "Accessibility audit" report and the dashboard summary."""

import datetime

import django_filters
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from .models import AuditFinding, AuditRun, AuditScreenshot, PageAuditResult
from .status import page_audit_status

# Who a rule's failure shuts out, from axe-core's category tag on the rule.
AFFECTED_BY_CATEGORY = {
    "cat.aria": "People using screen readers or other assistive technology",
    "cat.color": "People with low vision or colour blindness",
    "cat.forms": "People using screen readers or voice control to fill in forms",
    "cat.keyboard": "People who use a keyboard or switch device instead of a mouse",
    "cat.language": "People using screen readers, which need the language to pronounce text",
    "cat.name-role-value": "People using screen readers or voice control",
    "cat.parsing": "People using assistive technology",
    "cat.semantics": "People using screen readers, who move around a page by its structure",
    "cat.sensory-and-visual-cues": "People who cannot see colour, shape or position",
    "cat.structure": "People using screen readers, who move around a page by its structure",
    "cat.tables": "People using screen readers to read tables",
    "cat.text-alternatives": "Blind people and others using screen readers",
    "cat.time-and-media": "Deaf people, and people who need more time or no movement",
}

PROBLEM_STATUSES = [
    PageAuditResult.Status.FAILED,
    PageAuditResult.Status.ERROR,
    PageAuditResult.Status.NOT_AUDITED,
]


def affected_people(tags) -> str:
    return "; ".join(AFFECTED_BY_CATEGORY[tag] for tag in tags if tag in AFFECTED_BY_CATEGORY)


def report_url_for(page) -> str:
    return f"{reverse('audits_report')}?page={page.pk}"


def page_accessibility(request, page_id):
    """The page's latest result at each viewport, each problem explained."""
    page = get_object_or_404(Page, pk=page_id).specific
    status = page_audit_status(page)
    findings = AuditFinding.objects.filter(
        result__in=status.results,
        category__in=[AuditFinding.Category.VIOLATION, AuditFinding.Category.NEEDS_REVIEW],
    )
    by_result = {}
    for finding in findings:
        by_result.setdefault(finding.result_id, {}).setdefault(finding.rule_id, []).append(finding)
    with_screenshot = set(
        AuditScreenshot.objects.filter(result__in=status.results).values_list(
            "result_id", flat=True
        )
    )
    viewports = [
        {
            "result": result,
            "problems": [
                {
                    "first": nodes[0],
                    "nodes": nodes,
                    "affects": affected_people(nodes[0].tags),
                }
                for nodes in by_result.get(result.pk, {}).values()
            ],
            "screenshot_url": (
                reverse("audits_screenshot", args=[result.pk])
                if result.pk in with_screenshot
                else ""
            ),
        }
        for result in status.results
    ]
    return TemplateResponse(
        request,
        "audits/page_accessibility.html",
        {
            "page_title": f"Accessibility of {page.title}",
            "header_title": f"Accessibility of {page.title}",
            "header_icon": "check",
            "page": page,
            "status": status,
            "viewports": viewports,
            "report_url": report_url_for(page),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
    )


def screenshot(request, result_id):
    shot = get_object_or_404(AuditScreenshot, result_id=result_id)
    return HttpResponse(bytes(shot.image), content_type=shot.content_type)


def annotate_audit_status(pages):
    """One query for the whole listing: each page's newest results summed up as columns."""
    newest = PageAuditResult.objects.newest().filter(
        page=OuterRef("pk"), kind=PageAuditResult.Kind.PAGE
    )
    return pages.annotate(
        audit_failed=Exists(newest.filter(status=PageAuditResult.Status.FAILED)),
        audit_unaudited=Exists(
            newest.filter(
                status__in=[PageAuditResult.Status.ERROR, PageAuditResult.Status.NOT_AUDITED]
            )
        ),
        audit_pending=Exists(AuditRun.objects.pending().filter(page=OuterRef("pk"))),
        audit_at=Subquery(
            newest.order_by().values("page").annotate(at=Max("audited_at")).values("at")[:1]
        ),
    )


def explorer_audit_indicator(page) -> tuple[str, str] | None:
    """(label, icon): passed / problems / not audited / stale, from ``annotate_audit_status``;
    None when the page did not come through the explorer's queryset."""
    if not hasattr(page, "audit_at"):
        return None
    if page.audit_pending:
        return "Audit pending", "time"
    if page.audit_at is None:
        return "Not audited", "help"
    if page.audit_failed:
        return "Accessibility problems", "warning"
    if page.audit_unaudited:
        return "Could not be audited", "cross"
    if page.last_published_at and page.last_published_at > page.audit_at:
        return "Audit out of date", "time"
    return "Accessibility passed", "check"


class AuditReportFilterSet(WagtailFilterSet):
    rule = django_filters.CharFilter(
        field_name="findings__rule_id", label="Rule (axe-core id)", distinct=True
    )
    viewport = django_filters.ChoiceFilter(
        choices=[("desktop", "Desktop"), ("mobile", "Mobile")], label="Viewport"
    )
    status = django_filters.ChoiceFilter(choices=PageAuditResult.Status.choices, label="Status")
    # The page editor's link to "this page's results"; sections are the choices offered.
    page = django_filters.NumberFilter(field_name="page_id", label="Page ID")
    section = django_filters.ModelChoiceFilter(
        queryset=Page.objects.filter(depth__in=[2, 3]).order_by("path"),
        method="filter_section",
        label="Section",
    )

    class Meta:
        model = PageAuditResult
        fields = ["rule", "viewport", "status", "section", "page"]

    def filter_section(self, queryset, name, value):
        return queryset.filter(page__path__startswith=value.path)


def result_page_url(result):
    if result.page_id is None:  # a listing's view or the 404 page: no CMS page to explain
        return None
    return reverse("audits_page_accessibility", args=[result.page_id])


class AuditReportView(ReportView):
    """Every page whose newest result has problems or rules for a person to check."""

    page_title = "Accessibility audit"
    header_icon = "check"
    index_url_name = "audits_report"
    index_results_url_name = "audits_report_results"
    filterset_class = AuditReportFilterSet
    columns = [
        TitleColumn("path", label="Page", get_url=result_page_url),
        Column("viewport", label="Viewport"),
        Column("summary", label="Status"),
        Column("needs_review_count", label="To check by hand"),
        DateColumn("audited_at", label="Audited"),
    ]
    list_export = [
        "page_title",
        "path",
        "viewport",
        "get_status_display",
        "violation_count",
        "needs_review_count",
        "audited_at",
    ]
    export_headings = {
        "page_title": "Page",
        "path": "Path",
        "viewport": "Viewport",
        "get_status_display": "Status",
        "violation_count": "Problems",
        "needs_review_count": "To check by hand",
        "audited_at": "Audited",
    }

    def get_queryset(self):
        return (
            PageAuditResult.objects.newest()
            .filter(Q(status__in=PROBLEM_STATUSES) | Q(needs_review_count__gt=0))
            .select_related("page")
            .order_by("path", "-viewport_width")
        )

    def decorate_paginated_queryset(self, object_list):
        for result in object_list:
            result.page_title = result.page.title if result.page else ""
        return object_list


class AuditSummaryPanel(Component):
    """The dashboard's view of the audits: pages with problems, the last complete audit and
    baseline entries about to expire."""

    name = "audit_summary"
    template_name = "audits/audit_summary_panel.html"
    order = 110

    def get_context_data(self, parent_context):
        latest = AuditRun.objects.latest_complete()
        today = timezone.localdate()
        expiring = (
            AuditFinding.objects.filter(
                result__is_latest=True,
                category=AuditFinding.Category.ACCEPTED,
                accepted_until__range=(today, today + datetime.timedelta(days=30)),
            )
            .values("rule_id", "accepted_until")
            .distinct()
            .order_by("accepted_until")
        )
        return {
            "pages_with_problems": PageAuditResult.objects.newest()
            .filter(status=PageAuditResult.Status.FAILED, page__isnull=False)
            .values("page")
            .distinct()
            .count(),
            "latest_complete": latest,
            "expiring": list(expiring),
            "report_url": reverse("audits_report"),
        }
