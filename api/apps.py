from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Headless content API"

    def ready(self):
        # Must run before anything imports wagtail.api.v3's pages router, which reads
        # the page schemas once (wagtail.documents and others import it in their ready()).
        from .page_fields import extend_page_schemas

        extend_page_schemas()
