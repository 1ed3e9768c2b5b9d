"""A site audit's ``results.json`` into the CMS, whole or not at all.

The document is checked against the schema the audit writes (:mod:`a11y_tests.report.json_schema`)
and read back with the audit's own ``ResultRow``; screenshots must be named by a row and be PNG
or JPEG. Only then is anything written, in one transaction.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction

from a11y_tests.report.json_schema import document_errors
from a11y_tests.report.schema import SCHEMA, ResultRow

from .models import AuditRun
from .recording import image_type, record_rows


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


def import_document(document: object, screenshots: dict[str, bytes], *, source: str) -> AuditRun:
    """Store a validated ``results.json`` (and the screenshots its rows name) as a finished run."""
    errors = document_errors(document)
    if errors:
        raise DocumentRejected(f"not a valid {SCHEMA} results document", errors)
    errors = screenshot_errors(document, screenshots)
    if errors:
        raise DocumentRejected("screenshots that cannot be stored", errors)
    rows = [ResultRow.from_json(row) for row in document["results"]]
    started_at = datetime.datetime.fromisoformat(document["started_at"])
    with transaction.atomic():
        run = AuditRun.objects.create(
            source=source,
            state=AuditRun.State.FINISHED,
            # The audit checks stale baseline entries exactly when it answered for every page.
            complete=document["baseline"]["stale_checked"],
            started_at=started_at,
            finished_at=datetime.datetime.fromisoformat(document["finished_at"]),
            axe_version=document["axe_version"],
            frontend_url=document["frontend_url"] or "",
            cms_url=document["cms_url"] or "",
            changed_since=(
                datetime.datetime.fromisoformat(document["changed_since"])
                if document["changed_since"]
                else None
            ),
            viewports=document["viewports"],
            fail_tags=document["fail_tags"],
            best_practice_fails=document["best_practice_fails"],
            baseline={
                "expired": document["baseline"]["expired"],
                "stale": document["baseline"]["stale"],
            },
        )
        record_rows(run, rows, audited_at=started_at, screenshots=screenshots)
    return run
