import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def list_live_public_reviews(apps, schema_editor):
    """The rows ``pages.review_listing`` keeps from now on, for the reviews already there
    (with the models as they are at this migration, hence no PageQuerySet helpers)."""
    from wagtail.models import Page as CurrentPage

    Page = apps.get_model("wagtailcore", "Page")
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")
    ReviewPage = apps.get_model("pages", "ReviewPage")
    ReviewListing = apps.get_model("pages", "ReviewListing")

    private_paths = tuple(
        PageViewRestriction.objects.values_list("page__path", flat=True).distinct()
    )
    reviews = [
        review
        for review in ReviewPage.objects.filter(live=True).values_list(
            "pk", "path", "date_published", "latest_statement_date", "review_type", "board"
        )
        if not (private_paths and review[1].startswith(private_paths))
    ]
    parent_paths = {path[: -CurrentPage.steplen] for _, path, *_ in reviews}
    index_ids = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    ReviewListing.objects.bulk_create(
        [
            ReviewListing(
                review_id=pk,
                index_id=index_ids[path[: -CurrentPage.steplen]],
                date_published=date_published,
                latest_statement_date=latest_statement_date,
                year=date_published.year,
                review_type=review_type,
                board_key=board.casefold(),
            )
            for pk, path, date_published, latest_statement_date, review_type, board in reviews
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_content_dates_review_type_report_labels"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewListing",
            fields=[
                (
                    "review",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="listing",
                        serialize=False,
                        to="pages.reviewpage",
                    ),
                ),
                ("date_published", models.DateField()),
                ("latest_statement_date", models.DateField(null=True)),
                (
                    "year",
                    models.PositiveSmallIntegerField(help_text="The year of date_published."),
                ),
                ("review_type", models.CharField(max_length=20)),
                (
                    "board_key",
                    models.CharField(
                        help_text="The lead board, casefolded: the board filter ignores case.",
                        max_length=255,
                    ),
                ),
                (
                    "index",
                    models.ForeignKey(
                        db_index=False,
                        help_text="The page the review sits under (its review index).",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=[
                            "index",
                            "-date_published",
                            "-latest_statement_date",
                            "-review",
                            "review_type",
                            "board_key",
                        ],
                        name="listing_by_index",
                    ),
                    models.Index(
                        fields=[
                            "-date_published",
                            "-latest_statement_date",
                            "-review",
                            "review_type",
                            "board_key",
                        ],
                        name="listing_newest_first",
                    ),
                    models.Index(fields=["index", "year"], name="listing_years_by_index"),
                    models.Index(fields=["index", "review_type"], name="listing_types_by_index"),
                ],
            },
        ),
        migrations.RunPython(list_live_public_reviews, migrations.RunPython.noop),
    ]
