"""Jinja filters that write dates, file details and CMS rich text the GOV.UK way."""

import datetime
import re
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup

ROMAN_NUMERALS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]

# Rich text is sanitised against what the CMS's editors can produce (Draftail's paragraphs,
# line breaks, bold, italic, links and lists, each block with its data-block-key, and the
# headings the GOV.UK classes below cover), so nothing else the API might send reaches a page.
_BLOCK_ELEMENTS = ("p", "li", "h2", "h3", "h4")
_LINK_SCHEMES = {"http", "https", "mailto"}
# GOV.UK styles only elements carrying its classes; Wagtail keeps no classes in rich text.
_RICH_TEXT_CLASSES = {
    "p": "govuk-body",
    "a": "govuk-link",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
}
_RICH_TEXT = nh3.Cleaner(
    tags={*_BLOCK_ELEMENTS, "br", "b", "i", "a", "ul", "ol"},
    attributes={
        "*": set(),  # not even nh3's default lang and title
        **dict.fromkeys(_BLOCK_ELEMENTS, {"data-block-key"}),
        "a": {"href"},
    },
    # Relative links (pages on this site) are kept; absolute ones only with these schemes.
    url_schemes=_LINK_SCHEMES,
    # No rel added: no link may open a new window (target is not allowed), so no opener leaks.
    link_rel=None,
    set_tag_attribute_values={
        name: {"class": classes} for name, classes in _RICH_TEXT_CLASSES.items()
    },
)


def govuk_date(value) -> str:
    """'2017-02-20' → '20 February 2017' (GOV.UK style: no leading zero, no ordinal)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return f"{value.day} {value:%B %Y}"


def iso_date(value) -> str:
    """The machine-readable form for ``<time datetime>`` and sitemap ``lastmod``."""
    return str(value)[:10] if value else ""


def file_size(size_bytes) -> str:
    """GOV.UK attachment sizes: '824 bytes', '12 KB', '1.2 MB'."""
    if size_bytes is None:
        return ""
    size = float(size_bytes)
    if size < 1024:
        return f"{int(size)} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    if size < 10:
        return f"{size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{round(size)} {unit}"


def attachment_details(report: dict) -> str:
    """'PDF, 1.2 MB, 48 pages': type, size and length, as GOV.UK lists attachments."""
    parts = [(report.get("extension") or "file").upper()]
    if report.get("size_bytes") is not None:
        parts.append(file_size(report["size_bytes"]))
    pages = report.get("page_count")
    if pages:
        parts.append(f"{pages} page" if pages == 1 else f"{pages} pages")
    return ", ".join(parts)


def rich_text(html) -> Markup:
    """CMS rich text, sanitised, with GOV.UK classes on paragraphs, lists, headings and links."""
    return Markup(_RICH_TEXT.clean(html or ""))


def safe_url(url) -> str:
    """``url`` if following it cannot run script (a path, or an http, https or mailto
    address); "" otherwise. For every address the templates take from the API."""
    try:
        scheme = urlsplit(url or "").scheme
    except ValueError:  # e.g. a malformed IPv6 host
        return ""
    # urlsplit reads the scheme as browsers do: surrounding spaces and controls stripped,
    # tabs and newlines dropped, any letter case.
    return url if not scheme or scheme in _LINK_SCHEMES else ""


def quotation(html) -> Markup:
    """Rich text wrapped in curly quotes; editors type statements without them."""
    html = str(rich_text(html)).strip()
    opening = re.match(r"^(<p[^>]*>)", html)
    if opening and html.endswith("</p>"):
        html = f"{opening.group(1)}“{html[opening.end() : -4]}”</p>"
    else:
        html = f"“{html}”"
    return Markup(html)


def roman(number: int) -> str:
    """Sub-items of a criteria list are numbered (i), (ii), … as in the legislation."""
    return ROMAN_NUMERALS[number - 1] if 0 < number <= len(ROMAN_NUMERALS) else str(number)


def slug_of(path: str) -> str:
    """The last part of a page path: its section's in-page anchor, after a prefix."""
    return path.rstrip("/").rsplit("/", 1)[-1] or "home"


def breadcrumb_items(breadcrumbs) -> list[dict]:
    """The API's ``[{title, path}]`` in the shape GOV.UK's breadcrumbs component takes."""
    return [
        {"text": crumb["title"], "href": safe_url(crumb["path"])} for crumb in breadcrumbs or []
    ]


FILTERS = {
    "breadcrumb_items": breadcrumb_items,
    "govuk_date": govuk_date,
    "iso_date": iso_date,
    "attachment_details": attachment_details,
    "rich_text": rich_text,
    "quotation": quotation,
    "roman": roman,
    "safe_url": safe_url,
    "slug_of": slug_of,
}
