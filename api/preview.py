"""``GET /api/v3/page_preview/``: an editor's unpublished version, in the page detail shape.

wagtail-headless-preview stores each preview as a PagePreview row and hands
the frontend a signed token. Tokens are accepted for ``API_PREVIEW_MAX_AGE``
seconds only, and rows older than that are deleted: by ``purge_page_previews``
on a schedule, and cheaply on every preview request.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature, SignatureExpired
from django.http import Http404
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError
from wagtail.api.v3.routers.pages import PageDetailSchema
from wagtail.models import Page
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview

from .conf import api_settings
from .openapi import anonymous_request
from .params import reject_unknown_params

router = Router(tags=["preview"], auth=anonymous_request)


def purge_previews_from_expired_days():
    """Delete preview rows whose tokens can no longer be used; one query.

    PagePreview only records the day a row was made, so this removes rows from
    days that ended before the oldest moment a valid token could come from.
    """
    cutoff = timezone.localdate(timezone.now() - api_settings.API_PREVIEW_MAX_AGE)
    deleted, _ = PagePreview.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def purge_expired_previews():
    """Delete every preview row whose token has expired, to the second; for the scheduled purge."""
    deleted = purge_previews_from_expired_days()
    signer = HeadlessPreviewMixin.get_preview_signer()
    expired = []
    for pk, token in PagePreview.objects.values_list("pk", "token"):
        try:
            signer.unsign(token, max_age=api_settings.API_PREVIEW_MAX_AGE)
        except BadSignature:  # includes SignatureExpired
            expired.append(pk)
    if expired:
        deleted += PagePreview.objects.filter(pk__in=expired).delete()[0]
    return deleted


def _preview_model(content_type):
    try:
        app_label, model_name = content_type.split(".", 1)
        model = ContentType.objects.get_by_natural_key(app_label, model_name.lower()).model_class()
    except (ValueError, ContentType.DoesNotExist):
        model = None
    if model is None or not issubclass(model, Page) or not issubclass(model, HeadlessPreviewMixin):
        raise Http404(f"'{content_type}' is not a page type that can be previewed.")
    return model


@router.get(
    "/",
    response=PageDetailSchema,
    url_name="page_preview",
    summary="Preview a page",
    operation_id="page_preview",
    description=(
        "The page as the editor last previewed it, in the page detail shape. Pages never "
        "saved have id 0. An invalid or expired token is a 403; a token with no preview "
        "for this content type is a 404."
    ),
)
def page_preview(request, content_type: str, token: str):
    reject_unknown_params(request, {"content_type", "token"})
    purge_previews_from_expired_days()
    model = _preview_model(content_type)
    try:
        model.get_preview_signer().unsign(token, max_age=api_settings.API_PREVIEW_MAX_AGE)
    except SignatureExpired as error:
        raise HttpError(403, "This preview link has expired; preview the page again.") from error
    except BadSignature as error:
        raise HttpError(403, "This preview token is not valid.") from error
    preview = PagePreview.objects.filter(
        content_type=ContentType.objects.get_for_model(model), token=token
    ).first()
    if preview is None:
        raise Http404("No preview matches this token and content type.")
    page = preview.as_page()
    if page.pk is None:
        # A page never saved; v3's detail shape requires an integer id.
        page.id = page.pk = 0
    return page
