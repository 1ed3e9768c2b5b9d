"""generate_reviews: bulk-built reviews are indistinguishable from edited ones to the API."""

from django.core.management import call_command
from wagtail.models import Page, PageLogEntry

from pages.models import GuidancePage, ReviewIndexPage, ReviewPage


def generate(count):
    call_command("generate_reviews", str(count), "--seed", "7", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_builds_a_consistent_tree_of_published_reviews(demo_site):
    generate(30)
    assert Page.find_problems() == ([], [], [], [], [])
    reviews = ReviewPage.objects.live().public()
    assert reviews.count() == 32
    generated = reviews.exclude(slug__in=["child-b", "family-a"])
    assert not generated.filter(live_revision__isnull=True).exists()
    assert PageLogEntry.objects.filter(page__in=generated, action="wagtail.publish").count() == 30
    sample = generated.first()
    assert sample.get_parent().pk == ReviewIndexPage.objects.get().pk
    assert sample.themes.count() >= 1
    assert sample.live_revision.as_object().title == sample.title
    assert sample.latest_statement_date >= sample.date_published


def test_generated_reviews_through_the_api(client, demo_site, django_assert_max_num_queries):
    generate(40)
    client.get(f"/api/v3/pages/{GuidancePage.objects.get().pk}/")  # warm caches, as a server has
    with django_assert_max_num_queries(10):
        listing = client.get("/api/v3/reviews/", {"limit": 20}).json()
    assert listing["count"] == 42
    dates = [item["date_published"] for item in listing["items"]]
    assert dates == sorted(dates, reverse=True)
    item = listing["items"][0]
    assert item["statements"] and item["reports"] and item["themes"]

    with django_assert_max_num_queries(12):
        detail = client.get(f"/api/v3/pages/{item['id']}/")
    assert detail.status_code == 200
    assert detail.json()["path"] == item["path"]
    found = client.get("/api/v3/pages/find/", {"html_path": item["path"]})
    assert found["Location"].startswith(f"/api/v3/pages/{item['id']}/")

    assert client.get("/api/v3/reviews/", {"search": item["subject"]}).json()["count"] >= 1
    sitemap = client.get("/api/v3/sitemap/", {"limit": 1000}).json()
    assert sitemap["count"] == 46  # 42 reviews, home, index, guidance and the statement


def test_a_second_run_adds_after_the_first(demo_site):
    generate(5)
    generate(5)
    assert Page.find_problems() == ([], [], [], [], [])
    assert ReviewPage.objects.live().count() == 12
