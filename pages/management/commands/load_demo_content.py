"""Builds the demo site from Merton Council's "Serious case reviews" page, word for word.

Idempotent: each page is looked up by its place in the tree, and a new
revision is published only when its content differs from what is wanted, so a
second run changes nothing.

Each page carries the date its content last changed on the council's site, not the day it
was loaded: the page says "This page was last updated on Tuesday 21 February 2017", and each
review's statement is dated. (``content_changed_on``: see ``pages.content_dates``.)
"""

import datetime

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, Site

from pages.demo_pdf import build_pdf
from pages.models import (
    AccessibilityStatementPage,
    GuidancePage,
    HomePage,
    ReviewIndexPage,
    ReviewPage,
    ReviewType,
)
from pages.site_settings import AccessibleFormatSettings

INDEX_INTRO = (
    "<p>In some instances where a child has suffered harm a serious case review (SCR) is carried "
    "out to see what lessons can be learnt about how local professionals and organisations worked "
    "together and to make recommendations so that the welfare of children is better protected in "
    "future.</p>"
)

# The demo's address for readers' requests and problem reports (a reserved example domain).
DEMO_CONTACT_EMAIL = "accessibility@example.com"

MERTON_CHAIR = {"speaker": "Keith Makin", "role": "Chair of the Merton Safeguarding Children Board"}

CHILD_B_QUOTE = (
    "<p>This is a very sad case where, despite a lot of support from many agencies, a young person "
    "was regrettably harmed and, whilst such events are rare, all the participating agencies are "
    "committed to working together to learn lessons that have come out of this review to benefit "
    "their future work with complex families. More rigorous monitoring, assessment and "
    "information sharing protocols taking into consideration the complex range of needs of the "
    "family as a whole are now in place and agencies continue to work hard together to minimize "
    "the possibility of this type of event happening again.</p>"
)

FAMILY_A_QUOTE = (
    "<p>Although Merton’s involvement in the care of the family was several years ago, we continue "
    "to be shocked and saddened by the events that happened last year. We welcome the "
    "recommendations in the report, which will help us in working collaboratively with a range of "
    "families with complex needs to ensure they maintain the best quality of life.</p>"
)

GUIDANCE_PARAGRAPHS = [
    "<p>In addition, an SCR should always be carried out when a child dies in custody, in police "
    "custody, on remand or following sentencing, in a young offender institution, in a secure "
    "training centre or a secure children’s home, or where the child was detained under the Mental "
    "Health Act 2005. SCRs should also be carried out in cases where a child died by suspected "
    "suicide.</p>",
    "<p>LSCBs should also conduct reviews of cases which do not meet the criteria for an SCR, but "
    "which can provide valuable lessons about how organisations are working together to safeguard "
    "and promote the welfare of children.</p>",
    "<p>The final decision on whether to conduct the SCR rests with the LSCB Chair.</p>",
]

# From the seed page: its "last updated" line, and each review's statement date.
PAGE_LAST_UPDATED = datetime.date(2017, 2, 21)
CHILD_B_STATEMENT = datetime.date(2017, 2, 20)
FAMILY_A_STATEMENT = datetime.date(2015, 11, 23)

CHILD_B_REPORT_TITLE = "Child B serious case review report"
CHILD_B_REPORT_PAGES = [
    [
        "Merton Safeguarding Children Board",
        "Serious case review: Child B",
        "Published 20 February 2017",
        "",
        "Demonstration copy used by the case reviews site's demo content.",
    ],
    ["1. Introduction", "", "Why this review was carried out and how agencies took part."],
    ["2. Findings and recommendations", "", "What was learnt and what has changed since."],
]


