"""Site settings editors keep under Settings: where readers ask for accessible formats.

Report links to documents that may not suit assistive technology offer readers an email link to
ask for another format (GOV.UK's attachment pattern); the API gives that address with each such
report (``ReportLinkBlock``), read once per request.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site


@register_setting(icon="mail")
class AccessibleFormatSettings(BaseSiteSetting):
    request_email = models.EmailField(
        "Accessible formats email",
        blank=True,
        help_text=(
            "Where readers ask for a document in another format, e.g. "
            "'accessible.formats@merton.gov.uk'. Shown under report links to documents that may "
            "not suit assistive technology; someone must answer it."
        ),
    )

    panels = [FieldPanel("request_email")]

    class Meta:
        verbose_name = "accessible formats"


# The request attribute that keeps the address for the rest of the request.
_CACHE_ATTRIBUTE = "_accessible_formats_email"


def accessible_formats_email(request) -> str | None:
    """The request's site's address for accessible format requests, or None when it has none.

    One query per request at most, and a read only: Wagtail's ``for_request`` would create the
    settings row on a GET.
    """
    if request is None:
        return None
    if not hasattr(request, _CACHE_ATTRIBUTE):
        site = Site.find_for_request(request)
        email = (
            AccessibleFormatSettings.objects.filter(site=site)
            .values_list("request_email", flat=True)
            .first()
            if site is not None
            else None
        )
        setattr(request, _CACHE_ATTRIBUTE, email or None)
    return getattr(request, _CACHE_ATTRIBUTE)
