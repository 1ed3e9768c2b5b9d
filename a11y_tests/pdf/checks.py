"""The checks, run on a PDF that pikepdf has opened. Each is a function of one
:class:`Document` that returns its findings, or ``None`` where it does not apply (headings in a
short document; figures in an untagged one, which the tagging check already fails).

Run them through :func:`a11y_tests.pdf.check_pdf`, which opens the file in a child process with
a time and memory limit; :func:`run_checks` itself trusts the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pikepdf

from a11y_tests.pdf import explanations as catalogue
from a11y_tests.pdf.content import (
    ContentReader,
    Drawn,
    font_name,
    is_embedded,
    maps_to_unicode,
    text,
)
from a11y_tests.pdf.model import PdfCheckResult, PdfFinding
from a11y_tests.pdf.structure import Structure, read_structure

# "Longer than a few pages" and "long": from these page counts on, a document needs headings
# (to move around by them) and bookmarks (to jump to a section from the viewer's side panel).
HEADINGS_FROM_PAGES = 4
BOOKMARKS_FROM_PAGES = 10
XMP_KEYS = ("dc:title", "pdfuaid:part")
MAX_LISTED = 50  # pages or fonts named in one finding; the count says how many in all

# BCP 47: a 2–3 letter language (or i-/x- tags) and optional subtags ("en", "en-GB", "cy").
LANGUAGE_TAG = re.compile(r"^(?:[A-Za-z]{2,3}|[iIxX])(?:-[A-Za-z0-9]{1,8})*$")
# Titles that are only a file name or a program's placeholder.
FILE_NAME_TITLE = re.compile(
    r"^(?:Microsoft (?:Word|PowerPoint|Excel) - .*|.*\.(?:docx?|odt|rtf|pptx?|xlsx?|indd|pdf)"
    r"|untitled|document\d*)$",
    re.IGNORECASE,
)


def _page_list(pages) -> list[int]:
    return sorted(set(pages))[:MAX_LISTED]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def has_structure(tree: pikepdf.Object | None) -> bool:
    """A structure tree root with at least one element under it."""
    if not isinstance(tree, pikepdf.Dictionary):
        return False
    kids = tree.get("/K")
    return isinstance(kids, pikepdf.Dictionary) or (
        isinstance(kids, pikepdf.Array) and len(kids) > 0
    )


@dataclass
class FontUse:
    font: pikepdf.Dictionary
    pages: set[int] = field(default_factory=set)
    painted: bool = False


class Document:
    """One opened PDF and what the checks read from it, each read once."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.page_count = len(pdf.pages)

    @cached_property
    def tagged(self) -> bool:
        mark_info = self.pdf.Root.get("/MarkInfo")
        root = self.pdf.Root.get("/StructTreeRoot")
        return (
            isinstance(mark_info, pikepdf.Dictionary)
            and mark_info.get("/Marked") is True
            and has_structure(root)
        )

    @cached_property
    def drawn(self) -> list[Drawn]:
        """What each page draws, in page order."""
        reader = ContentReader()
        return [reader.page(page) for page in self.pdf.pages]

    @cached_property
    def fonts(self) -> dict[tuple[int, int], FontUse]:
        """Every font that shows text, the pages it does so on, and whether it paints any."""
        uses: dict[tuple[int, int], FontUse] = {}
        for number, drawn in enumerate(self.drawn, start=1):
            for key, font in drawn.text_fonts.items():
                use = uses.setdefault(key, FontUse(font))
                use.pages.add(number)
                use.painted |= key in drawn.painting_fonts
        return uses

    @cached_property
    def structure(self) -> Structure:
        page_numbers = {
            page.obj.objgen: number for number, page in enumerate(self.pdf.pages, start=1)
        }
        return read_structure(self.pdf, page_numbers)

    @cached_property
    def xmp(self) -> dict[str, str]:
        """The XMP metadata entries the checks read; none if the XMP cannot be read."""
        try:
            xmp = self.pdf.open_metadata()  # read only: outside "with", nothing is written
            return {key: str(xmp.get(key) or "").strip() for key in XMP_KEYS}
        except Exception:  # noqa: BLE001 - unreadable XMP says as much as none
            return dict.fromkeys(XMP_KEYS, "")


