"""Create N realistic, published reviews under the review index, for load and benchmark work.

Adding pages one by one (treebeard's ``add_child`` plus a revision and a
publish) costs tens of milliseconds each, far too slow for 10,000. This builds
the same rows in bulk instead: tree paths are numbered directly after the
index's last child, then pages, their revisions, tags, audit log entries and
search index entries are inserted in batches, and the listing rows refreshed in one pass.
"""

import datetime
import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, PageLogEntry, Revision
from wagtail.search.backends import get_search_backend

from pages import review_listing
from pages.models import ReviewIndexPage, ReviewPage, ReviewPageTag, ReviewType

BATCH_SIZE = 500

FIRST_NAMES = "ABCDEFGHJKLMNPRSTVWXYZ"
BOARDS = [
    "Merton Safeguarding Children Board",
    "Merton Safeguarding Children Partnership",
    "Kingston LSCB",
    "Richmond Safeguarding Children Partnership",
    "Sutton Local Safeguarding Children Board",
    "Wandsworth Safeguarding Children Partnership",
]
THEMES = [
    "neglect",
    "information sharing",
    "domestic abuse",
    "mental health",
    "substance misuse",
    "child sexual exploitation",
    "professional curiosity",
    "multi-agency working",
    "adolescents",
    "safe sleeping",
]
SPEAKERS = [
    ("Keith Makin", "Chair of the Merton Safeguarding Children Board"),
    ("Jane Doe", "Independent Chair of the Safeguarding Children Partnership"),
    ("Sam Patel", "Director of Children's Services"),
    ("Alex Morgan", "Lead Reviewer"),
]
QUOTE_OPENINGS = [
    "This is a very sad case and our thoughts remain with the family.",
    "We accept the findings of the review in full.",
    "The review shows where agencies could have worked together better.",
    "Lessons from this review have already changed how we work.",
]
QUOTE_CLOSINGS = [
    "All partner agencies have agreed an action plan and progress is monitored by the board.",
    "Information sharing protocols have been strengthened across the partnership.",
    "Training for frontline staff now covers the issues this review raised.",
    "We will publish an update on the recommendations within twelve months.",
]
EARLIEST = datetime.date(2010, 1, 1)


class Command(BaseCommand):
    help = "Create N published, realistic reviews under the review index page (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many reviews to create.")
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Random seed for the generated content (ids are always new).",
        )
        parser.add_argument(
            "--index", type=int, help="Id of the review index page (default: the first one)."
        )

    def handle(self, *args, count, seed, index=None, **options):
        if count < 1:
            raise CommandError("count must be at least 1.")
        indexes = ReviewIndexPage.objects.order_by("path")
        parent = indexes.filter(pk=index).first() if index else indexes.first()
        if parent is None:
            raise CommandError("No review index page: run load_demo_content first.")
        started = timezone.now()
        with transaction.atomic():
            reviews = ReviewBuilder(parent, random.Random(seed)).create(count)
            get_search_backend().add_bulk(ReviewPage, reviews)
            # Bulk inserts send no signals, so the listing is refreshed here, in one pass.
            review_listing.refresh(ReviewPage.objects.child_of(parent))
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(f"Created {count} reviews under {parent.url} in {seconds:.1f} s.")
        )


