"""Each uploaded PDF is checked for accessibility by the audits worker: queued when its file is
saved (never on a new title), run here in this process, its outcome stored on the document and
the frontend told about the pages that link to it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from audits import document_checks
from audits.tasks import check_document
from pages.demo_pdf import build_pdf
from pages.models import ReportDocument
from tests.a11y.pdfs import good_document, password_protected

Status = ReportDocument.AccessibilityStatus
CHECK_TASK = "audits.tasks.check_document"


def untagged_pdf(title="Child C report"):
    """A PDF as a word processor printing to PDF makes one: no tags, fonts not embedded."""
    return build_pdf(title, [["Findings of the review."], ["Recommendations."]])


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "pw"))
    return client


def upload(editor, name, content, title="Child C report"):
    return editor.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def queued_checks():
    return [
        tuple(job.args_kwargs["args"])
        for job in DBTaskResult.objects.filter(task_path=CHECK_TASK).order_by("enqueued_at")
    ]


def store(document, **fields):
    ReportDocument.objects.filter(pk=document.pk).update(**fields)
    document.refresh_from_db()


@pytest.mark.django_db
def test_an_upload_queues_its_check_once_saved_and_a_new_title_does_not(
    editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(editor, "child-c.pdf", untagged_pdf())
    assert response.status_code == 302  # the upload did not wait for the check
    document = ReportDocument.objects.get()
    assert document.accessibility_status == Status.NOT_CHECKED
    assert queued_checks() == [(document.pk, document.file.name)]
    job = DBTaskResult.objects.get(task_path=CHECK_TASK)
    assert job.backend_name == "audits" and job.status == "READY"

    edit_url = reverse("wagtaildocs:edit", args=[document.pk])
    form = {"title": "Child C: practice review report", "collection": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(edit_url, form).status_code == 302
    assert len(queued_checks()) == 1

    # Replacing the file queues a check of the new one.
    with django_capture_on_commit_callbacks(execute=True):
        replaced = editor.post(
            edit_url, {**form, "file": SimpleUploadedFile("child-c-v2.pdf", untagged_pdf())}
        )
    assert replaced.status_code == 302
    document.refresh_from_db()
    assert "child-c-v2" in document.file.name
    assert queued_checks()[-1] == (document.pk, document.file.name)


@pytest.mark.django_db
def test_nothing_is_queued_before_the_upload_commits(editor):
    upload(editor, "child-c.pdf", untagged_pdf())
    assert queued_checks() == []  # on commit only: the test's transaction never commits


@pytest.mark.django_db
def test_other_files_are_not_applicable_and_never_queued(
    editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(editor, "figures.csv", b"year,reviews\n2017,1\n", title="Figures")
    assert ReportDocument.objects.get().accessibility_status == Status.NOT_APPLICABLE
    assert queued_checks() == []


@pytest.mark.django_db
def test_the_queued_job_checks_the_file_and_stores_what_it_found(
    editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(editor, "child-c.pdf", untagged_pdf())
    # What the worker does with the job it takes from the queue (in this process: an in-process
    # db_worker would close this test's database connection).
    job = DBTaskResult.objects.get(task_path=CHECK_TASK)
    outcome = job.task.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])

    assert outcome == "Child C report: failed: 3 problems"
    document = ReportDocument.objects.get()
    assert document.accessibility_status == Status.FAILED and document.accessibility_checked_at
    assert document.accessibility_problems[0].startswith("The document is not tagged")
    assert {finding.check for finding in document.accessibility_check.violations} == {
        "pdf-tagged",
        "pdf-title-shown",
        "pdf-fonts-embedded",
    }


def make_document(content, name="report.pdf"):
    document = ReportDocument(title="Report", file=SimpleUploadedFile(name, content))
    document.save()
    return document


@pytest.mark.django_db
def test_a_tagged_pdf_passes_and_a_locked_one_could_not_be_checked():
    tagged = make_document(good_document())
    assert check_document.call(tagged.pk, tagged.file.name).endswith("passed 12 checks")
    tagged.refresh_from_db()
    assert tagged.accessibility_status == Status.PASSED and tagged.accessibility_problems == []

    locked = make_document(password_protected(good_document()))
    check_document.call(locked.pk, locked.file.name)
    locked.refresh_from_db()
    assert locked.accessibility_status == Status.COULD_NOT_CHECK and locked.accessibility_failed
    assert locked.accessibility_problems == [
        "It could not be checked: it needs a password to open, so only people who have the "
        "password can read it."
    ]


@pytest.mark.django_db
def test_a_check_of_a_file_since_replaced_or_deleted_stores_nothing():
    document = make_document(untagged_pdf())
    first_file = document.file.name
    document.file = SimpleUploadedFile("report-v2.pdf", untagged_pdf())
    document.save()
    assert check_document.call(document.pk, first_file) == (
        "file replaced since: its own check is queued"
    )
    document.refresh_from_db()
    assert document.accessibility_status == Status.NOT_CHECKED

    document_id, file_name = document.pk, document.file.name
    document.delete()
    assert check_document.call(document_id, file_name) == "document deleted"


def test_the_frontend_refreshes_the_pages_linking_to_a_document_whose_status_changed(
    demo, monkeypatch
):
    posted = []
    monkeypatch.setattr(document_checks, "post_paths", posted.append)
    report = next(
        block.value["document"] for block in demo["child_b"].body if block.block_type == "report"
    )

    check_document.call(report.pk, report.file.name)
    assert sorted(posted[0]) == ["/serious-case-reviews/", "/serious-case-reviews/child-b/"]
    report.refresh_from_db()
    assert report.accessibility_status == Status.FAILED

    check_document.call(report.pk, report.file.name)  # the same outcome again: nothing to tell
    assert len(posted) == 1


@pytest.mark.django_db
def test_documents_stored_before_the_check_existed_can_be_queued():
    unchecked = make_document(untagged_pdf())
    checked = make_document(untagged_pdf(), name="checked.pdf")
    store(checked, accessibility_status=Status.PASSED)
    make_document(b"year,reviews\n2017,1\n", name="figures.csv")

    def queued_by(*arguments):
        DBTaskResult.objects.all().delete()
        call_command("queue_document_checks", *arguments, stdout=io.StringIO())
        return queued_checks()

    queued = queued_by()
    assert (unchecked.pk, unchecked.file.name) in queued
    assert (checked.pk, checked.file.name) not in queued
    assert len(queued) == ReportDocument.objects.filter(file__endswith=".pdf").count() - 1
    assert (checked.pk, checked.file.name) in queued_by("--all")
    assert len(queued_by("--all")) == ReportDocument.objects.filter(file__endswith=".pdf").count()
