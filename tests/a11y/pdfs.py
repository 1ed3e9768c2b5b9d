"""PDFs for the PDF checker's tests, made on the spot (no binaries in the repository).

Debian's Chromium prints HTML to tagged PDFs (title, language, headings, figures with
alternative text, embedded fonts, bookmarks from headings): ``good_document`` is one that
passes every check. Each defect below copies it and breaks one thing with pikepdf. The bad
inputs (damaged, HTML, a decompression bomb…) are made byte by byte.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdf
from pypdf.constants import UserAccessPermissions

CHROMIUM = os.environ.get("A11Y_CHROMIUM", "/usr/bin/chromium")
GOOD_TITLE = "Child B: serious case review"
GOOD_PAGES = 13  # enough for the headings and bookmarks checks to apply
HUGE_PAGES = 300
# A 1×1 PNG, stretched: Chromium draws it as an image XObject and tags it as a Figure.
PIXEL_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5Erk"
    "Jggg=="
)
PARAGRAPH = (
    "Agencies working with the family did not share what they knew, and no one agency saw the "
    "whole picture of the risks to the child. "
) * 6


def document_html(*, title: str, sections: int, figure: bool = True) -> str:
    """A report: one H1 and a figure with alt text on the first page, then one H2 section per
    printed page: ``sections + 1`` pages."""
    parts = [f"<h1>{title}</h1><p>{PARAGRAPH}</p>"]
    if figure:
        parts.append(
            f'<img src="data:image/png;base64,{PIXEL_PNG}" width="300" height="120" '
            'alt="Timeline of contacts between the family and five agencies">'
        )
    for number in range(1, sections + 1):
        parts.append(
            f'<section style="break-before: page"><h2>Finding {number}</h2>'
            f"<h3>What happened</h3><p>{PARAGRAPH}</p></section>"
        )
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body>{''.join(parts)}</body></html>"
    )


def print_to_pdf(documents: dict[str, str]) -> dict[str, bytes]:
    """Print each named HTML document to a PDF with headless Chromium, all at once."""
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        processes = {}
        for name, html in documents.items():
            (folder / f"{name}.html").write_text(html, encoding="utf8")
            processes[name] = subprocess.Popen(  # noqa: S603 - fixed program, our arguments
                [
                    CHROMIUM,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    f"--user-data-dir={folder / f'{name}-profile'}",
                    "--no-pdf-header-footer",
                    "--generate-pdf-document-outline",  # bookmarks from the headings
                    f"--print-to-pdf={folder / f'{name}.pdf'}",
                    (folder / f"{name}.html").as_uri(),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        for name, process in processes.items():
            if process.wait(timeout=120) or not (folder / f"{name}.pdf").is_file():
                raise RuntimeError(f"{CHROMIUM} did not print {name}.pdf ({process.returncode})")
        return {name: (folder / f"{name}.pdf").read_bytes() for name in documents}


@functools.cache
def printed() -> dict[str, bytes]:
    """The good document and a long one of the same kind, printed once per test session."""
    return print_to_pdf(
        {
            "good": document_html(title=GOOD_TITLE, sections=GOOD_PAGES - 1),
            "huge": document_html(title="Annual report", sections=HUGE_PAGES - 1, figure=False),
        }
    )


def good_document() -> bytes:
    return printed()["good"]


def huge_document() -> bytes:
    return printed()["huge"]


def edited(pdf_bytes: bytes, change: Callable[[pikepdf.Pdf], None], **save_options) -> bytes:
    """A copy of the PDF with ``change`` applied."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, **save_options)
        return out.getvalue()


def structure_elements(pdf: pikepdf.Pdf):
    """Every structure element of the tagged document (Chromium's trees are small)."""
    pending = [pdf.Root.StructTreeRoot]
    while pending:
        node = pending.pop()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                pending.append(kid)


