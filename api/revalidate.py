"""Tells the frontend which paths changed, so it drops its cached copies at once.

On publish, unpublish, move, slug change, delete and privacy change the CMS
posts the affected frontend paths (the page and its parent index, before and
after a move, with everything below a moved or restricted page) to
``{FRONTEND_URL}/_revalidate``, signed with HMAC-SHA256 over the shared
``REVALIDATE_SECRET`` and a timestamp (docs/api.md, Revalidation). The call is
made after the transaction commits and never fails the editor's action: if the
frontend is down, its caches simply expire on their own.
"""

import hashlib
import hmac
import json
import logging
import time

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .links import frontend_path

log = logging.getLogger(__name__)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def post_paths(paths) -> None:
    """Send one signed revalidation call; failures are logged, never raised."""
    paths = sorted({path for path in paths if path})
    if not paths or not settings.REVALIDATE_SECRET:
        return
    body = json.dumps({"paths": paths}).encode()
    timestamp = str(int(time.time()))
    try:
        response = httpx.post(
            settings.FRONTEND_REVALIDATE_URL,
            content=body,
            headers={
                "Content-Type": "application/json",
                "X-Revalidate-Timestamp": timestamp,
                "X-Revalidate-Signature": signature(settings.REVALIDATE_SECRET, timestamp, body),
            },
            timeout=settings.FRONTEND_REVALIDATE_TIMEOUT,
        )
        response.raise_for_status()
    except httpx.HTTPError as error:
        log.warning("Could not revalidate %s on the frontend: %r", ", ".join(paths), error)


def _paths_for(*url_paths) -> list[str]:
    return [frontend_path(url_path) for url_path in url_paths if url_path]


def _parent_url_path(url_path: str) -> str:
    return url_path.rstrip("/").rsplit("/", 1)[0] + "/"


def _send_after_commit(paths) -> None:
    transaction.on_commit(lambda: post_paths(paths))


def on_publish_or_unpublish(sender, instance, **kwargs):
    _send_after_commit(_paths_for(instance.url_path, _parent_url_path(instance.url_path)))


def _moved_paths(page, url_path_before: str, url_path_after: str) -> list[str]:
    """Old and new addresses of a page, of its parents and of everything below it."""
    url_paths = [
        url_path_before,
        _parent_url_path(url_path_before),
        url_path_after,
        _parent_url_path(url_path_after),
    ]
    for descendant in Page.objects.descendant_of(page).values_list("url_path", flat=True):
        url_paths += [descendant, url_path_before + descendant[len(url_path_after) :]]
    return _paths_for(*url_paths)


def on_move(sender, instance, url_path_before, url_path_after, **kwargs):
    _send_after_commit(_moved_paths(instance, url_path_before, url_path_after))


def on_slug_change(sender, instance, instance_before, **kwargs):
    # The old address would otherwise keep answering from the frontend's cache.
    _send_after_commit(_moved_paths(instance, instance_before.url_path, instance.url_path))


def on_delete(sender, instance, **kwargs):
    # Collected before the rows go, while the page still knows where it lived.
    if instance.live and instance.url_path:
        _send_after_commit(_paths_for(instance.url_path, _parent_url_path(instance.url_path)))


def on_view_restriction_change(sender, instance, **kwargs):
    """A restriction added, changed or removed hides or shows the page and everything below
    it at once in the API, and its parent lists it (or stops listing it)."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted, which on_delete covers
        return
    below = Page.objects.descendant_of(page, inclusive=True).live()
    url_paths = list(below.values_list("url_path", flat=True))
    _send_after_commit(_paths_for(*url_paths, _parent_url_path(page.url_path)))


def connect_signals() -> None:
    page_published.connect(on_publish_or_unpublish, dispatch_uid="revalidate-on-publish")
    page_unpublished.connect(on_publish_or_unpublish, dispatch_uid="revalidate-on-unpublish")
    post_page_move.connect(on_move, dispatch_uid="revalidate-on-move")
    page_slug_changed.connect(on_slug_change, dispatch_uid="revalidate-on-slug-change")
    pre_delete.connect(on_delete, sender=Page, dispatch_uid="revalidate-on-delete")
    post_save.connect(
        on_view_restriction_change,
        sender=PageViewRestriction,
        dispatch_uid="revalidate-on-view-restriction-save",
    )
    post_delete.connect(
        on_view_restriction_change,
        sender=PageViewRestriction,
        dispatch_uid="revalidate-on-view-restriction-delete",
    )
