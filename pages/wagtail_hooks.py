"""Admin hooks for the headless site: content checks across origins, revalidation on publish."""

from wagtail import hooks
from wagtail.admin.userbar import ContentCheckerItem

from api.revalidate import connect_signals
from api.userbar import FrontendContentCheckerItem

connect_signals()


@hooks.register("construct_wagtail_userbar")
def allow_frontend_origin_in_content_checks(request, items, page):
    """Swap in the checker whose axe spec allows the frontend's origin (``allowedOrigins``)."""
    for index, item in enumerate(items):
        if isinstance(item, ContentCheckerItem) and not isinstance(
            item, FrontendContentCheckerItem
        ):
            items[index] = FrontendContentCheckerItem(in_editor=item.in_editor)
