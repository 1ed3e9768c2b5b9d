"""Where a document can be fetched from outside the CMS."""

from django.conf import settings


def absolute_document_url(document, request=None):
    """The document's full address on the CMS, which serves (and guards) the files.

    The address the caller reached the CMS at is preferred; without a request,
    the CMS's public address (``WAGTAILADMIN_BASE_URL``) is used.
    """
    if request is not None:
        return request.build_absolute_uri(document.url)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + document.url