def fonts(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        yield from page.Resources.get("/Font", {}).values()


# One defect each, applied to the good document.


def untagged(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/MarkInfo"]
    del pdf.Root["/StructTreeRoot"]


def suspect_tags(pdf: pikepdf.Pdf) -> None:
    pdf.Root.MarkInfo.Suspects = True


def no_title(pdf: pikepdf.Pdf) -> None:
    del pdf.docinfo["/Title"]


def file_name_title(pdf: pikepdf.Pdf) -> None:
    pdf.docinfo["/Title"] = "Microsoft Word - CSR_final_v3.docx"


def title_not_shown(pdf: pikepdf.Pdf) -> None:
    pdf.Root.ViewerPreferences.DisplayDocTitle = False


def no_display_doc_title(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/ViewerPreferences"]


def no_language(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Lang"]


def language_as_a_word(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Lang = pikepdf.String("English")


def scanned_page(pdf: pikepdf.Pdf) -> None:
    """A page at the end that is only a picture, as a scanner makes it."""
    width, height = 200, 280
    image = pikepdf.Stream(pdf, zlib.compress(bytes(range(200)) * (width * height // 200)))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = width, height, 8
    image.ColorSpace, image.Filter = pikepdf.Name.DeviceGray, pikepdf.Name.FlateDecode
    page = pdf.add_blank_page(page_size=(595, 842))
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Scan=image))
    page.Contents = pdf.make_stream(b"q 595 0 0 842 0 0 cm /Scan Do Q")


def described_picture_page(pdf: pikepdf.Pdf) -> None:
    """A last page that is one picture, tagged as a figure with alternative text: a poster, not
    a scan."""
    scanned_page(pdf)
    document = pdf.Root.StructTreeRoot.K
    figure = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem,
            S=pikepdf.Name.Figure,
            P=document,
            Pg=pdf.pages[-1].obj,
            Alt=pikepdf.String("Poster: where to get help, with phone numbers for each agency"),
        )
    )
    document.K.append(figure)


# Glyph names that map to Unicode by the Adobe Glyph List's rules: a listed name, a uniXXXX
# name, a ligature of listed names, a listed name with a variant suffix.
UNICODE_GLYPH_NAMES = ("T", "uni00E9", "f_i", "a.sc")


def scanned_page_with_ocr(pdf: pikepdf.Pdf, glyph_names: tuple[str, ...] = UNICODE_GLYPH_NAMES):
    """A scanned page with recognised text behind it, as OCR leaves it: invisible (render mode
    3) in a font that is not embedded, its codes A, B, C, D named by ``glyph_names``."""
    scanned_page(pdf)
    page = pdf.pages[-1]
    encoding = pikepdf.Dictionary(
        Type=pikepdf.Name.Encoding,
        BaseEncoding=pikepdf.Name.WinAnsiEncoding,
        Differences=pikepdf.Array([65, *(pikepdf.Name(f"/{name}") for name in glyph_names)]),
    )
    page.Resources.Font = pikepdf.Dictionary(
        OCR=pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=encoding,
        )
    )
    page.Contents = pdf.make_stream(
        b"q 595 0 0 842 0 0 cm /Scan Do Q BT 3 Tr /OCR 12 Tf 72 720 Td (ABCD) Tj ET"
    )


def ocr_text_without_unicode(pdf: pikepdf.Pdf) -> None:
    """As above, but the recognised text's glyphs have made-up names with no Unicode."""
    scanned_page_with_ocr(pdf, glyph_names=("g17", "g18", "g19", "g20"))


def figure_without_alt(pdf: pikepdf.Pdf) -> None:
    for element in structure_elements(pdf):
        if element.S == "/Figure":
            del element["/Alt"]


def no_headings(pdf: pikepdf.Pdf) -> None:
    for element in structure_elements(pdf):
        if str(element.S) in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"):
            element.S = pikepdf.Name.P


def no_bookmarks(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Outlines"]


def font_not_embedded(pdf: pikepdf.Pdf) -> None:
    for font in fonts(pdf):
        descriptor = font.DescendantFonts[0].FontDescriptor
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                del descriptor[key]


def no_unicode_map(pdf: pikepdf.Pdf) -> None:
    for font in fonts(pdf):
        if "/ToUnicode" in font:  # fonts are shared between pages
            del font["/ToUnicode"]


def claims_pdf_ua(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata() as xmp:
        xmp["pdfuaid:part"] = "1"
        xmp["dc:title"] = str(pdf.docinfo.Title)


def encrypted(pdf_bytes: bytes, *, accessibility: bool) -> bytes:
    """Protected by an owner password only (anyone can open it), copying text forbidden, and
    text access for accessibility allowed or not. pypdf writes it: qpdf always allows
    accessibility when it encrypts, as PDF 2.0 asks of writers."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes)))
    permissions = UserAccessPermissions.PRINT | UserAccessPermissions.PRINT_TO_REPRESENTATION
    if accessibility:
        permissions |= UserAccessPermissions.EXTRACT_TEXT_AND_GRAPHICS
    # RC4 needs no cryptography package; 128-bit RC4 is revision 3, which honours bit 10.
    writer.encrypt(
        user_password="",
        owner_password="owner-secret",
        permissions_flag=permissions,
        algorithm="RC4-128",
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def password_protected(pdf_bytes: bytes) -> bytes:
    return edited(
        pdf_bytes,
        lambda pdf: None,
        encryption=pikepdf.Encryption(owner="owner-secret", user="reader-secret"),
    )


# Bad input.

HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Sign in</body></html>"
MALFORMED = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def truncated(pdf_bytes: bytes) -> bytes:
    """The first half of the file, as an interrupted download leaves it."""
    return pdf_bytes[: len(pdf_bytes) // 2]


def _zeros_deflated(size_mb: int) -> bytes:
    """zlib data that inflates to ``size_mb`` MB of zeros, made without holding them: each
    fully flushed megabyte compresses to the same bytes, so one is made and repeated."""
    megabyte = bytes(1024 * 1024)
    compressor = zlib.compressobj(9)
    header_and_first = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    # Adler-32 of n zeros: its sum of bytes stays 1 and its sum of sums is n (mod 65521).
    checksum = ((size_mb * len(megabyte)) % 65521) << 16 | 1
    return (
        header_and_first
        + repeated * (size_mb - 1)
        + compressor.flush(zlib.Z_FINISH)[:-4]  # the empty final block, without the checksum
        + checksum.to_bytes(4, "big")
    )


def decompression_bomb(size_mb: int = 4096) -> bytes:
    """A one-page PDF of a few kilobytes whose page content inflates to ``size_mb`` MB: zeros
    deflated twice (FlateDecode applied twice), as real bombs stack filters."""
    inner = _zeros_deflated(size_mb)
    outer = zlib.compress(inner, 9)
    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    contents = pikepdf.Stream(pdf, outer)
    contents.Filter = pikepdf.Array([pikepdf.Name.FlateDecode, pikepdf.Name.FlateDecode])
    page.Contents = contents
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()
