"""What the frontend is told when pages change: which of its paths to revalidate.

Connected in ``ApiConfig.ready()``. Each handler works out the frontend paths a
change affects (the page and its parent index, before and after a move, with
everything below a moved or restricted page) and posts them once the
transaction commits (``revalidate``).
"""

from wagtail.models import Page

from .links import frontend_path
from .revalidate import post_paths_after_commit


def _paths_for(*url_paths) -> list[str]:
    return [frontend_path(url_path) for url_path in url_paths if url_path]


def _parent_url_path(url_path: str) -> str:
    return url_path.rstrip("/").rsplit("/", 1)[0] + "/"


def _moved_paths(page, url_path_before: str, url_path_after: str) -> list[str]:
    """Old and new addresses of a page, of its parents and of everything below it."""
    url_paths = [
        url_path_before,
        _parent_url_path(url_path_before),
        url_path_after,
        _parent_url_path(url_path_after),
    ]
    for descendant in Page.objects.descendant_of(page).values_list("url_path", flat=True):
        url_paths += [descendant, url_path_before + descendant[len(url_path_after) :]]
    return _paths_for(*url_paths)


def revalidate_on_publish_or_unpublish(sender, instance, **kwargs):
    post_paths_after_commit(_paths_for(instance.url_path, _parent_url_path(instance.url_path)))


def revalidate_on_move(sender, instance, url_path_before, url_path_after, **kwargs):
    post_paths_after_commit(_moved_paths(instance, url_path_before, url_path_after))


def revalidate_on_slug_change(sender, instance, instance_before, **kwargs):
    # The old address would otherwise keep answering from the frontend's cache.
    post_paths_after_commit(_moved_paths(instance, instance_before.url_path, instance.url_path))


def revalidate_on_delete(sender, instance, **kwargs):
    # Collected before the rows go, while the page still knows where it lived.
    if instance.live and instance.url_path:
        post_paths_after_commit(_paths_for(instance.url_path, _parent_url_path(instance.url_path)))


def revalidate_on_view_restriction_change(sender, instance, **kwargs):
    """A restriction added, changed or removed hides or shows the page and everything below
    it at once in the API, and its parent lists it (or stops listing it)."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted, which revalidate_on_delete covers
        return
    below = Page.objects.descendant_of(page, inclusive=True).live()
    url_paths = list(below.values_list("url_path", flat=True))
    post_paths_after_commit(_paths_for(*url_paths, _parent_url_path(page.url_path)))
