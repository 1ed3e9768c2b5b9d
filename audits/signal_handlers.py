"""Queue an audit of a page when it is published, unpublished or moved.

Connected in ``AuditsConfig.ready()``, after the ``api`` app's handlers, so on commit the
frontend is told what changed (``api/revalidate.py``, which waits for its answer) before the
audit is queued: the worker then reads the page as readers see it. Queueing costs a query or
two; if it fails, the failure is logged and the editor's action goes on.
"""

import logging

from django.db import transaction
from wagtail.models import Page

from .models import AuditRun
from .tasks import audit_page

log = logging.getLogger(__name__)


def queue_audit(page_id: int, trigger: str) -> None:
    transaction.on_commit(lambda: _enqueue(page_id, trigger))


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


def audit_on_unpublish(sender, instance, **kwargs):
    queue_audit(instance.pk, AuditRun.Trigger.UNPUBLISHED)


def audit_on_move(sender, instance, url_path_before, url_path_after, **kwargs):
    # Reordering pages under the same parent moves them without changing their address.
    if url_path_before != url_path_after:
        queue_audit(instance.pk, AuditRun.Trigger.MOVED)
