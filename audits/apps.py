"""Accessibility audits in the CMS: results posted or imported from ``a11y-audit``, an audit
of every page queued as it is published and a check of every PDF uploaded (both run by the
``audits`` task worker)."""

from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Accessibility audits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import signal_handlers as handlers

        page_published.connect(handlers.audit_on_publish, dispatch_uid="audit-on-publish")
        page_unpublished.connect(handlers.audit_on_unpublish, dispatch_uid="audit-on-unpublish")
        post_page_move.connect(handlers.audit_on_move, dispatch_uid="audit-on-move")
        self._check_documents_on_save()

    def _check_documents_on_save(self):
        from django.db.models.signals import post_save
        from wagtail.documents import get_document_model

        from . import signal_handlers as handlers

        post_save.connect(
            handlers.check_document_on_save,
            sender=get_document_model(),
            dispatch_uid="check-document-on-save",
        )
