"""Fixtures for the API tests: the demo content, and reviews built to order."""

import datetime
import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from pages.models import GuidancePage, HomePage, ReviewIndexPage, ReviewPage


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The Merton demo site, built once per test module and rolled back after it.

    Each test still runs in its own transaction inside this one, so what a test
    changes is undone before the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_content, db):
    """Fresh instances of the demo pages, as ``load_demo_content`` builds them."""
    cache.clear()
    index = ReviewIndexPage.objects.get()
    return {
        "home": HomePage.objects.get(),
        "index": index,
        "child_b": ReviewPage.objects.get(slug="child-b"),
        "family_a": ReviewPage.objects.get(slug="family-a"),
        "guidance": GuidancePage.objects.get(),
    }


@pytest.fixture
def api():
    """An anonymous client, the way the frontend calls the API."""
    return Client()


def page_link(page, text="related review"):
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def make_review(
    parent, slug, *, statements=1, link_to=None, publish=True, extra_blocks=(), **fields
):
    """A published review under ``parent`` with ``statements`` dated statements.

    Each quote links to ``link_to`` (a page or a list of pages, used in turn)
    when given, the way editors cross-reference earlier reviews. An external
    report link follows, then ``extra_blocks`` (``(type, value)`` pairs).
    """
    targets = link_to if isinstance(link_to, list) else [link_to] if link_to else []
    body = []
    for number in range(statements):
        link = f" See {page_link(targets[number % len(targets)])}." if targets else ""
        body.append(
            {
                "type": "statement",
                "value": {
                    "date": (
                        datetime.date(2020, 1, 1) + datetime.timedelta(days=number)
                    ).isoformat(),
                    "speaker": f"Speaker {number}",
                    "role": "Independent chair",
                    "quote": f"<p>Statement number {number}.{link}</p>",
                },
            }
        )
    body.append(
        {
            "type": "report",
            "value": {
                "document": None,
                "url": f"https://example.org/{slug}",
                "link_text": f"Report for {slug} review",
                "site_name": "Example board website",
            },
        }
    )
    body.extend({"type": kind, "value": value} for kind, value in extra_blocks)
    defaults = {
        "title": f"{slug.replace('-', ' ').title()}: serious case review",
        "subject": slug.replace("-", " ").title(),
        "review_type": "scr",
        "date_published": datetime.date(2020, 1, 1),
        "board": "Example Safeguarding Children Partnership",
    }
    defaults.update(fields)
    review = ReviewPage(slug=slug, body=body, live=publish, **defaults)
    parent.add_child(instance=review)
    revision = review.save_revision()
    if publish:
        revision.publish()
    review.refresh_from_db()
    return review
