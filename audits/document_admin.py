"""What editors see of the documents' PDF accessibility checks in Wagtail's own document screens:
a status column in Documents, the findings on each document's edit view and a status badge in
the document chooser.

Wagtail 8 builds those screens from plain views (``wagtail.documents.views``) with no hooks for
their columns or content, so these are subclasses of its own views, adding only that; the
audits app serves them at Wagtail's own addresses, ahead of Wagtail's (``wagtail_hooks``), so
every link and URL name (``wagtaildocs:index``, ``wagtaildocs_chooser:choose``) reaches them.
"""

from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import StatusTagColumn
from wagtail.documents import get_document_model_string
from wagtail.documents.views import chooser, documents

from .document_checks import check_details


def accessibility_column() -> StatusTagColumn:
    """The document's check status as a tag, highlighted when it failed."""
    return StatusTagColumn(
        "accessibility_status",
        label="PDF accessibility",
        accessor=lambda document: document.get_accessibility_status_display(),
        primary=lambda document: document.accessibility_failed,
        width="16%",
    )


def _after_title(columns: list) -> list:
    position = next(
        (index + 1 for index, column in enumerate(columns) if column.name == "title"), 1
    )
    return [*columns[:position], accessibility_column(), *columns[position:]]


class DocumentIndexView(documents.IndexView):
    """Documents, each with its check status beside its title."""

    @cached_property
    def columns(self):
        return _after_title(super().columns)


class DocumentEditView(documents.EditView):
    """A document's edit view, its check's findings above the form: what is wrong, whom it
    affects and how to fix it in Word, LibreOffice and InDesign."""

    template_name = "audits/document_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["accessibility"] = check_details(self.object)
        return context


class DocumentChooseView(chooser.DocumentChooseView):
    @property
    def columns(self):
        return _after_title(super().columns)


class DocumentChooseResultsView(chooser.DocumentChooseResultsView):
    @property
    def columns(self):
        return _after_title(super().columns)


class DocumentChooserViewSet(chooser.DocumentChooserViewSet):
    """Wagtail's document chooser with the badge column; never registered itself (Wagtail's
    is), only its two listing views are served in place of Wagtail's."""

    choose_view_class = DocumentChooseView
    choose_results_view_class = DocumentChooseResultsView


def document_admin_urls() -> list:
    """Wagtail's addresses for these screens, for the audits app to serve first."""
    chooser_views = DocumentChooserViewSet(
        chooser.viewset.name,
        model=get_document_model_string(),
        url_prefix=chooser.viewset.url_prefix,
    )
    prefix = chooser.viewset.url_prefix
    return [
        path("documents/", DocumentIndexView.as_view(), name="audits_documents"),
        path(
            "documents/results/",
            DocumentIndexView.as_view(results_only=True),
            name="audits_documents_results",
        ),
        path(
            "documents/edit/<int:document_id>/",
            DocumentEditView.as_view(),
            name="audits_document_edit",
        ),
        path(f"{prefix}/", chooser_views.choose_view, name="audits_document_chooser"),
        path(
            f"{prefix}/results/",
            chooser_views.choose_results_view,
            name="audits_document_chooser_results",
        ),
    ]
