"""What the accessibility statement says about compliance, worked out from the latest complete
site audit stored in the CMS.

The statement's editors write its prose; this module supplies the facts the regulations ask
for: the compliance status against WCAG 2.2 AA, each non-compliance with its success criteria
and the pages it affects (with the promised fix date of a baseline entry that accepts it), and
when and how the site was tested. It never claims full compliance on evidence it does not
have: with no complete audit, an audit that could not test some pages, or one older than
``AUDIT_STATEMENT_MAX_AGE_DAYS``, the status is "not assessed" and the caveats say why.

The API serves this as the statement page's ``compliance`` field (``API_ACCESSIBILITY_COMPLIANCE``
names :func:`statement_compliance`); the admin warns editors with :func:`caveat_messages`.
"""

import datetime
from dataclasses import asdict, dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex

from a11y_tests.baseline import BaselineError, load_baseline
from a11y_tests.documents import DocumentResult
from a11y_tests.wcag import required_criteria
from api.revalidate import post_paths_after_commit
from pages.models import AccessibilityStatementPage, ReportDocument

from .addresses import frontend_path
from .conf import audits_settings
from .models import AuditFinding, AuditRun, PageAuditResult

SITE_AUDIT_STORED = "audits.site_audit_stored"

FULLY = "fully-compliant"
PARTIALLY = "partially-compliant"
NOT_COMPLIANT = "not-compliant"
NOT_ASSESSED = "not-assessed"

STATEMENT_STATUS_LABELS = {
    FULLY: "fully compliant",
    PARTIALLY: "partially compliant",
    NOT_COMPLIANT: "not compliant",
    NOT_ASSESSED: "not assessed",
}

NEVER_AUDITED = "never-audited"
PAGES_NOT_AUDITED = "pages-not-audited"
AUDIT_OUT_OF_DATE = "audit-out-of-date"

# Findings that stand between the site and WCAG 2.2 AA: what fails, and what the baseline
# accepts for now (accepted is not fixed).
NON_COMPLIANT_CATEGORIES = [AuditFinding.Category.VIOLATION, AuditFinding.Category.ACCEPTED]
FAILING_DOCUMENT_STATUSES = [
    ReportDocument.AccessibilityStatus.FAILED,
    ReportDocument.AccessibilityStatus.COULD_NOT_CHECK,
]
# The page-not-found page and a listing's filtered views are part of the site readers use.
KIND_LABELS = {
    PageAuditResult.Kind.NOT_FOUND: "The 'page not found' page",
    PageAuditResult.Kind.LISTING_VIEW: "A filtered or paginated list",
}


@dataclass
class AffectedPage:
    title: str
    path: str


@dataclass
class Criterion:
    number: str
    name: str
    level: str


@dataclass
class NonCompliance:
    """One rule's failures across the site, in the words a reader of the statement needs."""

    rule_id: str
    problem: str
    criteria: list[Criterion]
    pages: list[AffectedPage]
    fix_by: datetime.date | None = None
    fix_plan: str = ""


@dataclass
class NonAccessibleDocument:
    """A PDF linked from a published page that failed its accessibility check (or could not
    be checked), with what is wrong, the criteria it fails and the pages that link it."""

    title: str
    path: str
    problems: list[str]
    criteria: list[Criterion]
    pages: list[AffectedPage]
    fix_by: datetime.date | None = None
    fix_plan: str = ""


@dataclass
class AuditEvidence:
    tested_on: datetime.date
    page_count: int
    viewport_widths: list[int]
    untested_paths: list[str]
    age_days: int
    max_age_days: int


@dataclass
class StatementCompliance:
    status: str
    standard: str = "WCAG 2.2 AA"
    caveats: list[str] = field(default_factory=list)
    audit: AuditEvidence | None = None
    non_compliances: list[NonCompliance] = field(default_factory=list)
    documents: list[NonAccessibleDocument] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def statement_compliance(today: datetime.date | None = None) -> StatementCompliance:
    """The statement's facts from the latest complete site audit (None of them is stored: they
    change as audits arrive and as the audit ages)."""
    today = today or timezone.localdate()
    documents = _non_accessible_documents(today)
    run = AuditRun.objects.latest_complete()
    if run is None:
        return StatementCompliance(
            status=PARTIALLY if documents else NOT_ASSESSED,
            caveats=[NEVER_AUDITED],
            documents=documents,
        )
    results = list(run.results.select_related("page"))
    evidence = _evidence(run, results, today)
    non_compliances = _non_compliances(results)
    caveats = []
    if evidence.untested_paths:
        caveats.append(PAGES_NOT_AUDITED)
    if evidence.age_days > evidence.max_age_days:
        caveats.append(AUDIT_OUT_OF_DATE)
    return StatementCompliance(
        status=_status(non_compliances, documents, results, caveats),
        caveats=caveats,
        audit=evidence,
        non_compliances=non_compliances,
        documents=documents,
    )


def statement_evidence_changed(run: AuditRun) -> None:
    """A complete site audit was stored: the statements say something new. Logging it changes
    every page's API ETag (``api.caching``); the frontend drops its copies once this commits."""
    log(instance=run, action=SITE_AUDIT_STORED)
    statements = AccessibilityStatementPage.objects.live()
    post_paths_after_commit([frontend_path(page) for page in statements])