def check_tagged(doc: Document) -> list[PdfFinding]:
    root = doc.pdf.Root
    mark_info = root.get("/MarkInfo")
    if not doc.tagged:
        missing = []
        if not isinstance(mark_info, pikepdf.Dictionary) or mark_info.get("/Marked") is not True:
            missing.append("it is not marked as tagged (/MarkInfo /Marked true)")
        if not has_structure(root.get("/StructTreeRoot")):
            missing.append("it has no structure tree")
        return [PdfFinding.of("pdf-tagged", f"The document is not tagged: {'; '.join(missing)}.")]
    if mark_info.get("/Suspects") is True:
        return [
            PdfFinding.of(
                "pdf-tagged",
                "The document's tags are marked as suspect: the program that made them "
                "could not vouch for them.",
                matterhorn="01-007",
            )
        ]
    return []


def check_title(doc: Document) -> list[PdfFinding]:
    info = doc.pdf.trailer.get("/Info")
    info_title = info.get("/Title") if isinstance(info, pikepdf.Dictionary) else None
    title = doc.xmp["dc:title"] or text(info_title).strip()
    if not title:
        return [PdfFinding.of("pdf-title", "The document has no title.")]
    if FILE_NAME_TITLE.match(title):
        return [
            PdfFinding.of(
                "pdf-title",
                f"The document's title is only a file name or placeholder: '{title}'.",
                matterhorn="06-004",
                details={"title": title},
            )
        ]
    return []


def check_title_shown(doc: Document) -> list[PdfFinding]:
    preferences = doc.pdf.Root.get("/ViewerPreferences")
    shown = (
        preferences.get("/DisplayDocTitle") if isinstance(preferences, pikepdf.Dictionary) else None
    )
    if shown is None:
        return [
            PdfFinding.of(
                "pdf-title-shown",
                "The document does not ask viewers to show its title (no DisplayDocTitle).",
                matterhorn="07-001",
            )
        ]
    if shown is not True:
        return [
            PdfFinding.of(
                "pdf-title-shown",
                "The document asks viewers to show its file name instead of its title "
                "(DisplayDocTitle is false).",
                matterhorn="07-002",
            )
        ]
    return []


def check_language(doc: Document) -> list[PdfFinding]:
    lang = doc.pdf.Root.get("/Lang")
    value = text(lang).strip() if isinstance(lang, pikepdf.String) else ""
    if not value:
        return [PdfFinding.of("pdf-language", "The document's language is not set.")]
    if not LANGUAGE_TAG.match(value):
        return [
            PdfFinding.of(
                "pdf-language",
                f"The document's language '{value}' is not a language code such as 'en-GB'.",
                details={"lang": value},
            )
        ]
    return []


def check_real_text(doc: Document) -> list[PdfFinding]:
    # A page that is one picture described by a tagged figure (a cover photograph, a poster)
    # is not a scan: its alternative text is its text.
    described = doc.structure.pages_with_described_figures if doc.tagged else set()
    image_only = [
        number
        for number, drawn in enumerate(doc.drawn, start=1)
        if drawn.image and not drawn.text and number not in described
    ]
    if not image_only:
        return []
    return [
        PdfFinding.of(
            "pdf-real-text",
            f"{_plural(len(image_only), 'page')} of {doc.page_count} "
            f"{'is an image' if len(image_only) == 1 else 'are images'} with no text.",
            pages=_page_list(image_only),
            details={"image_only_pages": len(image_only)},
        )
    ]


def check_figure_alt(doc: Document) -> list[PdfFinding] | None:
    if not doc.tagged:
        return None
    missing = doc.structure.figures_without_alt
    if not missing:
        return []
    return [
        PdfFinding.of(
            "pdf-figure-alt",
            f"{_plural(len(missing), 'figure')} of {doc.structure.figures} "
            f"{'has' if len(missing) == 1 else 'have'} no alternative text.",
            pages=_page_list(page for page in missing if page),
            details={"figures": doc.structure.figures, "without_alt": len(missing)},
        )
    ]


