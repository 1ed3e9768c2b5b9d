"""Keeps ``ReviewListing`` in step with the pages: one row for each live, public review.

Connected in ``PagesConfig.ready()``; each handler runs inside the change's own
transaction, so the rows change in the same commit as the pages. What can change
a review's row, and what is refreshed:

- a review saved, as a ReviewPage or as a plain Page (publish, unpublish, scheduled
  publishing and expiry, revert, copy, alias updates, edits in code): that review;
  saves that only touch other fields (a draft's revision) are skipped;
- a page moved (a review to another index, any page into or out of a private
  section): every review at or below it;
- a view restriction added, changed or removed: every review at or below its page.

Deleted pages take their rows with them (the foreign keys cascade). Changes made
around the ORM (raw SQL, ``QuerySet.update()``, ``loaddata``) are not seen: run
``manage.py rebuild_review_listing`` after them.
"""

from django.db import connection
from wagtail.models import Page

from .models import ReviewListing, ReviewPage

# The page fields a listing row is made from; saves that change none of them are skipped.
LISTED_FIELDS = frozenset(
    {"live", "path", "depth", "date_published", "latest_statement_date", "review_type", "board"}
)
BATCH_SIZE = 500


def refresh(reviews):
    """List the live, public ones of ``reviews`` (a ReviewPage queryset) as they are now,
    and unlist the rest."""
    ReviewListing.objects.filter(review__in=reviews.values("pk")).delete()
    listed = list(
        reviews.live()
        .public()
        .order_by()
        .values_list(
            "pk", "path", "date_published", "latest_statement_date", "review_type", "board"
        )
    )
    parent_paths = {path[: -ReviewPage.steplen] for _, path, *_ in listed}
    index_ids = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    ReviewListing.objects.bulk_create(
        [
            ReviewListing(
                review_id=pk,
                index_id=index_ids[path[: -ReviewPage.steplen]],
                date_published=date_published,
                latest_statement_date=latest_statement_date,
                year=date_published.year,
                review_type=review_type,
                board_key=board.casefold(),
            )
            for pk, path, date_published, latest_statement_date, review_type, board in listed
        ],
        batch_size=BATCH_SIZE,
    )


# Each step finds the next value down with one seek in an index on (index_id, column), so
# the cost follows the number of values present, not of reviews (a "loose index scan").
DISTINCT_VALUES_SQL = """
WITH RECURSIVE present (value) AS (
    SELECT MAX({column}) FROM {table} WHERE {index} = %s
    UNION ALL
    SELECT (SELECT MAX({column}) FROM {table} WHERE {index} = %s AND {column} < present.value)
    FROM present
    WHERE present.value IS NOT NULL
)
SELECT value FROM present WHERE value IS NOT NULL
"""


def values_present(index_id, field_name):
    """The distinct values of ``field_name`` (``year`` or ``review_type``) among the reviews
    listed under an index, highest first, in one query of index seeks."""
    quote = connection.ops.quote_name
    sql = DISTINCT_VALUES_SQL.format(
        table=quote(ReviewListing._meta.db_table),
        index=quote(ReviewListing._meta.get_field("index").column),
        column=quote(ReviewListing._meta.get_field(field_name).column),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [index_id, index_id])
        return [value for (value,) in cursor.fetchall()]


def rebuild():
    """Every row afresh, from the pages."""
    refresh(ReviewPage.objects.all())


def refresh_on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """A review's row after any save that may change it (connected for Page and ReviewPage)."""
    if raw or (update_fields is not None and LISTED_FIELDS.isdisjoint(update_fields)):
        return
    if instance.specific_class is ReviewPage:
        refresh(ReviewPage.objects.filter(pk=instance.pk))


def refresh_on_move(sender, instance, **kwargs):
    """The moved page may be a review with a new index, or take reviews in or out of a
    private section."""
    refresh(ReviewPage.objects.descendant_of(instance, inclusive=True))


def refresh_on_view_restriction_change(sender, instance, **kwargs):
    """A restriction hides or shows its page and everything below it."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # the page itself is being deleted: its rows go with it
        refresh(ReviewPage.objects.descendant_of(page, inclusive=True))