def caveat_messages(compliance: StatementCompliance) -> list[str]:
    """Why the statement cannot claim full compliance, for an editor."""
    messages = []
    evidence = compliance.audit
    for caveat in compliance.caveats:
        if caveat == NEVER_AUDITED:
            messages.append(
                "No complete accessibility audit of the site is stored, so the statement cannot "
                "say how accessible the site is. Run one from the dashboard."
            )
        elif caveat == PAGES_NOT_AUDITED:
            messages.append(
                f"The latest complete audit could not test {len(evidence.untested_paths)} "
                "page(s), so the statement does not claim full compliance."
            )
        elif caveat == AUDIT_OUT_OF_DATE:
            messages.append(
                f"The latest complete audit is {evidence.age_days} days old (more than "
                f"{evidence.max_age_days}), so the statement does not claim full compliance. "
                "Run a new one from the dashboard."
            )
    return messages


def _evidence(run: AuditRun, results: list[PageAuditResult], today) -> AuditEvidence:
    tested_at = run.started_at or run.queued_at
    tested_on = timezone.localdate(tested_at)
    untested = PageAuditResult.Status.ERROR, PageAuditResult.Status.NOT_AUDITED
    return AuditEvidence(
        tested_on=tested_on,
        page_count=len({result.path for result in results}),
        viewport_widths=sorted({result.viewport_width for result in results}, reverse=True),
        untested_paths=sorted({result.path for result in results if result.status in untested}),
        age_days=(today - tested_on).days,
        max_age_days=audits_settings.AUDIT_STATEMENT_MAX_AGE_DAYS,
    )


def _non_compliances(results: list[PageAuditResult]) -> list[NonCompliance]:
    findings = AuditFinding.objects.filter(
        result__in=results, category__in=NON_COMPLIANT_CATEGORIES
    ).order_by("rule_id", "result__path", "pk")
    by_result = {result.pk: result for result in results}
    found: dict[str, NonCompliance] = {}
    for finding in findings:
        criteria = required_criteria(finding.wcag)
        if not criteria:  # best practice, or a criterion beyond AA: not a legal requirement
            continue
        entry = found.setdefault(
            finding.rule_id,
            NonCompliance(
                rule_id=finding.rule_id,
                problem=(finding.help or finding.description).rstrip("."),
                criteria=[Criterion(*criterion) for criterion in criteria],
                pages=[],
            ),
        )
        page = _affected_page(by_result[finding.result_id])
        if page not in entry.pages:
            entry.pages.append(page)
        # The earliest promised fix of an accepted finding is the date readers are given.
        accepted_until = finding.accepted_until
        if accepted_until and (entry.fix_by is None or accepted_until < entry.fix_by):
            entry.fix_by = accepted_until
            entry.fix_plan = finding.accepted_reason
    return sorted(found.values(), key=lambda entry: (_order(entry.criteria[0]), entry.rule_id))


def _order(criterion: Criterion) -> list[int]:
    return [int(part) for part in criterion.number.split(".")]


def _affected_page(result: PageAuditResult) -> AffectedPage:
    if result.kind in KIND_LABELS:
        return AffectedPage(title=KIND_LABELS[result.kind], path=result.path)
    title = result.page.title if result.page is not None else result.path
    return AffectedPage(title=title, path=result.path)


def _status(non_compliances, documents, results, caveats) -> str:
    """Fully compliant only with nothing failing and nothing left unsure; not compliant when
    at least half the pages tested fail a WCAG 2.2 AA criterion; partially compliant between
    (a failing PDF alone makes the site partially compliant)."""
    if not non_compliances:
        if documents:
            return PARTIALLY
        return NOT_ASSESSED if caveats else FULLY
    tested = {result.path for result in results}
    failing = {page.path for entry in non_compliances for page in entry.pages}
    return NOT_COMPLIANT if 2 * len(failing) >= len(tested) else PARTIALLY


def _non_accessible_documents(today: datetime.date) -> list[NonAccessibleDocument]:
    """Failing PDFs that live, public pages link to. The audit's baseline applies to them as
    to the site audit's PDFs: an accepted check is still listed, with its promised fix date."""
    failing = list(
        ReportDocument.objects.filter(accessibility_status__in=FAILING_DOCUMENT_STATUSES).order_by(
            "title", "pk"
        )
    )
    if not failing:
        return []
    entries = _baseline_entries()
    listed = []
    for document in failing:
        pages = _public_pages_linking(document)
        if not pages:
            continue  # not published anywhere: nothing readers meet
        path = f"/documents/{document.pk}/{document.filename}"
        check = document.accessibility_check
        findings = check.violations if check else []
        criteria = required_criteria(number for finding in findings for number in finding.wcag)
        entry = NonAccessibleDocument(
            title=document.title,
            path=path,
            problems=document.accessibility_problems,
            criteria=[Criterion(*criterion) for criterion in criteria],
            pages=pages,
        )
        as_audited = DocumentResult(url=path, linked_from=[page.path for page in pages])
        accepting = [
            accepted
            for finding in findings
            for accepted in entries
            if accepted.covers_document(finding.check, as_audited)
            and not accepted.is_expired(today)
        ]
        if accepting:  # the earliest promised fix is the date readers are given
            earliest = min(accepting, key=lambda accepted: accepted.expires)
            entry.fix_by, entry.fix_plan = earliest.expires, earliest.reason
        listed.append(entry)
    return listed


def _public_pages_linking(document) -> list[AffectedPage]:
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    pages = Page.objects.live().public().filter(pk__in=[int(pk) for pk in page_ids])
    return [
        AffectedPage(title=page.title, path=path)
        for page in pages.order_by("path")
        if (path := frontend_path(page)) is not None
    ]


def _baseline_entries():
    try:
        return load_baseline(audits_settings.AUDIT_BASELINE)
    except BaselineError:
        return []  # the worker records an unreadable baseline on every audit it runs
