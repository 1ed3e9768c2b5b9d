"""``manage.py import_audit reports/a11y/results.json``: store a site audit run elsewhere (CI).

The screenshots its rows name are read from beside the file (the report directory) when they
are there. A file that is not a valid ``results.json`` stops with the reasons; nothing is stored.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audits.importing import DocumentRejected, import_document
from audits.models import AuditRun


class Command(BaseCommand):
    help = "Store an a11y-audit results.json (and the screenshots beside it) as an audit run."

    def add_arguments(self, parser):
        parser.add_argument("results", type=Path, help="the run's results.json")
        parser.add_argument(
            "--screenshots-dir",
            type=Path,
            help="where the rows' screenshots/… files are (default: the results file's folder)",
        )

    def handle(self, *args, results, screenshots_dir=None, **options):
        try:
            document = json.loads(results.read_text(encoding="utf8"))
        except OSError as error:
            raise CommandError(f"cannot read {results}: {error.strerror}") from error
        except ValueError as error:
            raise CommandError(f"{results} is not JSON: {error}") from error
        screenshots = _screenshots(document, Path(screenshots_dir or results.parent))
        try:
            run = import_document(document, screenshots, source=AuditRun.Source.IMPORT)
        except DocumentRejected as rejected:
            reasons = "".join(f"\n  {error}" for error in rejected.errors)
            raise CommandError(f"{results}: {rejected.detail}; nothing stored{reasons}") from None
        scope = "complete site audit" if run.complete else "partial audit"
        self.stdout.write(
            f"Imported run {run.pk} ({scope}): {run.result_count} results of {run.page_count} "
            f"pages, {run.failed_count} with problems, {run.error_count} not audited."
        )


def _screenshots(document, directory: Path) -> dict[str, bytes]:
    """The files the rows name that exist in ``directory`` (the document is checked later)."""
    rows = document.get("results") if isinstance(document, dict) else None
    names = {
        row["screenshot"]
        for row in rows or []
        if isinstance(row, dict) and isinstance(row.get("screenshot"), str)
    }
    found = {}
    for name in names:
        file = directory / name
        # Only plain files under the directory: a name is data from the file being imported.
        if file.resolve().is_relative_to(directory.resolve()) and file.is_file():
            found[name] = file.read_bytes()
    return found
