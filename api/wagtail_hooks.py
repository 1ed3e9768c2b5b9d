"""Admin hooks for the headless site: links the frontend can follow, checks across origins."""

from wagtail import hooks
from wagtail.admin.userbar import ContentCheckerItem

from .links import CMSDocumentLinkHandler, FrontendPageLinkHandler
from .userbar import FrontendContentCheckerItem


# Runs after Wagtail's own registrations (order 0), so these handlers replace the stock ones.
@hooks.register("register_rich_text_features", order=100)
def register_headless_link_handlers(features):
    features.register_link_type(FrontendPageLinkHandler)
    features.register_link_type(CMSDocumentLinkHandler)


@hooks.register("construct_wagtail_userbar")
def check_frontend_previews(request, items, page):
    """Swap in the checker for previews the frontend renders: the project's own rules, and axe
    allowed to talk across the CMS's and the frontend's origins (``allowedOrigins``)."""
    for index, item in enumerate(items):
        if isinstance(item, ContentCheckerItem) and not isinstance(
            item, FrontendContentCheckerItem
        ):
            items[index] = FrontendContentCheckerItem(in_editor=item.in_editor)
