"""``manage.py queue_site_audit``: queue an audit of the whole site for the task worker.

``make run`` uses ``--unless-audited`` so the demo site's accessibility statement is generated
from an audit of the demo site the first time, and not again on every start.
"""

from django.core.management.base import BaseCommand

from audits.models import AuditRun
from audits.tasks import queue_site_audit


class Command(BaseCommand):
    help = "Queue an accessibility audit of every published page for the audits worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--unless-audited",
            action="store_true",
            help="do nothing when a complete site audit is already stored",
        )

    def handle(self, *args, unless_audited=False, **options):
        if unless_audited and AuditRun.objects.latest_complete() is not None:
            self.stdout.write("A complete site audit is stored already: nothing queued.")
            return
        run = queue_site_audit()
        self.stdout.write(
            f"Site audit {run.pk} is {run.get_state_display().lower()}: "
            "the audits worker runs it (manage.py db_worker --backend audits)."
        )
