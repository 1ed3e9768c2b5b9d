"""Jinja filters that write dates, file details and CMS rich text the GOV.UK way."""

import datetime
import re

from markupsafe import Markup

ROMAN_NUMERALS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]

# Rich text from the CMS is plain HTML; GOV.UK styles only elements carrying its classes.
_RICH_TEXT_CLASSES = {
    "p": "govuk-body",
    "a": "govuk-link",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
}
# An opening tag of one of those, with or without attributes (Wagtail writes
# <p data-block-key="…">). Attribute values are skipped whole: a quoted one may contain ">".
_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_RICH_TEXT_TAG = re.compile(rf"<({'|'.join(_RICH_TEXT_CLASSES)})(\s{_ATTRIBUTES})?>", re.I)


def _with_govuk_class(tag: re.Match) -> str:
    # Wagtail strips class attributes from rich text, so there is none to merge with.
    name = tag.group(1).lower()
    return f'<{name} class="{_RICH_TEXT_CLASSES[name]}"{tag.group(2) or ""}>'


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
    """CMS rich text with GOV.UK classes on its paragraphs, lists, headings and links."""
    return Markup(_RICH_TEXT_TAG.sub(_with_govuk_class, html or ""))


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
    return [{"text": crumb["title"], "href": crumb["path"]} for crumb in breadcrumbs or []]


FILTERS = {
    "breadcrumb_items": breadcrumb_items,
    "govuk_date": govuk_date,
    "iso_date": iso_date,
    "attachment_details": attachment_details,
    "rich_text": rich_text,
    "quotation": quotation,
    "roman": roman,
    "slug_of": slug_of,
}