class ReviewBuilder:
    def __init__(self, parent, rng):
        self.parent = parent
        self.rng = rng
        self.now = timezone.now()
        self.content_type = ContentType.objects.get_for_model(ReviewPage)
        self.page_content_type = ContentType.objects.get_for_model(Page)
        self.locale = Locale.get_default()
        self.documents = list(get_document_model().objects.values_list("pk", flat=True)[:20])
        self.link_targets = list(
            Page.objects.child_of(parent).live().values_list("pk", flat=True)[:50]
        )

    def create(self, count):
        pages = self._base_pages(count)
        Page.objects.bulk_create(pages, batch_size=BATCH_SIZE)
        # bulk_create only returns primary keys on some databases, so read them back by path.
        new_pages = Page.objects.filter(
            depth=pages[0].depth, path__gte=pages[0].path, path__lte=pages[-1].path
        )
        ids_by_path = dict(new_pages.values_list("path", "pk"))
        reviews = [self._review(page, ids_by_path[page.path]) for page in pages]
        _insert_child_rows(reviews)
        Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + count)

        self._tag(reviews)
        Revision.objects.bulk_create(
            [self._revision(review) for review in reviews], batch_size=BATCH_SIZE
        )
        # One UPDATE points every new page at its revision.
        revision_of_page = Revision.objects.filter(
            content_type=self.content_type, object_id=Cast(OuterRef("pk"), CharField())
        ).values("pk")[:1]
        new_pages.update(
            live_revision_id=Subquery(revision_of_page),
            latest_revision_id=Subquery(revision_of_page),
        )
        # Logged like an editor's publish, so caches keyed on the audit log see the change.
        PageLogEntry.objects.bulk_create(
            [
                PageLogEntry(
                    content_type=self.content_type,
                    page_id=review.pk,
                    label=review.title,
                    action="wagtail.publish",
                    timestamp=self.now,
                    content_changed=True,
                )
                for review in reviews
            ],
            batch_size=BATCH_SIZE,
        )
        return reviews

    def _base_pages(self, count):
        last_child = self.parent.get_last_child()
        first_step = (last_child._get_lastpos_in_path() + 1) if last_child else 1
        depth = self.parent.depth + 1
        taken = set(Page.objects.child_of(self.parent).values_list("slug", flat=True))
        pages = []
        for offset in range(count):
            subject = self._subject()
            review_type = self.rng.choice(ReviewType.values)
            slug = f"{subject.lower().replace(' ', '-')}-{self.rng.getrandbits(24):06x}"
            while slug in taken:
                slug = f"{slug}-{offset}"
            taken.add(slug)
            published_on = EARLIEST + datetime.timedelta(
                days=self.rng.randrange((timezone.localdate() - EARLIEST).days)
            )
            published_at = timezone.make_aware(
                datetime.datetime.combine(published_on, datetime.time(10, 0))
            )
            page = Page(
                title=f"{subject}: {ReviewType(review_type).label.lower()}",
                draft_title="",
                slug=slug,
                content_type=self.content_type,
                path=Page._get_path(self.parent.path, depth, first_step + offset),
                depth=depth,
                numchild=0,
                url_path=f"{self.parent.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=published_at,
                last_published_at=published_at,
                latest_revision_created_at=published_at,
                locale=self.locale,
                translation_key=uuid.uuid4(),
            )
            page.draft_title = page.title
            page._published_on = published_on
            page._subject = subject
            page._review_type = review_type
            pages.append(page)
        return pages

    def _subject(self):
        kind = self.rng.choice(["Child", "Child", "Family", "Young person"])
        return f"{kind} {self.rng.choice(FIRST_NAMES)}{self.rng.randrange(1, 100)}"

    def _review(self, page, pk):
        statements = [self._statement(page._published_on) for _ in range(self.rng.randint(1, 3))]
        body = [
            {"type": "statement", "value": value, "id": str(uuid.uuid4())} for value in statements
        ]
        body.append(
            {"type": "report", "value": self._report(page._subject), "id": str(uuid.uuid4())}
        )
        review = ReviewPage(
            page_ptr_id=pk,
            subject=page._subject,
            review_type=page._review_type,
            date_published=page._published_on,
            board=self.rng.choice(BOARDS),
            summary=f"What agencies learnt from the review about {page._subject}.",
            body=body,
            latest_statement_date=max(datetime.date.fromisoformat(s["date"]) for s in statements),
        )
        for field in Page._meta.concrete_fields:
            setattr(review, field.attname, getattr(page, field.attname))
        review.pk = review.page_ptr_id = pk
        return review

    def _statement(self, published_on):
        speaker, role = self.rng.choice(SPEAKERS)
        said_on = min(
            published_on + datetime.timedelta(days=self.rng.randrange(0, 60)), timezone.localdate()
        )
        quote = f"{self.rng.choice(QUOTE_OPENINGS)} {self.rng.choice(QUOTE_CLOSINGS)}"
        if self.link_targets and self.rng.random() < 0.5:
            target = self.rng.choice(self.link_targets)
            quote += f' See also <a linktype="page" id="{target}">an earlier review</a>.'
        return {
            "date": said_on.isoformat(),
            "speaker": speaker,
            "role": role,
            "quote": f"<p>{quote}</p>",
        }

    def _report(self, subject):
        if self.documents and self.rng.random() < 0.5:
            return {
                "document": self.rng.choice(self.documents),
                "url": "",
                "link_text": f"Report for {subject} review",
                "site_name": "",
            }
        board_site = self.rng.choice(BOARDS)
        return {
            "document": None,
            "url": f"https://www.example.org/reviews/{self.rng.getrandbits(32):08x}",
            "link_text": f"More information about the {subject} review",
            "site_name": f"{board_site} website",
        }

    def _revision(self, review):
        return Revision(
            content_type=self.content_type,
            base_content_type=self.page_content_type,
            object_id=str(review.pk),
            created_at=review.last_published_at,
            object_str=review.title,
            content=review.serializable_data(),
        )

    def _tag(self, reviews):
        """Give each review one to three themes, kept on the object too for its revision."""
        tags = {}
        for name in THEMES:
            tags[name], _ = Tag.objects.get_or_create(
                name=name, defaults={"slug": name.replace(" ", "-")}
            )
        tagged_items = []
        for review in reviews:
            items = [
                ReviewPageTag(content_object_id=review.pk, tag=tags[name])
                for name in self.rng.sample(THEMES, self.rng.randint(1, 3))
            ]
            # Held in memory by modelcluster, so serializing the revision needs no query.
            review.tagged_items = items
            tagged_items.extend(items)
        ReviewPageTag.objects.bulk_create(tagged_items, batch_size=BATCH_SIZE)


def _insert_child_rows(reviews):
    """Insert the ReviewPage table rows for pages whose base rows already exist.

    Django's bulk_create refuses multi-table inherited models, so the child
    table's own columns are written with executemany, values prepared by each
    field exactly as ``save()`` would.
    """
    fields = ReviewPage._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(ReviewPage._meta.db_table)
    rows = [
        [field.get_db_prep_save(getattr(review, field.attname), connection) for field in fields]
        for review in reviews
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                rows[start : start + BATCH_SIZE],
            )
