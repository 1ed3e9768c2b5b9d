"""What editors see of the audits in the admin: a page's accessibility view, the status shown
beside each page in the explorer, the "Accessibility audit" report and the dashboard summary."""

import datetime

import django_filters
from django.contrib import messages
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from . import document_checks, tasks
from .models import AuditFinding, AuditRun, AuditScreenshot, PageAuditResult
from .statement import STATEMENT_STATUS_LABELS, caveat_messages, statement_compliance
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

PENDING_STATES = (AuditRun.State.QUEUED, AuditRun.State.RUNNING)

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
            "status_url": reverse("audits_page_status", args=[page.pk]),
            "pending": status.state in PENDING_STATES,
            "documents": documents_not_passed(page),
        },
    )


def documents_not_passed(page) -> list[dict]:
    """The documents the page's reports link to (as last saved) that did not pass their PDF
    check, failed ones first, each with what is wrong and where to see how to fix it."""
    documents = [
        document
        for document in document_checks.linked_documents(document_checks.page_as_edited(page))
        if document.accessibility_status
        not in (document.AccessibilityStatus.PASSED, document.AccessibilityStatus.NOT_APPLICABLE)
    ]
    documents.sort(key=lambda document: not document.accessibility_failed)
    return [
        {
            "document": document,
            "label": document.get_accessibility_status_display(),
            "problems": document.accessibility_problems,
            "edit_url": reverse("wagtaildocs:edit", args=[document.pk]),
        }
        for document in documents
    ]


def page_status(request, page_id):
    """The page's status as its accessibility view shows it, for the view to follow an audit
    while it is queued or running."""
    status = page_audit_status(get_object_or_404(Page, pk=page_id))
    return JsonResponse(
        {
            "state": status.state,
            "label": status.label,
            "at": date_format(timezone.localtime(status.at), "j F Y, H:i") if status.at else "",
            "pending": status.state in PENDING_STATES,
        }
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


def _failed_site_audit_since(latest_complete):
    """The newest whole-site audit that could not finish, unless a complete one came after."""
    failed = (
        AuditRun.objects.filter(source=AuditRun.Source.SITE_TASK, state=AuditRun.State.FINISHED)
        .exclude(error="")
        .order_by("-queued_at")
        .first()
    )
    if failed and latest_complete and latest_complete.queued_at > failed.queued_at:
        return None
    return failed


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
        compliance = statement_compliance(today)
        return {
            "statement_status": STATEMENT_STATUS_LABELS[compliance.status],
            "statement_warnings": caveat_messages(compliance),
            "site_audit": AuditRun.objects.pending_site_audit(),
            "failed_site_audit": _failed_site_audit_since(latest),
            "queue_site_audit_url": reverse("audits_queue_site_audit"),
            "csrf_token": parent_context.get("csrf_token"),
            "pages_with_problems": PageAuditResult.objects.newest()
            .filter(status=PageAuditResult.Status.FAILED, page__isnull=False)
            .values("page")
            .distinct()
            .count(),
            "latest_complete": latest,
            "expiring": list(expiring),
            "report_url": reverse("audits_report"),
        }


@require_POST
def queue_site_audit(request):
    """Queue an audit of the whole site for the worker (one at a time), then go back."""
    run = tasks.queue_site_audit()
    messages.success(
        request,
        "An audit of the whole site is waiting for the worker. The accessibility statement "
        f"will use it when it finishes (queued {timezone.localtime(run.queued_at):%H:%M}).",
    )
    return redirect("wagtailadmin_home")
