"""Admin for audit publishing tokens (Settings → Audit publishing tokens).

Making a token shows it once, on the page that follows; only its hash is stored, so a lost
token is deleted and made again. Deleting a token revokes it.
"""

from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, ListingButton

from . import admin_views
from .admin_views import AuditReportView, AuditSummaryPanel
from .models import AuditPublishToken


class IssueTokenView(CreateView):
    def save_instance(self):
        self.token = self.form.instance.issue()
        return super().save_instance()

    def save_action(self):
        return TemplateResponse(
            self.request,
            "audits/token_issued.html",
            {
                "page_title": f"Token for {self.object}",
                "header_icon": "key",
                "object": self.object,
                "token": self.token,
                "index_url": reverse(self.index_url_name),
            },
        )


class AuditPublishTokenViewSet(ModelViewSet):
    model = AuditPublishToken
    icon = "key"
    menu_label = "Audit publishing tokens"
    add_to_settings_menu = True
    add_view_class = IssueTokenView
    copy_view_enabled = False
    list_display = ["name", "created_at", "last_used_at"]


@hooks.register("register_admin_viewset")
def register_audit_publish_tokens():
    return AuditPublishTokenViewSet("audit_publish_tokens")


# What editors see of the audits: a page's accessibility view, the explorer's status, the report,
# the dashboard summary.


@hooks.register("register_admin_urls")
def register_audit_admin_urls():
    return [
        path(
            "audits/page/<int:page_id>/",
            admin_views.page_accessibility,
            name="audits_page_accessibility",
        ),
        path(
            "audits/screenshot/<int:result_id>/",
            admin_views.screenshot,
            name="audits_screenshot",
        ),
        path("reports/accessibility-audit/", AuditReportView.as_view(), name="audits_report"),
        path(
            "reports/accessibility-audit/results/",
            AuditReportView.as_view(results_only=True),
            name="audits_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_audit_report_menu_item():
    return AdminOnlyMenuItem(
        "Accessibility audit", reverse("audits_report"), icon_name="check", order=750
    )


@hooks.register("register_page_header_buttons")
def page_accessibility_header_button(page, user, view_name, next_url=None):
    yield Button(
        "Accessibility",
        reverse("audits_page_accessibility", args=[page.pk]),
        icon_name="check",
        priority=12,  # near the top of the page's menu, after Edit
    )


@hooks.register("construct_explorer_page_queryset")
def annotate_explorer_audit_status(parent_page, pages, request):
    return admin_views.annotate_audit_status(pages)


@hooks.register("register_page_listing_buttons")
def explorer_audit_status_button(page, user, next_url=None):
    indicator = admin_views.explorer_audit_indicator(page)
    if indicator is not None:
        label, icon = indicator
        yield ListingButton(
            label,
            reverse("audits_page_accessibility", args=[page.pk]),
            icon_name=icon,
            priority=5,
        )


@hooks.register("construct_homepage_panels")
def add_audit_summary_panel(request, panels):
    panels.append(AuditSummaryPanel())
