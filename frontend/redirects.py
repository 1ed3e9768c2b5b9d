"""Every redirect the site sends is built here, so that none can lead to another site.

Browsers are lenient with a Location: they drop tabs and newlines, read "\\" as "/"
and "//host" as another site, so "/\\t/evil.example" sends a reader to evil.example.
Redirects are therefore built from a decoded path, never passed on as they came:
paths with control characters are refused, leading slashes and backslashes become
one slash, and everything else is percent-encoded.
"""

import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

from flask import Response, abort, redirect

# Characters a path segment or a query may hold as they are (RFC 3986 "pchar" and "query");
# "%" is only kept in queries, which arrive encoded, while paths arrive decoded.
_PATH_SAFE = "/:@!$&'()*+,;="
_QUERY_SAFE = _PATH_SAFE + "?%"


def site_redirect(path: str, query: str | bytes = "", *, permanent: bool) -> Response:
    """A 301 (or 302) to the decoded ``path`` on this site, with the still-encoded ``query``.

    A path holding control characters is answered with the 404 page instead.
    """
    if has_control_characters(path):
        abort(404)
    location = "/" + quote(path.lstrip("/\\"), safe=_PATH_SAFE)
    query = quote(query, safe=_QUERY_SAFE)
    return redirect(f"{location}?{query}" if query else location, code=301 if permanent else 302)


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a C0 or C1 control character (tab, newline, NUL, DEL...)."""
    return any(unicodedata.category(character) == "Cc" for character in text)


def canonical_path(path: str) -> str:
    """A page's one address: no repeated slashes, one at the end (as Wagtail's page URLs)."""
    return "/" + "".join(f"{segment}/" for segment in path.split("/") if segment)


def same_site_path(link: str, frontend_url: str) -> str | None:
    """``link`` as a path (and query) on this site, or None if it leads anywhere else.

    Editors may point a redirect at any address; the site must not become an open redirect,
    so only paths and addresses at ``frontend_url`` are followed.
    """
    # urlsplit drops tabs and newlines and strips leading spaces, as browsers do, so
    # " /\t/evil.example" is read as the "//evil.example" a browser would go to.
    parts = urlsplit(link)
    site = urlsplit(frontend_url)
    if (parts.scheme or parts.netloc) and (parts.scheme, parts.netloc.lower()) != (
        site.scheme,
        site.netloc.lower(),
    ):
        return None
    # Browsers also read "//host" and "/\\host" as another site.
    if not parts.path.startswith("/") or parts.path[1:2] in ("/", "\\"):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))
