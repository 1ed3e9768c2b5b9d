"""Accessibility audits stored in the CMS: runs, each page's result at each viewport, findings.

A run is one ``a11y-audit`` of the site (posted with ``--publish-to`` or imported from its
``results.json``), or the audit of one page queued when an editor published, unpublished or
moved it. A run holds one result per page × viewport; a result holds what axe-core (and the
audit's own rules) found, node by node, and the outlined screenshot when there was one.

The newest result for each page (or, for a listing's filtered view and the 404 page, each
address) at each viewport carries ``is_latest``, so what a page panel, the page explorer, a
report or the accessibility statement shows is one filter:
``PageAuditResult.objects.newest().filter(page=page)``.
"""

import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

TOKEN_PREFIX = "a11y_"


class AuditRunQuerySet(models.QuerySet):
    def complete(self):
        """Finished runs that answered for every live page (audited or carried over)."""
        return self.filter(complete=True, state=AuditRun.State.FINISHED)

    def latest_complete(self):
        """The site audit the accessibility statement is generated from, or None."""
        return self.complete().order_by("-started_at", "-pk").first()

    def pending(self):
        return self.filter(state__in=[AuditRun.State.QUEUED, AuditRun.State.RUNNING])

    def pending_site_audit(self):
        """A whole-site audit waiting for the worker or running, if there is one."""
        return self.pending().filter(source=AuditRun.Source.SITE_TASK).first()


class AuditRun(models.Model):
    """One accessibility audit: of the whole site by ``a11y-audit``, or of one page on publish.

    Counts are kept on the run (worked out from its results when they are stored) so a list of
    runs or a dashboard never has to count rows.
    """

    class Source(models.TextChoices):
        CLI_PUBLISH = "cli-publish", "Posted by a11y-audit --publish-to"
        IMPORT = "import", "Imported with manage.py import_audit"
        ON_PUBLISH = "on-publish", "Queued when the page changed"
        SITE_TASK = "site-task", "Audit of the whole site run by the task worker"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"

    class Trigger(models.TextChoices):
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        MOVED = "moved", "Moved"
        LISTED_PAGE_CHANGED = "listed-page-changed", "A page it lists changed"
        ANCESTOR_MOVED = "ancestor-moved", "A page above it moved"

    source = models.CharField(
        max_length=20, choices=Source.choices, help_text="How the run reached the CMS."
    )
    state = models.CharField(
        max_length=10,
        choices=State.choices,
        default=State.FINISHED,
        help_text="Queued and running apply to audits queued on publish; others arrive finished.",
    )
    page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page an audit queued on publish is for; empty for a site audit.",
    )
    trigger = models.CharField(
        max_length=20,
        choices=Trigger.choices,
        blank=True,
        help_text="What the editor did that queued this audit.",
    )
    complete = models.BooleanField(
        default=False,
        help_text=(
            "A complete site audit: every live page was audited, or carried over unchanged "
            "from an earlier complete run."
        ),
    )
    queued_at = models.DateTimeField(
        default=timezone.now, help_text="When the run was queued or received."
    )
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When the audit began (results.json's started_at)."
    )
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When the audit ended.")
    axe_version = models.CharField(
        max_length=20, blank=True, help_text="The axe-core version that audited the pages."
    )
    frontend_url = models.CharField(
        max_length=2048, blank=True, help_text="The site that was audited."
    )
    cms_url = models.CharField(
        max_length=2048, blank=True, help_text="The CMS whose sitemap listed the pages."
    )
    changed_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A --changed-since run audited only pages published after this.",
    )
    viewports = models.JSONField(
        default=list, blank=True, help_text="Viewports audited: [{name, width, height}]."
    )
    fail_tags = models.JSONField(
        default=list, blank=True, help_text="axe tags whose findings failed the audit."
    )
    best_practice_fails = models.BooleanField(
        default=False, help_text="Best-practice findings failed the audit instead of warning."
    )
    baseline = models.JSONField(
        default=dict,
        blank=True,
        help_text="Expired and stale baseline entries, as results.json reports them.",
    )
    page_count = models.PositiveIntegerField(default=0, help_text="Addresses audited.")
    result_count = models.PositiveIntegerField(default=0, help_text="Page × viewport results.")
    passed_count = models.PositiveIntegerField(default=0, help_text="Results that passed.")
    failed_count = models.PositiveIntegerField(default=0, help_text="Results with violations.")
    error_count = models.PositiveIntegerField(
        default=0, help_text="Results that could not be audited (HTTP error, no browser…)."
    )
    violation_count = models.PositiveIntegerField(
        default=0, help_text="Failing rules, summed over results (as results.json counts)."
    )
    warning_count = models.PositiveIntegerField(default=0, help_text="Best-practice warnings.")
    needs_review_count = models.PositiveIntegerField(
        default=0, help_text="Rules axe-core could not decide, for a person to check."
    )
    accepted_count = models.PositiveIntegerField(
        default=0, help_text="Rules whose findings the baseline accepts."
    )
    carried_over_count = models.PositiveIntegerField(
        default=0, help_text="Results carried over unchanged from an earlier run."
    )
    error = models.TextField(
        blank=True, help_text="Why a whole-site audit run by the worker could not finish."
    )

    objects = AuditRunQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        indexes = [models.Index(fields=["page", "state"])]

    def __str__(self):
        what = f"page {self.page_id}" if self.source == self.Source.ON_PUBLISH else "site"
        return f"Audit of {what} ({self.get_source_display()}, {self.queued_at:%Y-%m-%d %H:%M})"

    def count_results(self):
        """Fill in the counts from the stored results."""
        results = list(self.results.all())
        errors = (PageAuditResult.Status.ERROR, PageAuditResult.Status.NOT_AUDITED)
        self.page_count = len({result.path for result in results})
        self.result_count = len(results)
        self.passed_count = sum(r.status == PageAuditResult.Status.PASSED for r in results)
        self.failed_count = sum(r.status == PageAuditResult.Status.FAILED for r in results)
        self.error_count = sum(r.status in errors for r in results)
        self.violation_count = sum(r.violation_count for r in results)
        self.warning_count = sum(r.warning_count for r in results)
        self.needs_review_count = sum(r.needs_review_count for r in results)
        self.accepted_count = sum(r.accepted_count for r in results)
        self.carried_over_count = sum(r.carried_over for r in results)


