"""Delete stored previews whose tokens have expired.

Run it on a schedule (e.g. hourly from cron): previews hold unpublished
content, and this removes them even when nobody previews again.
"""

from django.core.management.base import BaseCommand

from api.preview import purge_expired_previews


class Command(BaseCommand):
    help = "Delete page previews older than API_PREVIEW_MAX_AGE seconds."

    def handle(self, *args, **options):
        deleted = purge_expired_previews()
        self.stdout.write(f"Deleted {deleted} expired preview(s).")
