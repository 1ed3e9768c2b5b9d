"""When a page's content last changed for readers, and the "Last updated" date that follows.

Wagtail's ``last_published_at`` moves on every publish, even one that changes nothing a
reader sees, and demo or imported content would show the day it was loaded. So each page
records ``content_changed_on``: set whenever the live page is saved (as every publish
does) with something readers read changed (its title and its own fields, tags included),
kept when nothing is. It is worked out from the stored row each time, never taken from the
object being saved, so a stale object cannot turn it back; content that brings its own
history sets it with a queryset update afterwards (the demo content carries the dates of
the council page it replaces).

"Last updated" is then the later of that date and the editor's "last reviewed" date; a
page that shows its children's content (``lists_children``: an index) is never older than
the newest of them, and taking one away (unpublish, delete, move) changes it too.
"""

import re
from collections import defaultdict
from copy import deepcopy

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Length, Substr, TruncDate
from django.dispatch import receiver
from django.utils import timezone
from taggit.managers import TaggableManager
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.signals import page_unpublished, post_page_move

LAST_REVIEWED_HELP = (
    "Optional. The date you last checked this page is still correct. Readers see "
    "'Last updated' with this date or the date the content last changed, whichever is later."
)


class ContentDatesMixin(models.Model):
    """A page that knows when its content last changed for readers (see the module)."""

    last_reviewed = models.DateField(
        null=True, blank=True, verbose_name="last reviewed", help_text=LAST_REVIEWED_HELP
    )
    content_changed_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The day a publish last changed what readers read; set automatically.",
    )

    # Dates about the content, not content: changing them alone is not a change for readers.
    dates_not_content = frozenset({"last_reviewed", "content_changed_on"})

    # True for a page that shows its live children's content (an index): it is never older
    # than the newest of them.
    lists_children = False

    # A copy is new to readers wherever it is published.
    exclude_fields_in_copy = ["content_changed_on"]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        # Saving only bookkeeping (Wagtail's save_revision writes draft_title and the like
        # while the row keeps the live content) says nothing about what readers see.
        touches_content = update_fields is None or any(
            field.name in update_fields for field in self.reader_fields()
        )
        if self.live and touches_content:
            self.content_changed_on = self._content_changed_on_after_save()
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "content_changed_on"]
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        # A revision holds the date as it was when the draft was saved; the page's own record
        # (this row) is the true one, as Wagtail does for first_published_at.
        page = super().with_content_json(content)
        page.content_changed_on = self.content_changed_on
        return page

    def reader_content_date(self):
        """The day readers last saw this page's own content change, or None if never shown.

        Rows from before the date was kept (or made in bulk) fall back to their last publish.
        """
        if self.content_changed_on:
            return self.content_changed_on
        return _day_of(self.last_published_at)

    @classmethod
    def reader_fields(cls):
        """The fields readers read: the title and the page type's own fields, tags included."""
        own = [
            field
            for field in cls._meta.get_fields()
            if field.model is cls
            and field.name not in cls.dates_not_content
            and (isinstance(field, TaggableManager) or (field.concrete and not field.is_relation))
        ]
        return [cls._meta.get_field("title"), *own]

    def reader_content(self):
        """What readers read of this page, comparable between two versions of it."""
        content = {}
        for field in self.reader_fields():
            if isinstance(field, TaggableManager):
                value = sorted(tag.name for tag in getattr(self, field.name).all())
            elif isinstance(field, StreamField):
                value = _comparable_stream(field, field.value_from_object(self))
            else:
                value = field.value_from_object(self)
            content[field.name] = _without_editor_keys(value)
        return content

    def _content_changed_on_after_save(self):
        stored = type(self).objects.filter(pk=self.pk).first() if self.pk else None
        if stored is None or stored.reader_content_date() is None:
            return timezone.localdate()  # readers see it for the first time
        if self.reader_content() != stored.reader_content():
            return timezone.localdate()
        return stored.reader_content_date()


def _comparable_stream(field, stream):
    """A StreamField's blocks in one normal form (each block's own prep value, ids left out),
    whether the stream came from the database, a revision or code.

    A copy is converted: converting the stream itself would change the form it is stored in.
    """
    copy = field.stream_block.to_python(deepcopy(stream.get_prep_value()))
    return _without_block_ids(
        [
            {"type": child.block_type, "value": child.block.get_prep_value(child.value)}
            for child in copy
        ]
    )


# The rich text editor keys each paragraph it saves; a key is not something readers read, and
# content loaded by code has none until an editor first saves it.
EDITOR_BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