class Command(BaseCommand):
    help = (
        "Create or update the demo content (Merton's serious case reviews page). Safe to run twice."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        self.changes = 0
        home = self.home_page()
        self.accessible_formats_email(home)
        index = self.save_page(
            home,
            ReviewIndexPage,
            "serious-case-reviews",
            changed_on=PAGE_LAST_UPDATED,
            title="Serious case reviews",
            intro=INDEX_INTRO,
            last_reviewed=None,
        )
        report = self.report_document()
        self.save_page(
            index,
            ReviewPage,
            "child-b",
            changed_on=CHILD_B_STATEMENT,
            title="Child B: serious case review",
            subject="Child B",
            review_type=ReviewType.SERIOUS_CASE_REVIEW,
            date_published=CHILD_B_STATEMENT,
            board="Merton Safeguarding Children Board",
            body=[
                (
                    "statement",
                    {"date": CHILD_B_STATEMENT.isoformat(), **MERTON_CHAIR, "quote": CHILD_B_QUOTE},
                ),
                (
                    "report",
                    {
                        "document": report.pk,
                        "url": "",
                        "link_text": "View Report for Child B serious case review",
                        "site_name": "",
                    },
                ),
            ],
        )
        self.save_page(
            index,
            ReviewPage,
            "family-a",
            changed_on=FAMILY_A_STATEMENT,
            title="Family A: serious case review",
            subject="Family A",
            review_type=ReviewType.SERIOUS_CASE_REVIEW,
            date_published=FAMILY_A_STATEMENT,
            board="Kingston LSCB",
            body=[
                (
                    "statement",
                    {
                        "date": FAMILY_A_STATEMENT.isoformat(),
                        **MERTON_CHAIR,
                        "quote": FAMILY_A_QUOTE,
                    },
                ),
                (
                    "report",
                    {
                        "document": None,
                        "url": "https://www.kingstonandrichmondlscb.org.uk/family-a-serious-case-review",
                        "link_text": "More information about Family A serious case review",
                        "site_name": "Kingston LSCB website",
                    },
                ),
            ],
        )
        self.save_page(
            index,
            GuidancePage,
            "about-serious-case-reviews",
            changed_on=PAGE_LAST_UPDATED,
            title="About serious case reviews",
            body=[
                (
                    "criteria_list",
                    {
                        "intro": "Serious case reviews (SCRs) must be undertaken by local "
                        "safeguarding children boards (LCSBs) where —",
                        "items": [
                            {
                                "text": "abuse or neglect of a child is known or suspected; and",
                                "sub_items": [],
                            },
                            {
                                "text": "either —",
                                "sub_items": [
                                    "the child has died; or",
                                    "the child has been seriously harmed and there is cause for "
                                    "concern as to the way in which the authority, the LSCB "
                                    "partners or other relevant persons have worked together to "
                                    "safeguard the child.",
                                ],
                            },
                        ],
                    },
                ),
                *[("paragraph", text) for text in GUIDANCE_PARAGRAPHS],
                (
                    "citation",
                    {
                        "organisation": "Department for Education",
                        "title": "Serious Case Reviews",
                        "url": "https://www.gov.uk/government/collections/serious-case-reviews",
                    },
                ),
            ],
        )
        # The prose starts as the model wording; the audit of the demo site fills in the rest.
        self.save_page(
            home,
            AccessibilityStatementPage,
            "accessibility-statement",
            title="Accessibility statement",
            website_name="Merton safeguarding case reviews",
            scope="the Merton Safeguarding Children Board's case reviews website",
            organisation="Merton Safeguarding Children Board",
            contact_email=DEMO_CONTACT_EMAIL,
            prepared_on=datetime.date(2026, 12, 1),
        )
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready ({self.changes} change(s)) at {index.url}")
        )

    def home_page(self):
        """The site root: a HomePage in place of Wagtail's placeholder welcome page."""
        root = Page.get_first_root_node()
        # The placeholder is a plain Page with no content; deleting it also deletes the
        # default Site that points at it, which is rebuilt below.
        for placeholder in Page.objects.child_of(root).exact_type(Page):
            if not placeholder.get_children().exists():
                placeholder.delete()
                self.changes += 1
        home = HomePage.objects.child_of(root).first()
        created = home is None
        if created:
            home = root.add_child(
                instance=HomePage(
                    title="Merton Safeguarding Children Board",
                    slug="home",
                    intro="<p>Reviews of cases where a child has suffered harm, and what has been "
                    "learnt from them.</p>",
                )
            )
            home.save_revision().publish()
        if self.date_content(home, PAGE_LAST_UPDATED) or created:
            self.changes += 1
        site = Site.objects.filter(is_default_site=True).first()
        if site is None or site.root_page_id != home.pk:
            site = site or Site(hostname="localhost", port=80, is_default_site=True)
            site.root_page = home
            site.site_name = "Merton Safeguarding Children Board"
            site.save()
            self.changes += 1
        return home

    def accessible_formats_email(self, home):
        """Where the demo's readers ask for an accessible format of a report."""
        site = Site.objects.get(root_page=home)
        settings, created = AccessibleFormatSettings.objects.get_or_create(
            site=site, defaults={"request_email": DEMO_CONTACT_EMAIL}
        )
        self.changes += created

    def report_document(self):
        Document = get_document_model()
        document = Document.objects.filter(title=CHILD_B_REPORT_TITLE).first()
        if document is None:
            document = Document(
                title=CHILD_B_REPORT_TITLE, collection=Collection.get_first_root_node()
            )
            pdf = build_pdf(CHILD_B_REPORT_TITLE, CHILD_B_REPORT_PAGES)
            document.file.save("child-b-serious-case-review.pdf", ContentFile(pdf), save=False)
            document.save()
            document.get_file_hash()  # as an upload through the admin has: Wagtail's ETag
            self.changes += 1
        return document

    def save_page(self, parent, model, slug, *, changed_on=None, **fields):
        """Create the page under ``parent``, or publish a new revision if its content differs;
        either way its content is dated ``changed_on`` when given."""
        page = model.objects.child_of(parent).filter(slug=slug).first()
        created = page is None
        if created:
            page = model(slug=slug)
        if "body" in fields:
            # The raw JSON form, so block values go through each block's to_python.
            fields["body"] = [{"type": kind, "value": value} for kind, value in fields["body"]]
        for name, value in fields.items():
            setattr(page, name, value)
        if created:
            parent.add_child(instance=page)
        published = created or page.has_unpublished_changes or not self._same_content(page, fields)
        if published:
            page.save_revision().publish()
        dated = changed_on is not None and self.date_content(page, changed_on)
        if published or dated:
            self.changes += 1
        return page

    def date_content(self, page, changed_on):
        """Date the page's content as on the council's site, not as the day it was loaded;
        True if that changed anything.

        An update, not a save: publishing dates a change today, and that is what this corrects.
        """
        page.content_changed_on = changed_on
        stored = type(page).objects.filter(pk=page.pk).exclude(content_changed_on=changed_on)
        return stored.update(content_changed_on=changed_on) > 0

    def _same_content(self, page, fields):
        live = type(page).objects.get(pk=page.pk)
        return all(_comparable(live, name) == _comparable(page, name) for name in fields)


def _comparable(page, name):
    """A field's value with StreamField block ids dropped, which differ on every build."""
    value = getattr(page, name)
    if hasattr(value, "stream_block"):
        return [(item["type"], item["value"]) for item in value.get_prep_value()]
    return value
