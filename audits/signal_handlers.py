"""Queue an audit of a page when it is published, unpublished or moved, and of the pages
that change with it: the index that lists it, and after a move everything below it.

Connected in ``AuditsConfig.ready()``, after the ``api`` app's handlers, so on commit the
frontend is told what changed (``api/revalidate.py``, which waits for its answer) before the
audit is queued: the worker then reads the page as readers see it. Queueing costs a query or
two; if it fails, the failure is logged and the editor's action goes on.

A document saved with a new PDF has its accessibility check queued the same way
(``check_document_on_save``).
"""

import logging

from django.db import transaction
from wagtail.models import Page

from .conf import audits_settings
from .models import AuditRun
from .tasks import audit_page, check_document

log = logging.getLogger(__name__)


def queue_audit(page_id: int, trigger: str) -> None:
    transaction.on_commit(lambda: _enqueue(page_id, trigger))


def queue_audits(page_ids, trigger: str) -> None:
    for page_id in page_ids:
        queue_audit(page_id, trigger)


def _listing_page_ids(*parents) -> list[int]:
    """The parents that list their children to readers (an index lists its reviews): what
    they show changed too. The site's root and Wagtail's own root list nothing."""
    return [parent.pk for parent in parents if parent is not None and parent.depth > 2]


def _enqueue(page_id: int, trigger: str) -> None:
    try:
        with transaction.atomic():
            # Deleting a page unpublishes it first: a deleted page needs no audit.
            if not Page.objects.filter(pk=page_id).exists():
                return
            # An audit still waiting will read the page as it is now: no second one is needed.
            waiting = AuditRun.objects.filter(page_id=page_id, state=AuditRun.State.QUEUED)
            if waiting.update(trigger=trigger):
                return
            run = AuditRun.objects.create(
                source=AuditRun.Source.ON_PUBLISH,
                state=AuditRun.State.QUEUED,
                page_id=page_id,
                trigger=trigger,
            )
            audit_page.enqueue(run.pk)
    except Exception:
        log.exception("Could not queue an accessibility audit of page %s", page_id)


def audit_on_publish(sender, instance, **kwargs):
    queue_audit(instance.pk, AuditRun.Trigger.PUBLISHED)
    queue_audits(_listing_page_ids(instance.get_parent()), AuditRun.Trigger.LISTED_PAGE_CHANGED)


def audit_on_unpublish(sender, instance, **kwargs):
    queue_audit(instance.pk, AuditRun.Trigger.UNPUBLISHED)
    queue_audits(_listing_page_ids(instance.get_parent()), AuditRun.Trigger.LISTED_PAGE_CHANGED)


def audit_on_move(
    sender,
    instance,
    url_path_before,
    url_path_after,
    parent_page_before=None,
    parent_page_after=None,
    **kwargs,
):
    # Reordering pages under the same parent moves them without changing their address.
    if url_path_before == url_path_after:
        return
    queue_audit(instance.pk, AuditRun.Trigger.MOVED)
    # Everything below has a new address; the old and new parents list different pages.
    descendants = Page.objects.descendant_of(instance).live().values_list("pk", flat=True)
    queue_audits(
        descendants[: audits_settings.AUDIT_MOVED_DESCENDANTS_MAX], AuditRun.Trigger.ANCESTOR_MOVED
    )
    queue_audits(
        _listing_page_ids(parent_page_before, parent_page_after),
        AuditRun.Trigger.LISTED_PAGE_CHANGED,
    )


def check_document_on_save(sender, instance, **kwargs):
    """Queue the PDF accessibility check of a document saved with a new PDF (an upload or a
    replaced file, not a new title), once the save commits; the upload never waits for it."""
    if not getattr(instance, "accessibility_check_due", False):
        return
    document_id, file_name = instance.pk, instance.file.name
    transaction.on_commit(lambda: _enqueue_document_check(document_id, file_name))


def _enqueue_document_check(document_id: int, file_name: str) -> None:
    try:
        check_document.enqueue(document_id, file_name)
    except Exception:
        log.exception("Could not queue the accessibility check of document %s", document_id)