def check_headings(doc: Document) -> list[PdfFinding] | None:
    if not doc.tagged or doc.page_count < HEADINGS_FROM_PAGES:
        return None
    if doc.structure.headings:
        return []
    return [
        PdfFinding.of(
            "pdf-headings",
            f"The document has {doc.page_count} pages and no headings in its tags.",
        )
    ]


def check_bookmarks(doc: Document) -> list[PdfFinding] | None:
    if doc.page_count < BOOKMARKS_FROM_PAGES:
        return None
    outlines = doc.pdf.Root.get("/Outlines")
    if isinstance(outlines, pikepdf.Dictionary) and isinstance(
        outlines.get("/First"), pikepdf.Dictionary
    ):
        return []
    return [
        PdfFinding.of("pdf-bookmarks", f"The document has {doc.page_count} pages and no bookmarks.")
    ]


def _font_finding(check_id: str, uses: list[FontUse], problem: str) -> list[PdfFinding]:
    if not uses:
        return []
    names = sorted({font_name(use.font) for use in uses})
    pages = {page for use in uses for page in use.pages}
    return [
        PdfFinding.of(
            check_id,
            f"{_plural(len(names), 'font')} {problem}: {', '.join(names[:MAX_LISTED])}.",
            pages=_page_list(pages),
            details={"fonts": names[:MAX_LISTED]},
        )
    ]


def check_fonts_embedded(doc: Document) -> list[PdfFinding]:
    uses = [use for use in doc.fonts.values() if use.painted and not is_embedded(use.font)]
    return _font_finding("pdf-fonts-embedded", uses, "not embedded")


def check_text_unicode(doc: Document) -> list[PdfFinding]:
    uses = [use for use in doc.fonts.values() if not maps_to_unicode(use.font)]
    return _font_finding("pdf-text-unicode", uses, "with no way back to Unicode text")


def check_encryption(doc: Document) -> list[PdfFinding]:
    if doc.pdf.is_encrypted and not doc.pdf.allow.accessibility:
        return [
            PdfFinding.of(
                "pdf-encryption",
                "The document's security settings forbid access to its text for accessibility.",
            )
        ]
    return []


def check_pdf_ua_identifier(doc: Document) -> list[PdfFinding]:
    part = doc.xmp["pdfuaid:part"]
    summary = (
        f"The document claims to conform to PDF/UA-{part}."
        if part
        else "The document does not claim to conform to PDF/UA."
    )
    return [PdfFinding.of("pdf-ua-identifier", summary, details={"pdfua_part": part or None})]


CHECK_FUNCTIONS: dict[str, Callable[[Document], list[PdfFinding] | None]] = {
    catalogue.TAGGED.id: check_tagged,
    catalogue.TITLE.id: check_title,
    catalogue.TITLE_SHOWN.id: check_title_shown,
    catalogue.LANGUAGE.id: check_language,
    catalogue.REAL_TEXT.id: check_real_text,
    catalogue.FIGURE_ALT.id: check_figure_alt,
    catalogue.HEADINGS.id: check_headings,
    catalogue.BOOKMARKS.id: check_bookmarks,
    catalogue.FONTS_EMBEDDED.id: check_fonts_embedded,
    catalogue.TEXT_UNICODE.id: check_text_unicode,
    catalogue.ENCRYPTION.id: check_encryption,
    catalogue.PDF_UA.id: check_pdf_ua_identifier,
}


def run_checks(pdf: pikepdf.Pdf) -> PdfCheckResult:
    """Every check that applies to this document, and its findings."""
    doc = Document(pdf)
    findings: list[PdfFinding] = []
    checked: list[str] = []
    for check_id, check in CHECK_FUNCTIONS.items():
        found = check(doc)
        if found is not None:
            checked.append(check_id)
            findings.extend(found)
    return PdfCheckResult.of_findings(findings, checked, doc.page_count)
