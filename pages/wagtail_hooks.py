"""Admin hooks for the page editor."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_editor_js")
def report_link_controller():
    """The report block's behaviour: "Site name" shows only with a web address."""
    return format_html('<script src="{}"></script>', static("pages/report-link.js"))
