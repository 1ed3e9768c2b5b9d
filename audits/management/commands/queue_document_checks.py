"""``manage.py queue_document_checks [--all]``: queue the PDF accessibility check of every PDF
not checked yet (such as those uploaded before the check existed), or of every PDF, for the
``audits`` task worker. Uploads queue their own check; this is for the documents already there."""

from django.core.management.base import BaseCommand

from audits.tasks import check_document
from pages.models import ReportDocument


class Command(BaseCommand):
    help = "Queue the PDF accessibility check of the PDFs not checked yet (or of all of them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Check every PDF again, not only unchecked ones."
        )

    def handle(self, *args, **options):
        documents = ReportDocument.objects.filter(file__iendswith=".pdf")
        if not options["all"]:
            documents = documents.filter(
                accessibility_status=ReportDocument.AccessibilityStatus.NOT_CHECKED
            )
        queued = 0
        for document_id, file_name in documents.values_list("pk", "file"):
            check_document.enqueue(document_id, file_name)
            queued += 1
        self.stdout.write(
            f"Queued {queued} document check{'s' if queued != 1 else ''} for the audits worker."
        )
