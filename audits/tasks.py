"""The audit of one page, queued when an editor publishes, unpublishes or moves it, and the
audit of the whole site, queued from the admin (or by ``manage.py queue_site_audit``).

Runs in the ``audits`` task backend's worker (``manage.py db_worker --backend audits``), never
in a request. It audits the page's frontend address at both of the audit's viewports with the
audit's own engine (:func:`a11y_tests.workers.run_audit`) and baseline, and stores what it found.
A page that is no longer live is recorded as such, not audited as a 404; where the audit cannot
run (no browser, no axe-core) the result says so. Either way the run finishes: an editor never
sees "running" for ever.
"""

import dataclasses
import datetime
import logging
import tempfile
from pathlib import Path

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from a11y_tests.axe import AxeUnavailable
from a11y_tests.baseline import BaselineError, accept_known, load_baseline
from a11y_tests.browser import BrowserUnavailable
from a11y_tests.config import DESKTOP, MOBILE, AuditSettings
from a11y_tests.discover import DiscoveryError
from a11y_tests.model import Target
from a11y_tests.pipeline import AuditRequest, run_pipeline
from a11y_tests.report.schema import ResultRow
from a11y_tests.workers import run_audit

from . import document_checks
from .addresses import frontend_path
from .conf import audits_settings
from .importing import import_document
from .models import AuditRun, PageAuditResult
from .recording import record_rows, record_unaudited

log = logging.getLogger(__name__)

FRONTEND_PROBE_TIMEOUT_S = 10
# The audit CLI's own: desktop and 320 px wide.
VIEWPORTS = (DESKTOP, MOBILE)


@task(backend="audits")
def audit_page(run_id: int, attempt: int = 1) -> str:
    """Audit the page of a queued run; returns what became of it, for the task's record."""
    run = AuditRun.objects.select_related("page").filter(pk=run_id).first()
    if run is None or run.state != AuditRun.State.QUEUED:
        return "not waiting to be audited"
    page = run.page
    if page is None:  # deleted since it was queued: there is nothing left to show the audit on
        run.delete()
        return "page deleted"
    path = frontend_path(page)
    not_live = _why_not_live(page, path)
    if not_live:
        _record_unaudited(run, path or page.url_path, PageAuditResult.Status.NOT_LIVE, not_live)
        return f"not live: {not_live}"
    url = settings.FRONTEND_URL + path
    unreachable = _unreachable(url)
    if unreachable and attempt < audits_settings.AUDIT_FRONTEND_RETRIES:
        # The frontend may still be starting (`make run` starts it beside this worker).
        retry_at = timezone.now() + datetime.timedelta(
            seconds=audits_settings.AUDIT_FRONTEND_RETRY_DELAY
        )
        audit_page.using(run_after=retry_at).enqueue(run_id, attempt + 1)
        return f"frontend not reachable, attempt {attempt}: {unreachable}"
    if unreachable:
        reason = f"the frontend did not answer at {url}: {unreachable}"
        _record_unaudited(run, path, PageAuditResult.Status.NOT_AUDITED, reason)
        return f"not audited: {reason}"
    return _audit(run, Target(url=url, path=path, page_id=page.pk))


def _audit(run: AuditRun, target: Target) -> str:
    """Audit the page in the browser and store what was found, or why it could not be."""
    run.state, run.started_at = AuditRun.State.RUNNING, timezone.now()
    run.save(update_fields=["state", "started_at"])
    audit_settings = AuditSettings(viewports=VIEWPORTS, browser=audits_settings.AUDIT_BROWSER)
    try:
        entries = load_baseline(audits_settings.AUDIT_BASELINE)
        results, axe_version = run_audit([target], audit_settings, workers=1)
    except BrowserUnavailable as error:
        reason = f"no browser: {error}"
    except AxeUnavailable as error:
        reason = f"no axe-core: {error}"
    except BaselineError as error:
        reason = f"unreadable baseline: {error}"
    except Exception as error:  # whatever else stops the audit, the run must still finish
        log.exception("Accessibility audit of %s failed", target.url)
        reason = f"the audit failed: {error}"
    else:
        today = datetime.date.today()
        for result in results:
            accept_known(result, entries, today)
        rows = [ResultRow.of(result) for result in results]
        screenshots = {
            row.screenshot: result.screenshot
            for row, result in zip(rows, results, strict=True)
            if result.screenshot
        }
        run.axe_version = axe_version
        run.frontend_url = settings.FRONTEND_URL
        run.viewports = [dataclasses.asdict(viewport) for viewport in VIEWPORTS]
        run.fail_tags = list(audit_settings.fail_tags)
        with transaction.atomic():
            record_rows(run, rows, audited_at=run.started_at, screenshots=screenshots)
        not_passed = sum(row.status != "passed" for row in rows)
        return f"audited {target.url}: {not_passed} of {len(rows)} viewports not passed"
    _record_unaudited(run, target.path, PageAuditResult.Status.NOT_AUDITED, reason)
    return f"not audited: {reason}"


