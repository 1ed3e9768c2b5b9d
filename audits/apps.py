"""Accessibility audits in the CMS: results posted or imported from ``a11y-audit``, and an
audit of every page queued as it is published (run by the ``audits`` task worker)."""

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