class PageAuditResultQuerySet(models.QuerySet):
    def newest(self):
        """The newest result of each page (or address) at each viewport."""
        return self.filter(is_latest=True)

    def of_subject(self, result):
        """Every result about the same thing as ``result`` at its viewport: a page's own results
        follow it when it moves; a listing's views and the 404 page are known by address."""
        if result.kind == PageAuditResult.Kind.PAGE and result.page_id:
            return self.filter(
                page_id=result.page_id, kind=PageAuditResult.Kind.PAGE, viewport=result.viewport
            )
        return self.filter(path=result.path, viewport=result.viewport)


class PageAuditResult(models.Model):
    """One page at one viewport in one run: its status and counts; findings are its children."""

    class Kind(models.TextChoices):
        PAGE = "page", "Page"
        NOT_FOUND = "not-found", "The site's 404 page"
        LISTING_VIEW = "listing-view", "A listing's filtered or paginated view"

    class Status(models.TextChoices):
        PASSED = "passed", "Passed"
        FAILED = "failed", "Problems found"
        ERROR = "error", "Could not be audited"  # the page did not load (HTTP error, timeout…)
        NOT_AUDITED = "not-audited", "Not audited"  # the audit could not run (no browser…)
        NOT_LIVE = "not-live", "Not live"

    run = models.ForeignKey(
        AuditRun,
        on_delete=models.CASCADE,
        related_name="results",
        help_text="The run that stored this result.",
    )
    page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_results",
        help_text="The CMS page at this address when the result was stored, if any.",
    )
    path = models.CharField(
        max_length=2048, help_text="Path (and query, for a listing's view) on the frontend."
    )
    url = models.CharField(max_length=2048, help_text="The address the browser loaded.")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.PAGE,
        help_text="A page, a listing's filtered or paginated view, or the site's 404 page.",
    )
    viewport = models.CharField(max_length=40, help_text="desktop, mobile or WIDTHxHEIGHT.")
    viewport_width = models.PositiveIntegerField(help_text="CSS pixels.")
    viewport_height = models.PositiveIntegerField(help_text="CSS pixels.")
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        help_text="Passed, problems found, or why the page was not audited.",
    )
    error = models.TextField(
        blank=True, help_text="Why the page could not be audited, or is no longer live."
    )
    audited_at = models.DateTimeField(
        help_text="When the page was audited: a carried-over result keeps its original date."
    )
    carried_over = models.BooleanField(
        default=False,
        help_text="Not re-audited in this run: the page was unchanged since an earlier run.",
    )
    duration_s = models.FloatField(default=0, help_text="Seconds the audit of this page took.")
    axe_ms = models.FloatField(default=0, help_text="Milliseconds axe.run took in the browser.")
    violation_count = models.PositiveIntegerField(default=0, help_text="Failing rules.")
    warning_count = models.PositiveIntegerField(default=0, help_text="Best-practice warnings.")
    needs_review_count = models.PositiveIntegerField(
        default=0, help_text="Rules for a person to check."
    )
    accepted_count = models.PositiveIntegerField(
        default=0, help_text="Rules whose findings the baseline accepts."
    )
    is_latest = models.BooleanField(
        default=False,
        help_text="The newest result of this page (or address) at this viewport.",
    )

    objects = PageAuditResultQuerySet.as_manager()

    class Meta:
        ordering = ["path", "viewport"]
        indexes = [
            models.Index(fields=["page", "kind", "viewport"]),
            models.Index(fields=["path", "viewport"]),
        ]
        constraints = [
            # A page's newest results are also its address's, so one flag per address suffices.
            models.UniqueConstraint(
                fields=["path", "viewport"],
                condition=Q(is_latest=True),
                name="audits_one_latest_result_per_address",
            )
        ]

    def __str__(self):
        return f"{self.path} at {self.viewport}: {self.get_status_display()}"

    @property
    def summary(self) -> str:
        """The result in a few words, as a panel shows it: "Passed", "3 problems"…"""
        if self.status == self.Status.FAILED:
            return f"{self.violation_count} problem{'s' if self.violation_count != 1 else ''}"
        if self.status == self.Status.PASSED:
            return "Passed"
        return f"{self.get_status_display()}: {self.error}"


