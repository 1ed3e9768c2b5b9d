"""Admin for audit publishing tokens (Settings → Audit publishing tokens).

Making a token shows it once, on the page that follows; only its hash is stored, so a lost
token is deleted and made again. Deleting a token revokes it.
"""

from django.contrib import messages
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, ListingButton

from pages.models import AccessibilityStatementPage

from . import admin_views, document_admin, document_checks
from .admin_views import AuditReportView, AuditSummaryPanel
from .models import AuditPublishToken
from .statement import SITE_AUDIT_STORED, caveat_messages, statement_compliance


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
            "audits/page/<int:page_id>/status/",
            admin_views.page_status,
            name="audits_page_status",
        ),
        path(
            "audits/screenshot/<int:result_id>/",
            admin_views.screenshot,
            name="audits_screenshot",
        ),
        path("audits/site/", admin_views.queue_site_audit, name="audits_queue_site_audit"),
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


@hooks.register("register_log_actions")
def register_audit_log_actions(actions):
    actions.register_action(
        SITE_AUDIT_STORED, "Site audit stored", "A complete accessibility audit of the site"
    )


@hooks.register("before_edit_page")
def warn_when_the_statement_cannot_claim_compliance(request, page):
    """The statement's editor learns at once when its audit evidence is missing or too old."""
    if isinstance(page, AccessibilityStatementPage) and request.method == "GET":
        for message in caveat_messages(statement_compliance()):
            messages.warning(request, message)


# The documents' PDF accessibility checks: Wagtail's document screens with the check shown
# (``document_admin``), and a warning in the editor of a page whose reports link to failing PDFs.


@hooks.register("register_admin_urls", order=-1)  # ahead of Wagtail's own, at the same addresses
def register_document_admin_urls():
    return document_admin.document_admin_urls()


@hooks.register("before_edit_page")
def warn_about_failed_documents(request, page):
    """Non-blocking: a report may have to be published as it came, but its editor should know
    some readers cannot use it, and what to do about it."""
    if request.method != "GET":
        return
    failed = document_checks.failed_documents(document_checks.page_as_edited(page))
    if not failed:
        return
    names = format_html_join(", ", "‘{}’", ((document.title,) for document in failed))
    admin_messages.warning(
        request,
        format_html(
            "This page links to {} that did not pass the PDF accessibility check: {}. Some "
            "readers may not be able to use {}; the site tells them so and offers an accessible "
            "format by email. Publish the report as a web page too, or replace the PDF with an "
            "accessible one.",
            "a document" if len(failed) == 1 else f"{len(failed)} documents",
            names,
            "it" if len(failed) == 1 else "them",
        ),
        buttons=[
            admin_messages.button(
                reverse("audits_page_accessibility", args=[page.pk]), "What is wrong"
            )
        ],
    )