def _without_editor_keys(value):
    """``value`` with the rich text editor's paragraph keys taken out of every string in it."""
    if isinstance(value, str):
        return EDITOR_BLOCK_KEY.sub("", value)
    if isinstance(value, list):
        return [_without_editor_keys(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_editor_keys(item) for key, item in value.items()}
    return value


def _without_block_ids(value):
    """Block data without the ids StreamField and ListBlock give each item: an item deleted
    and added again with the same words is no change for readers."""
    if isinstance(value, list):
        return [_without_block_ids(item) for item in value]
    if isinstance(value, dict):
        is_block_item = {"type", "value"} <= value.keys()
        return {
            key: _without_block_ids(item)
            for key, item in value.items()
            if not (is_block_item and key == "id")
        }
    return value


def last_updated_on(page):
    """The date a page shows as "Last updated", from the page object itself (a preview's
    draft included): the later of its content date and its "last reviewed" date, and for a
    page listing others, never older than the newest of them. Page types without content
    dates go by their last publish."""
    if not isinstance(page, ContentDatesMixin):
        return _latest([_day_of(page.last_published_at), getattr(page, "last_reviewed", None)])
    dates = [page.reader_content_date(), page.last_reviewed]
    if page.lists_children and page.path:
        dates.append(newest_reader_date(Page.objects.child_of(page).live().public()))
    return _latest(dates)


def newest_reader_date(pages):
    """The newest content date among ``pages`` (a Page queryset), in one query."""
    return pages.aggregate(newest=Max(_reader_date_expression(_dated_page_models())))["newest"]


def last_updated_by_pk(rows):
    """``{pk: "Last updated" date}`` for stored pages given as rows with ``pk`` and
    ``content_type_id`` (``Page.objects.values(...)``), in a few queries for any number."""
    pks_by_model = defaultdict(list)
    for row in rows:
        model = ContentType.objects.get_for_id(row["content_type_id"]).model_class()
        pks_by_model[model].append(row["pk"])
    dates = {row["pk"]: [] for row in rows}
    listing_paths = {}
    for model, pks in pks_by_model.items():
        if not issubclass(model, ContentDatesMixin):
            _add_plain_page_dates(model, pks, dates)
            continue
        for page in model.objects.filter(pk__in=pks).only(
            "last_published_at", "content_changed_on", "last_reviewed", "path", "depth"
        ):
            dates[page.pk] += [page.reader_content_date(), page.last_reviewed]
            if model.lists_children:
                listing_paths[page.path] = page
    for parent_path, newest in _newest_listed_by_parent_path(listing_paths).items():
        dates[listing_paths[parent_path].pk].append(newest)
    return {pk: _latest(candidates) for pk, candidates in dates.items()}


def _add_plain_page_dates(model, pks, dates):
    """Page types without content dates: the last publish, or a "last reviewed" if later."""
    fields = ["pk", "last_published_at"]
    has_last_reviewed = any(field.name == "last_reviewed" for field in model._meta.fields)
    if has_last_reviewed:
        fields.append("last_reviewed")
    for row in model.objects.filter(pk__in=pks).values(*fields):
        dates[row["pk"]] += [_day_of(row["last_published_at"]), row.get("last_reviewed")]


def _newest_listed_by_parent_path(listing_pages):
    """``{path of a listing page: newest content date of what it lists}``, in one query."""
    if not listing_pages:
        return {}
    children = Q()
    for path, page in listing_pages.items():
        children |= Q(path__startswith=path, depth=page.depth + 1)
    rows = (
        Page.objects.live()
        .public()
        .filter(children)
        .order_by()  # Page's default ordering by path would split each group into its rows
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .values("parent_path")
        .annotate(newest=Max(_reader_date_expression(_dated_page_models())))
    )
    return {row["parent_path"]: row["newest"] for row in rows}


def _dated_page_models():
    return [model for model in get_page_models() if issubclass(model, ContentDatesMixin)]


def _reader_date_expression(models_with_dates):
    """A Page queryset expression: the page's content date, from whichever page type's
    table holds it, else the day it was last published (as ``reader_content_date``)."""
    dated = [f"{model._meta.model_name}__content_changed_on" for model in models_with_dates]
    return Coalesce(*dated, TruncDate("last_published_at"), output_field=models.DateField())


def _day_of(moment):
    return timezone.localdate(moment) if moment else None


def _latest(dates):
    return max((date for date in dates if date is not None), default=None)


def _listing_parents(*pages):
    """Those of ``pages`` that list their children's content, as their specific objects."""
    pks = {page.pk for page in pages if page is not None}
    return [
        page
        for page in Page.objects.filter(pk__in=pks).specific()
        if isinstance(page, ContentDatesMixin) and page.lists_children
    ]


def _mark_changed_today(pages):
    today = timezone.localdate()
    for page in pages:
        type(page).objects.filter(pk=page.pk).update(content_changed_on=today)


@receiver(page_unpublished, dispatch_uid="pages.content_dates.listing_loses_a_page")
def listing_loses_an_unpublished_page(sender, instance, **kwargs):
    """An unpublished (or deleted) review is gone from its index: the index changed today."""
    _mark_changed_today(_listing_parents(instance.get_parent()))


@receiver(post_page_move, dispatch_uid="pages.content_dates.listing_gains_or_loses_a_page")
def listings_change_when_a_page_moves(
    sender, instance, parent_page_before, parent_page_after, **kwargs
):
    """A live page moved out of one index, into another or within one changes them."""
    if instance.live:
        _mark_changed_today(_listing_parents(parent_page_before, parent_page_after))
