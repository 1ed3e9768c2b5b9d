"""Rebuild the review listing (``ReviewListing``) from the pages.

The listing follows every change made through Wagtail or the ORM on its own
(``pages.review_listing``); run this after changes made around them: raw SQL,
``QuerySet.update()`` on pages, or ``loaddata``.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from pages import review_listing
from pages.models import ReviewListing


class Command(BaseCommand):
    help = "Rebuild the listing of live, public reviews from the pages."

    def handle(self, *args, **options):
        with transaction.atomic():
            review_listing.rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Listed {ReviewListing.objects.count()} live, public reviews.")
        )
