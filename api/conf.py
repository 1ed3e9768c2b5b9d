"""The API's options, each with its default, read from Django's settings when used.

Reading on use (rather than once at import) lets a test or a deployment override
any of them with ``settings``/``override_settings`` like any other Django setting.
"""

import datetime

from django.conf import settings
from django.utils.module_loading import import_string


class ApiSettings:
    # Items in one page of a listing unless the caller asks for fewer: Wagtail's own
    # listings answer 20, and the reviews listing and an index's first reviews match them.
    LISTING_PAGE_SIZE = 20

    @property
    def WAGTAILAPI_LIMIT_MAX(self) -> int | None:
        """The most items a caller may ask a listing for; None for no limit.

        Wagtail's setting, so /api/v3/reviews/ allows what /api/v3/pages/ allows.
        """
        return getattr(settings, "WAGTAILAPI_LIMIT_MAX", self.LISTING_PAGE_SIZE)

    @property
    def API_OFFSET_MAX(self) -> int:
        """The furthest a caller may page into any listing. Databases refuse offsets past
        64-bit integers; long before that, a caller paging so far is not reading."""
        return getattr(settings, "API_OFFSET_MAX", 1_000_000)

    @property
    def API_SITEMAP_LIMIT_MAX(self) -> int:
        """The most pages one page of /api/v3/sitemap/ may hold."""
        return getattr(settings, "API_SITEMAP_LIMIT_MAX", 1000)

    @property
    def API_CACHE_MAX_AGE(self) -> int:
        """Seconds shared caches may reuse a public answer before revalidating it."""
        return getattr(settings, "API_CACHE_MAX_AGE", 60)

    @property
    def API_PREVIEW_MAX_AGE(self) -> datetime.timedelta:
        """How long a preview token keeps working; older previews are purged."""
        return datetime.timedelta(seconds=getattr(settings, "API_PREVIEW_MAX_AGE", 3600))

    @property
    def REVALIDATE_SECRET(self) -> str:
        """Signs the calls that tell the frontend what changed; none are made without it."""
        return getattr(settings, "REVALIDATE_SECRET", "")

    @property
    def FRONTEND_REVALIDATE_URL(self) -> str:
        """Where the frontend takes those calls: its ``/_revalidate`` unless set otherwise."""
        url = getattr(settings, "FRONTEND_REVALIDATE_URL", None)
        return url or f"{settings.FRONTEND_URL}/_revalidate"

    @property
    def FRONTEND_REVALIDATE_TIMEOUT(self) -> float:
        """Seconds to wait for the frontend; publishing never waits longer than this."""
        return getattr(settings, "FRONTEND_REVALIDATE_TIMEOUT", 2.0)

    @property
    def API_ACCESSIBILITY_COMPLIANCE(self):
        """The function giving the accessibility statement's ``compliance`` facts (the audits
        app's, in this project); unset, the statement says the site has not been assessed."""
        path = getattr(settings, "API_ACCESSIBILITY_COMPLIANCE", None)
        return import_string(path) if path else None


api_settings = ApiSettings()