def _why_not_live(page, path: str | None) -> str:
    """Why readers cannot see the page on the frontend, or "" when they can."""
    if not page.live:
        return "unpublished"
    if path is None:
        return "outside every site"
    if page.get_view_restrictions().exists():
        return "private: only some readers may see it"
    return ""


def _unreachable(url: str) -> str:
    """Why the frontend gave no answer at all, or "" when it answered (any status will do:
    the audit reports an error page itself)."""
    try:
        httpx.get(url, timeout=FRONTEND_PROBE_TIMEOUT_S)
    except httpx.TransportError as error:
        return str(error) or type(error).__name__
    return ""


def _record_unaudited(run: AuditRun, path: str, status: str, reason: str) -> None:
    with transaction.atomic():
        record_unaudited(run, path=path, status=status, reason=reason, viewports=VIEWPORTS)


@task(backend="audits")
def audit_site(run_id: int, attempt: int = 1) -> str:
    """Audit every published page as ``a11y-audit`` does (the same pipeline, baseline and
    viewports) and store it as a complete run: what the accessibility statement is built from."""
    run = AuditRun.objects.filter(pk=run_id, state=AuditRun.State.QUEUED).first()
    if run is None:
        return "not waiting to be audited"
    unreachable = _unreachable(settings.FRONTEND_URL + "/")
    if unreachable and attempt < audits_settings.AUDIT_FRONTEND_RETRIES:
        # `make run` queues the demo site's audit before the CMS and frontend are up.
        retry_at = timezone.now() + datetime.timedelta(
            seconds=audits_settings.AUDIT_FRONTEND_RETRY_DELAY
        )
        audit_site.using(run_after=retry_at).enqueue(run_id, attempt + 1)
        return f"frontend not reachable, attempt {attempt}: {unreachable}"
    if unreachable:
        return _site_audit_failed(
            run, f"the frontend did not answer at {settings.FRONTEND_URL}: {unreachable}"
        )
    run.state, run.started_at = AuditRun.State.RUNNING, timezone.now()
    run.save(update_fields=["state", "started_at"])
    audit_settings = AuditSettings(viewports=VIEWPORTS, browser=audits_settings.AUDIT_BROWSER)
    with tempfile.TemporaryDirectory(prefix="site-audit-") as report_dir:
        request = AuditRequest(
            cms_url=settings.WAGTAILADMIN_BASE_URL,
            frontend_url=settings.FRONTEND_URL,
            report_dir=Path(report_dir),
            settings=audit_settings,
            workers=1,
            baseline_path=audits_settings.AUDIT_BASELINE,
            formats=["json", "html"],  # the HTML report is what keeps the screenshots
        )
        try:
            document = run_pipeline(request)
        except DiscoveryError as error:
            return _site_audit_failed(run, f"the CMS did not list the pages: {error}")
        except (BrowserUnavailable, AxeUnavailable, BaselineError) as error:
            return _site_audit_failed(run, str(error))
        except Exception as error:  # whatever else stops the audit, the run must still finish
            log.exception("Accessibility audit of the whole site failed")
            return _site_audit_failed(run, f"the audit failed: {error}")
        screenshots = {
            name: (Path(report_dir) / name).read_bytes()
            for name in {row.get("screenshot") for row in document["results"]} - {None}
            if (Path(report_dir) / name).is_file()
        }
    run = import_document(document, screenshots, source=AuditRun.Source.SITE_TASK, run=run)
    return f"audited {run.page_count} addresses: {run.failed_count} results with problems"


def _site_audit_failed(run: AuditRun, reason: str) -> str:
    run.state, run.finished_at, run.error = AuditRun.State.FINISHED, timezone.now(), reason
    run.save(update_fields=["state", "finished_at", "error"])
    return f"not audited: {reason}"


def queue_site_audit() -> AuditRun:
    """The waiting or running site audit, or a new one queued for the worker."""
    with transaction.atomic():
        pending = AuditRun.objects.select_for_update().pending_site_audit()
        if pending is not None:
            return pending
        run = AuditRun.objects.create(source=AuditRun.Source.SITE_TASK, state=AuditRun.State.QUEUED)
        audit_site.enqueue(run.pk)
        return run


@task(backend="audits")
def check_document(document_id: int, file_name: str) -> str:
    """Check the accessibility of a document's PDF, queued when the file was saved; stores
    the outcome on the document (``document_checks``)."""
    return document_checks.check_and_store(document_id, file_name)
