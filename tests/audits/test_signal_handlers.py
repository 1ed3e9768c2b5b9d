"""Publishing, unpublishing or moving a page queues its audit once the change commits, after the
frontend has been told; queueing never stands in the editor's way."""

import logging

from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.models import DBTaskResult

from api import revalidate
from audits import signal_handlers
from audits.models import AuditRun


def queued_runs():
    return list(AuditRun.objects.filter(state=AuditRun.State.QUEUED).order_by("pk"))


def queued():
    return [(run.page_id, run.trigger) for run in queued_runs()]


def test_publishing_queues_an_audit_of_the_page_on_the_audits_backend(
    demo, django_capture_on_commit_callbacks
):
    page = demo["child_b"]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    # The index lists the review: what it shows changed too.
    run, index_run = queued_runs()
    assert (run.page_id, run.source, run.trigger) == (page.pk, "on-publish", "published")
    assert (index_run.page_id, index_run.trigger) == (demo["index"].pk, "listed-page-changed")
    job = DBTaskResult.objects.order_by("enqueued_at").first()
    assert (job.backend_name, job.task_path) == ("audits", "audits.tasks.audit_page")
    assert job.args_kwargs == {"args": [run.pk], "kwargs": {}}


def test_nothing_is_queued_before_the_change_commits(demo):
    demo["child_b"].save_revision().publish()
    assert queued_runs() == [] and not DBTaskResult.objects.exists()


def test_an_audit_still_waiting_covers_later_changes(demo, django_capture_on_commit_callbacks):
    page = demo["family_a"]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert queued() == [(page.pk, "unpublished"), (demo["index"].pk, "listed-page-changed")]
    assert DBTaskResult.objects.count() == 2


def test_moving_a_page_queues_an_audit_but_reordering_does_not(
    demo, django_capture_on_commit_callbacks
):
    page = demo["guidance"]
    with django_capture_on_commit_callbacks(execute=True):
        page.move(demo["index"], pos="first-child")  # same parent, same address
    assert queued_runs() == []
    with django_capture_on_commit_callbacks(execute=True):
        page.move(demo["home"], pos="last-child")
    # The home page lists nothing; the index it left no longer shows it.
    assert queued() == [(page.pk, "moved"), (demo["index"].pk, "listed-page-changed")]


def test_moving_a_section_queues_audits_of_everything_below_it(
    demo, django_capture_on_commit_callbacks, settings
):
    index = demo["index"]
    index.slug = "case-reviews"
    with django_capture_on_commit_callbacks(execute=True):
        index.save_revision().publish()  # a new address for the index and all below it
    AuditRun.objects.all().delete()
    new_home = demo["home"].add_sibling(instance=type(demo["home"])(title="Other", slug="other"))
    with django_capture_on_commit_callbacks(execute=True):
        index.move(new_home, pos="last-child")
    below = {demo["child_b"].pk, demo["family_a"].pk, demo["guidance"].pk}
    runs = queued()
    assert runs[0] == (index.pk, "moved")
    assert {page_id for page_id, trigger in runs if trigger == "ancestor-moved"} == below

    AuditRun.objects.all().delete()
    settings.AUDIT_MOVED_DESCENDANTS_MAX = 1
    with django_capture_on_commit_callbacks(execute=True):
        index.move(demo["home"], pos="last-child")
    assert [trigger for _, trigger in queued()].count("ancestor-moved") == 1


def test_deleting_a_page_queues_only_its_index_and_logs_nothing(
    demo, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        demo["family_a"].delete()
    assert queued() == [(demo["index"].pk, "listed-page-changed")] and caplog.records == []


def test_a_queue_that_fails_is_logged_and_publishing_goes_on(
    demo, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    class Broken:
        def enqueue(self, *args):
            raise RuntimeError("queue table missing")

    monkeypatch.setattr(signal_handlers, "audit_page", Broken())
    page = demo["child_b"]
    page.title = "Child B: serious case review (updated)"
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    page.refresh_from_db()
    assert page.title.endswith("(updated)") and page.live
    assert "Could not queue an accessibility audit" in caplog.text
    # The run is not left queued with no job to run it.
    assert not AuditRun.objects.exists()


def test_the_frontend_is_told_before_the_audit_is_queued(
    demo, django_capture_on_commit_callbacks, monkeypatch
):
    happened = []
    monkeypatch.setattr(revalidate, "post_paths", lambda paths: happened.append("revalidate"))
    queue = signal_handlers._enqueue
    monkeypatch.setattr(
        signal_handlers, "_enqueue", lambda *args: (happened.append("queue"), queue(*args))
    )
    with django_capture_on_commit_callbacks(execute=True):
        demo["child_b"].save_revision().publish()
    assert happened == ["revalidate", "queue", "queue"]  # the page, then its index


def test_wagtails_own_tasks_still_run_at_once():
    assert isinstance(task_backends["default"], ImmediateBackend)
