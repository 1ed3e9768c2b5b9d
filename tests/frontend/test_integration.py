"""The real CMS (demo content) and the real frontend, over HTTP, as readers and editors use them."""

import json
import re
import socket
import time

import httpx
import pytest

from frontend.revalidation import sign_revalidation
from tests.frontend.conftest import BREAKER_RESET_SECONDS
from tests.frontend.html_checks import assert_accessible_structure
from tests.stack import DEFAULT_REVALIDATE_SECRET

pytestmark = pytest.mark.integration

INDEX = "/serious-case-reviews/"
CHILD_B = "/serious-case-reviews/child-b/"
FAMILY_A = "/serious-case-reviews/family-a/"
GUIDANCE = "/serious-case-reviews/about-serious-case-reviews/"


def text_of(html: str) -> str:
    html = re.sub(r"<(script|svg|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def get(stack, path, **kwargs):
    return httpx.get(stack.frontend.url + path, timeout=10, **kwargs)


def publish_title(stack, slug, title):
    stack.cms_shell(
        "from pages.models import ReviewPage\n"
        f"page = ReviewPage.objects.get(slug={slug!r})\n"
        f"page.title = {title!r}\n"
        "page.save_revision().publish()\n",
    )


def test_index_reproduces_the_seed_page(stack):
    response = get(stack, INDEX)
    assert response.status_code == 200
    outline = assert_accessible_structure(response.text)
    text = text_of(response.text)
    for wording in (
        "Serious case reviews",
        "In some instances where a child has suffered harm a serious case review (SCR) is "
        "carried out to see what lessons can be learnt about how local professionals and "
        "organisations worked together",
        "On this page",
        "Statement 20 February 2017",
        "Statement 23 November 2015",
        "Chair of the Merton Safeguarding Children Board, Keith Makin said:",
        "“This is a very sad case where, despite a lot of support from many agencies",
        "to minimize the possibility of this type of event happening again.”",
        "“Although Merton’s involvement in the care of the family was several years ago",
        "Last updated 21 February 2017",
    ):
        assert wording in text, wording
    # The contents list, in the seed's order, pointing at each section (after the skip link;
    # each section ends with a "Back to top" link).
    in_page = [link for link in outline.links if link[1].startswith("#") and link[1] != "#top"]
    assert outline.links.count(("Back to top", "#top")) == 3  # the seed's "Top of page"
    assert in_page[1:] == [
        ("Child B: serious case review", "#review-child-b"),
        ("Family A: serious case review", "#review-family-a"),
        ("About serious case reviews", "#guidance-about-serious-case-reviews"),
    ]
    # Each section heading links to the page of its own, and says so (in hidden words).
    for title, path in (
        ("Child B: serious case review (read the full review)", CHILD_B),
        ("Family A: serious case review (read the full review)", FAMILY_A),
        ("About serious case reviews (open its own page)", GUIDANCE),
    ):
        assert (title, path) in outline.links
    link_texts = [text for text, _ in outline.links]
    assert "View Report for Child B serious case review" in link_texts
    assert re.search(r"\(PDF, [\d.]+ KB, 3 pages\)", text)
    assert (
        "More information about Family A serious case review (Kingston LSCB website)",
        "https://www.kingstonandrichmondlscb.org.uk/family-a-serious-case-review",
    ) in outline.links
    # The guidance section is shown in full, as on the seed page.
    assert "either — (i) the child has died; or (ii) the child has been seriously harmed" in text
    assert "The final decision on whether to conduct the SCR rests with the LSCB Chair." in text
    assert "Source: Department for Education website: Serious Case Reviews" in text


def test_review_page(stack):
    response = get(stack, CHILD_B)
    assert response.status_code == 200
    outline = assert_accessible_structure(response.text)
    text = text_of(response.text)
    assert "Child B: serious case review" in outline.title
    assert "Published 20 February 2017" in text
    assert "Led by Merton Safeguarding Children Board" in text
    assert "Statement 20 February 2017" in text
    assert "Request an accessible format of Child B serious case review report" in text
    assert ("Merton Safeguarding Children Board", "/") in outline.links
    assert ("Serious case reviews", INDEX) in outline.links
    assert "Last updated" in text
    # The report link is the CMS's document, at this site's address, and it downloads.
    report_path = next(href for label, href in outline.links if label.startswith("View Report"))
    assert report_path.startswith("/documents/")
    report = get(stack, report_path)
    assert report.status_code == 200
    assert report.content.startswith(b"%PDF")


def test_review_with_an_external_report(stack):
    response = get(stack, FAMILY_A)
    assert response.status_code == 200
    assert "Led by Kingston LSCB" in text_of(response.text)
    assert "(Kingston LSCB website)</a>" in response.text


def test_guidance_page(stack):
    response = get(stack, GUIDANCE)
    assert response.status_code == 200
    assert_accessible_structure(response.text)
    text = text_of(response.text)
    assert "abuse or neglect of a child is known or suspected; and" in text
    assert "either — (i) the child has died; or (ii) the child has been seriously harmed" in text
    assert "The final decision on whether to conduct the SCR rests with the LSCB Chair." in text
    assert "Source: Department for Education website: Serious Case Reviews" in text


def test_home_page(stack):
    response = get(stack, "/")
    assert response.status_code == 200
    outline = assert_accessible_structure(response.text)
    assert ("Serious case reviews", INDEX) in outline.links


def test_unknown_path_is_an_accessible_404(stack):
    response = get(stack, "/serious-case-reviews/no-such-review/")
    assert response.status_code == 404
    assert_accessible_structure(response.text)
    assert "Page not found" in response.text


def test_sitemap_and_robots(stack):
    sitemap = get(stack, "/sitemap.xml")
    assert sitemap.status_code == 200
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap.text)
    assert sorted(locs) == sorted(
        stack.frontend.url + path
        for path in ("/", INDEX, CHILD_B, FAMILY_A, GUIDANCE, "/accessibility-statement/")
    )
    assert "<lastmod>2017-02-21</lastmod>" in sitemap.text
    assert f"Sitemap: {stack.frontend.url}/sitemap.xml" in get(stack, "/robots.txt").text