class AuditFinding(models.Model):
    """One element a rule reported on a page at a viewport, with what to do about it."""

    class Category(models.TextChoices):
        VIOLATION = "violation", "Violation"
        WARNING = "warning", "Warning"
        NEEDS_REVIEW = "needs-review", "Needs review"
        ACCEPTED = "accepted", "Accepted by the baseline"

    result = models.ForeignKey(
        PageAuditResult,
        on_delete=models.CASCADE,
        related_name="findings",
        help_text="The page and viewport it was found on.",
    )
    category = models.CharField(
        max_length=20,
        choices=Category.choices,
        help_text="Violations fail the audit; warnings are best practice; accepted ones wait "
        "for the fix the baseline promises.",
    )
    rule_id = models.CharField(
        max_length=100, db_index=True, help_text="axe-core's rule id, or the audit's own."
    )
    impact = models.CharField(
        max_length=20, blank=True, help_text="minor, moderate, serious or critical."
    )
    wcag = models.JSONField(
        default=list, blank=True, help_text='WCAG success criteria, e.g. ["1.4.3"].'
    )
    tags = models.JSONField(default=list, blank=True, help_text="The rule's axe-core tags.")
    description = models.TextField(blank=True, help_text="What the rule checks.")
    help = models.TextField(blank=True, help_text="What to fix, in a sentence.")
    help_url = models.URLField(max_length=2048, blank=True, help_text="Where to learn more.")
    selector = models.TextField(help_text="CSS selector of the element, as reports show it.")
    html = models.TextField(blank=True, help_text="The element's HTML, shortened.")
    failure_summary = models.TextField(
        blank=True, help_text="What exactly is wrong, e.g. the measured contrast."
    )
    accepted_reason = models.TextField(blank=True, help_text="Why the baseline accepts it.")
    accepted_until = models.DateField(
        null=True, blank=True, help_text="When the baseline entry expires: the promised fix."
    )

    class Meta:
        ordering = ["result", "category", "rule_id", "pk"]

    def __str__(self):
        return f"{self.rule_id} at {self.selector}"


class AuditScreenshot(models.Model):
    """The page as audited, the elements with findings outlined. Kept apart from its result so
    listing results never loads an image."""

    result = models.OneToOneField(
        PageAuditResult,
        on_delete=models.CASCADE,
        related_name="screenshot",
        help_text="The page and viewport it shows.",
    )
    image = models.BinaryField(help_text="JPEG or PNG bytes.")
    content_type = models.CharField(max_length=20, help_text="image/jpeg or image/png.")

    def __str__(self):
        return f"Screenshot of {self.result}"


class AuditPublishToken(models.Model):
    """A token that lets ``a11y-audit --publish-to`` post results. Only its hash is kept: the
    token itself is shown once, when it is made."""

    name = models.CharField(
        max_length=100, help_text="Who uses it, e.g. 'GitLab CI accessibility job'."
    )
    token_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 of the token, in hex."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When results were last posted with it."
    )

    panels = [FieldPanel("name")]

    class Meta:
        verbose_name = "audit publishing token"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @staticmethod
    def hash_of(token: str) -> str:
        # Tokens are long and random, so one SHA-256 is enough (no password stretching needed).
        return hashlib.sha256(token.encode()).hexdigest()

    def issue(self) -> str:
        """A new token for this entry; returns it once, keeps its hash."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.token_hash = self.hash_of(token)
        return token
