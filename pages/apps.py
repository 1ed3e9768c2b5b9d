from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Case review pages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        self._keep_the_review_listing_in_step()

    def _keep_the_review_listing_in_step(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import post_page_move

        from . import review_listing
        from .models import ReviewPage

        for sender in (Page, ReviewPage):
            post_save.connect(
                review_listing.refresh_on_save,
                sender=sender,
                dispatch_uid=f"review-listing-on-{sender.__name__}-save",
            )
        post_page_move.connect(
            review_listing.refresh_on_move, dispatch_uid="review-listing-on-move"
        )
        for signal, action in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                review_listing.refresh_on_view_restriction_change,
                sender=PageViewRestriction,
                dispatch_uid=f"review-listing-on-view-restriction-{action}",
            )