def test_preview_of_an_unsaved_draft(stack):
    token = stack.cms_shell(
        "from pages.models import ReviewPage\n"
        "page = ReviewPage.objects.get(slug='child-b')\n"
        "page.title = 'Child B: draft nobody has saved'\n"
        "print(page.create_page_preview().token)\n",
    )
    response = get(stack, "/preview", params={"content_type": "pages.reviewpage", "token": token})
    assert response.status_code == 200
    assert_accessible_structure(response.text, banner_first=True)
    assert "Child B: draft nobody has saved" in response.text
    assert "Preview — not published" in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response.headers["Cache-Control"] == "no-store"
    # Wagtail's userbar, loaded from the CMS, with its content checks.
    assert "<wagtail-userbar></wagtail-userbar>" in response.text
    assert "/static/wagtailadmin/js/userbar.js" in response.text
    assert "/static/wagtailadmin/js/vendor.js" in response.text
    assert f"frame-ancestors {stack.cms.url}" in response.headers["Content-Security-Policy"]
    # The draft stays a draft.
    assert "draft nobody has saved" not in get(stack, CHILD_B).text


def test_cms_allows_the_frontend_origin_for_the_userbar(stack):
    response = httpx.get(
        stack.cms.url + "/api/userbar/", headers={"Origin": stack.frontend.url}, timeout=10
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == stack.frontend.url
    configuration = json.loads(
        response.text.split('id="checker-axe-configuration" type="application/json">')[1].split(
            "</script>"
        )[0]
    )
    # axe in the preview reports to the editor, the CMS's admin, and posts nowhere else.
    assert configuration["spec"]["allowedOrigins"] == [stack.cms.url]


def test_publishing_revalidates_the_page_at_once(stack):
    assert "Family A: serious case review" in get(stack, FAMILY_A).text
    assert "Family A: serious case review" in get(stack, INDEX).text  # both now cached
    try:
        publish_title(stack, "family-a", "Family A: serious case review (revised)")
        # No waiting for the cache lifetime (60 s): the CMS told the frontend.
        assert "Family A: serious case review (revised)" in get(stack, FAMILY_A).text
        assert "Family A: serious case review (revised)" in get(stack, INDEX).text
    finally:
        publish_title(stack, "family-a", "Family A: serious case review")
    assert "(revised)" not in get(stack, FAMILY_A).text


def test_index_paginates_and_filters_when_reviews_do_not_fit(stack):
    """Twenty older reviews are added (and removed again) through the CMS."""
    created = stack.cms_shell(
        "import datetime\n"
        "from pages.models import ReviewIndexPage, ReviewPage\n"
        "index = ReviewIndexPage.objects.get()\n"
        "for n in range(1, 21):\n"
        "    page = ReviewPage(title=f'Review {n:02}: serious case review',\n"
        "        slug=f'review-{n:02}', subject=f'Child {n}', review_type='scr',\n"
        "        board='Merton Safeguarding Children Board',\n"
        "        date_published=datetime.date(2010, 1, n), body=[])\n"
        "    index.add_child(instance=page)\n"
        "    page.save_revision().publish()\n"
        "print(ReviewPage.objects.filter(slug__startswith='review-').count())\n"
    )
    assert created == "20"
    try:
        first = get(stack, INDEX)
        text = text_of(first.text)
        assert "Filter reviews" in text
        assert "22 reviews, page 1 of 2" in text
        assert "Child B: serious case review" in text  # newest first
        second = get(stack, INDEX, params={"page": "2"})
        assert second.status_code == 200
        assert "Review 01: serious case review" in second.text
        assert "Child B: serious case review" not in text_of(second.text).split("On this page")[1]
        by_year = text_of(get(stack, INDEX, params={"year": "2015"}).text)
        assert "1 review" in by_year and "Family A: serious case review" in by_year
        assert "Review 01" not in by_year
        no_match = get(stack, INDEX, params={"year": "1999"})
        assert no_match.status_code == 200 and "No reviews match" in no_match.text
    finally:
        stack.cms_shell(
            "from pages.models import ReviewPage\n"
            "for page in ReviewPage.objects.filter(slug__startswith='review-'):\n"
            "    page.delete()\n"
        )
    assert "2 reviews</h2>" in get(stack, INDEX).text  # one page again


def test_unsigned_or_badly_signed_revalidation_is_refused(stack):
    url = stack.frontend.url + "/_revalidate"
    body = json.dumps({"paths": [CHILD_B]}).encode()
    assert httpx.post(url, content=body, timeout=10).status_code == 401
    timestamp = str(int(time.time()))
    forged = {
        "X-Revalidate-Timestamp": timestamp,
        "X-Revalidate-Signature": sign_revalidation("not-the-secret", timestamp, body),
    }
    assert httpx.post(url, content=body, headers=forged, timeout=10).status_code == 403


def test_a_signed_revalidation_is_accepted_once_whichever_worker_gets_it(stack):
    """The frontend runs two gunicorn workers; each replay may reach either."""
    body = json.dumps({"paths": [GUIDANCE]}).encode()
    timestamp = str(int(time.time()))
    headers = {
        "X-Revalidate-Timestamp": timestamp,
        "X-Revalidate-Signature": sign_revalidation(DEFAULT_REVALIDATE_SECRET, timestamp, body),
    }
    url = stack.frontend.url + "/_revalidate"
    # A new connection each time, so the workers take turns as the kernel hands them out.
    statuses = [httpx.post(url, content=body, headers=headers).status_code for _ in range(10)]
    assert statuses == [200] + [409] * 9


def test_a_huge_revalidation_body_is_refused_before_it_is_sent(stack):
    """The frontend answers 413 from the headers, before the client has sent any body."""
    timestamp = str(int(time.time()))
    request = (
        "POST /_revalidate HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{stack.frontend.port}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {200 * 1024 * 1024}\r\n"
        f"X-Revalidate-Timestamp: {timestamp}\r\n"
        "X-Revalidate-Signature: sha256=0\r\n"
        # Headers only: unread body bytes would make the server's close a reset.
        "Connection: close\r\n\r\n"
    ).encode()
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", stack.frontend.port), timeout=10) as connection:
        connection.sendall(request)
        # Headers and body may come in separate segments; the server closes when done.
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        answer = answer.decode()
    assert answer.startswith("HTTP/1.1 413 ")
    assert "the body is larger than 65536 bytes" in answer
    assert time.monotonic() - started < 2


def signed_revalidation(stack, paths):
    body = json.dumps({"paths": paths}).encode()
    timestamp = str(int(time.time()))
    headers = {
        "X-Revalidate-Timestamp": timestamp,
        "X-Revalidate-Signature": sign_revalidation(DEFAULT_REVALIDATE_SECRET, timestamp, body),
    }
    return httpx.post(stack.frontend.url + "/_revalidate", content=body, headers=headers)


def publish_review(stack, slug, title, summary):
    stack.cms_shell(
        "import datetime\n"
        "from pages.models import ReviewIndexPage, ReviewPage\n"
        f"page = ReviewPage(title={title!r}, slug={slug!r}, subject={title!r}, review_type='scr',\n"
        f"    summary={summary!r}, board='Merton Safeguarding Children Board',\n"
        "    date_published=datetime.date(2018, 5, 1), body=[])\n"
        "ReviewIndexPage.objects.get().add_child(instance=page)\n"
        "page.save_revision().publish()\n"
    )


def test_old_addresses_of_renamed_and_moved_pages_redirect(stack):
    """Wagtail leaves a redirect at a page's old path when it is renamed or moved."""
    old = "/serious-case-reviews/child-e/"
    renamed = "/serious-case-reviews/child-e-renamed/"
    moved = "/practice-reviews/child-e-renamed/"
    publish_review(stack, "child-e", "Child E: serious case review", "A review that moves.")
    try:
        assert get(stack, old).status_code == 200  # cached at its first address
        stack.cms_shell(
            "from pages.models import ReviewPage\n"
            "page = ReviewPage.objects.get(slug='child-e')\n"
            "page.slug = 'child-e-renamed'\n"
            "page.save_revision().publish()\n"
        )
        response = get(stack, old)
        assert (response.status_code, response.headers["Location"]) == (301, renamed)
        stack.cms_shell(
            "from pages.models import HomePage, ReviewIndexPage, ReviewPage\n"
            "index = ReviewIndexPage(title='Practice reviews', slug='practice-reviews',\n"
            "    intro='<p>Local child safeguarding practice reviews.</p>')\n"
            "HomePage.objects.get().add_child(instance=index)\n"
            "index.save_revision().publish()\n"
            "ReviewPage.objects.get(slug='child-e-renamed').move(index, pos='last-child')\n"
        )
        response = get(stack, renamed)
        assert (response.status_code, response.headers["Location"]) == (301, moved)
        # The first address may go through the second while its lookup is cached: either way
        # readers end up at the page.
        response = get(stack, old, follow_redirects=True)
        assert response.status_code == 200
        assert str(response.url) == stack.frontend.url + moved
        assert "Child E: serious case review" in response.text
    finally:
        stack.cms_shell(
            "from wagtail.models import Page\n"
            "Page.objects.filter(slug__in=['practice-reviews', 'child-e', 'child-e-renamed'])"
            ".delete()\n"
        )
    # Redirects may be followed from the cache for a minute more, but only to a 404 now.
    for path in (old, renamed):
        assert get(stack, path, follow_redirects=True).status_code == 404


def test_a_withdrawn_review_never_comes_back_while_the_cms_is_down(stack):
    """Unpublished or deleted, the CMS revalidates its path; no copy from before may return.

    Stops the CMS (and starts it again).
    """
    withdrawn = "/serious-case-reviews/child-c/"
    deleted = "/serious-case-reviews/child-d/"
    secret = "Withdrawn for legal reasons"
    publish_review(stack, "child-c", "Child C: serious case review", secret)
    publish_review(stack, "child-d", "Child D: serious case review", secret)
    try:
        for path in (withdrawn, deleted):
            assert secret in get(stack, path).text  # cached
        assert "Child C" in get(stack, INDEX).text
        stack.cms_shell(
            "from pages.models import ReviewPage\n"
            "ReviewPage.objects.get(slug='child-c').unpublish()\n"
            "ReviewPage.objects.get(slug='child-d').delete()\n"
        )
        # The CMS told the frontend: both are gone at once.
        assert get(stack, withdrawn).status_code == 404
        assert "Child C" not in get(stack, INDEX).text
        stack.cms.stop()
        try:
            # The CMS last answered 404 for the unpublished review.
            response = get(stack, withdrawn)
            assert response.status_code == 404
            assert secret not in response.text
            # Nothing was asked for the deleted one since: no current copy, so a 503.
            response = get(stack, deleted)
            assert response.status_code == 503
            assert secret not in response.text
            index = get(stack, INDEX)
            assert "Child C" not in index.text and "Child D" not in index.text
        finally:
            stack.cms.start()
    finally:
        stack.cms_shell(
            "from pages.models import ReviewPage\n"
            "ReviewPage.objects.filter(slug__in=['child-c', 'child-d']).delete()\n"
        )
    assert get(stack, withdrawn).status_code == 404


def test_cms_down_serves_cached_pages_and_others_a_503(stack):
    """Runs last: it stops the CMS (and starts it again)."""
    assert get(stack, CHILD_B).status_code == 200
    stack.cms.stop()
    try:
        assert "Child B: serious case review" in get(stack, CHILD_B).text
        # Revalidated, so the frontend must ask the CMS, which refuses the connection; the
        # copy from before the revalidation is never served (tests/frontend/test_caching.py
        # shows stale-if-error for copies still current).
        assert signed_revalidation(stack, [CHILD_B]).status_code == 200
        assert get(stack, CHILD_B).status_code == 503

        never_cached = get(stack, "/serious-case-reviews/never-visited/")
        assert never_cached.status_code == 503
        assert never_cached.headers["Retry-After"] == "30"
        assert "Sorry, the service is unavailable" in never_cached.text
        assert "Traceback" not in never_cached.text
    finally:
        stack.cms.start()
    # The frontend stopped asking the CMS while it was down; it asks again after the cool-down.
    time.sleep(BREAKER_RESET_SECONDS)
    assert get(stack, "/serious-case-reviews/never-visited/").status_code == 404
    assert get(stack, CHILD_B).status_code == 200
