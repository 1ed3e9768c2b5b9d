"""Where a CMS page lives on the frontend, and which page a frontend address shows.

The frontend serves each site from its own root, so Wagtail's ``url_path``
``/home/serious-case-reviews/`` is ``/serious-case-reviews/`` there (the rule the API's page
paths follow too).
"""

from urllib.parse import urlsplit

from wagtail.models import Page, Site


def frontend_path(page: Page) -> str | None:
    """The page's path on the frontend; None for a page outside every site."""
    for root in Site.get_site_root_paths():
        if page.url_path.startswith(root.root_path):
            return "/" + page.url_path[len(root.root_path) :]
    return None


def page_ids_by_frontend_path(paths) -> dict[str, int]:
    """The page each frontend path shows (a listing's view shows its listing); paths no page
    has are left out. With several sites, the most specific site root wins."""
    roots = [root.root_path for root in Site.get_site_root_paths()]
    candidates: dict[str, list[str]] = {}
    for path in paths:
        page_path = urlsplit(path).path
        candidates[path] = [root + page_path.lstrip("/") for root in roots]
    url_paths = {url_path for options in candidates.values() for url_path in options}
    page_ids = dict(Page.objects.filter(url_path__in=url_paths).values_list("url_path", "pk"))
    found = {}
    for path, options in candidates.items():
        match = next((page_ids[url_path] for url_path in options if url_path in page_ids), None)
        if match is not None:
            found[path] = match
    return found
