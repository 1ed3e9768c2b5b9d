from wagtail import hooks

from .links import CMSDocumentLinkHandler, FrontendPageLinkHandler


# Runs after Wagtail's own registrations (order 0), so these handlers replace the stock ones.
@hooks.register("register_rich_text_features", order=100)
def register_headless_link_handlers(features):
    features.register_link_type(FrontendPageLinkHandler)
    features.register_link_type(CMSDocumentLinkHandler)
