"""A site audit's ``results.json`` into the CMS, whole or not at all.

The document is checked against the schema the audit writes (:mod:`a11y_tests.report.json_schema`)
and read back with the audit's own ``ResultRow``; screenshots must be named by a row and be PNG
or JPEG. Only then is anything written, in one transaction.

The page rows (``results``) are stored; the document rows (``documents``: the PDFs the pages
link to) are not: the CMS checks each document itself when it is uploaded.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction

from a11y_tests.report.json_schema import document_errors
from a11y_tests.report.schema import SCHEMA, ResultRow

from .models import AuditRun
from .recording import image_type, record_rows
from .statement import statement_evidence_changed


class DocumentRejected(ValueError):
    """The results cannot be stored; ``detail`` says why, ``errors`` lists where."""

    def __init__(self, detail: str, errors: Iterable[str] = (), *, status: int = 422):
        self.detail = detail
        self.errors = list(errors)
        self.status = status
        super().__init__("; ".join([detail, *self.errors]))


def screenshot_errors(document: dict, screenshots: dict[str, bytes]) -> list[str]:
    named = {row["screenshot"] for row in document["results"] if row.get("screenshot")}
    errors = []
    for name, data in sorted(screenshots.items()):
        if name not in named:
            errors.append(f"{name}: no result names this screenshot")
        elif image_type(data) is None:
            errors.append(f"{name}: not a PNG or JPEG image")
    return errors


def import_document(
    document: object, screenshots: dict[str, bytes], *, source: str, run: AuditRun | None = None
) -> AuditRun:
    """Store a validated ``results.json`` (and the screenshots its rows name) as a finished run:
    a new one, or ``run`` when the run was queued before the audit began (a site audit queued
    in the admin)."""
    errors = document_errors(document)
    if errors:
        raise DocumentRejected(f"not a valid {SCHEMA} results document", errors)
    errors = screenshot_errors(document, screenshots)
    if errors:
        raise DocumentRejected("screenshots that cannot be stored", errors)
    rows = [ResultRow.from_json(row) for row in document["results"]]
    started_at = datetime.datetime.fromisoformat(document["started_at"])
    run = run or AuditRun()
    run.source = source
    run.state = AuditRun.State.FINISHED
    # The audit checks stale baseline entries exactly when it answered for every page.
    run.complete = document["baseline"]["stale_checked"]
    run.started_at = started_at
    run.finished_at = datetime.datetime.fromisoformat(document["finished_at"])
    run.axe_version = document["axe_version"]
    run.frontend_url = document["frontend_url"] or ""
    run.cms_url = document["cms_url"] or ""
    run.changed_since = (
        datetime.datetime.fromisoformat(document["changed_since"])
        if document["changed_since"]
        else None
    )
    run.viewports = document["viewports"]
    run.fail_tags = document["fail_tags"]
    run.best_practice_fails = document["best_practice_fails"]
    run.baseline = {
        "expired": document["baseline"]["expired"],
        "stale": document["baseline"]["stale"],
    }
    with transaction.atomic():
        run.save()
        record_rows(run, rows, audited_at=started_at, screenshots=screenshots)
        if run.complete:
            statement_evidence_changed(run)
    return run
