"""What a document upload must be: an allowed type whose content matches its extension.

Wagtail checks the extension (``WAGTAILDOCS_EXTENSIONS``); a renamed file passes that, so
the first bytes are checked too. A council publishes PDFs, office documents and plain text,
nothing a browser would run.
"""

import zipfile

from django.core.exceptions import ValidationError

PDF_SIGNATURE = b"%PDF-"
ZIP_SIGNATURE = b"PK\x03\x04"
# OpenDocument files name their type in an uncompressed "mimetype" entry.
OPENDOCUMENT_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# Office Open XML files keep their main part in a fixed folder.
OFFICE_OPEN_XML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
TEXT_EXTENSIONS = {"csv", "txt"}
# Markup a browser would render or run if it ever sniffed a text file as HTML or SVG.
MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body")
TEXT_SAMPLE_BYTES = 64 * 1024


def validate_document_content(file, extension):
    """Raise ValidationError (naming the reason) unless ``file`` really is an ``extension`` file."""
    extension = extension.lower()
    file.seek(0)
    try:
        if extension == "pdf":
            _check_pdf(file)
        elif extension in OPENDOCUMENT_TYPES or extension in OFFICE_OPEN_XML_PARTS:
            _check_office_document(file, extension)
        elif extension in TEXT_EXTENSIONS:
            _check_text(file, extension)
    finally:
        file.seek(0)


def _refuse(extension, reason):
    raise ValidationError(
        f"This file is not a real .{extension} file: {reason}. "
        "Upload the document saved in its own format.",
        code="content_mismatch",
    )


def _check_pdf(file):
    # PDF readers accept the header anywhere in the first kilobyte; so do we.
    if PDF_SIGNATURE not in file.read(1024):
        _refuse("pdf", "it does not start like a PDF")


def _check_office_document(file, extension):
    if file.read(4) != ZIP_SIGNATURE:
        _refuse(extension, "office documents are zip packages and this is not one")
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            if extension in OPENDOCUMENT_TYPES:
                mimetype = package.read("mimetype").decode("ascii", "replace").strip()
                if mimetype != OPENDOCUMENT_TYPES[extension]:
                    _refuse(extension, f"its package says it is {mimetype or 'nothing'}")
            elif OFFICE_OPEN_XML_PARTS[extension] not in package.namelist():
                _refuse(extension, "its package has no document part")
    except (zipfile.BadZipFile, KeyError, OSError):
        _refuse(extension, "the package is damaged")


def _check_text(file, extension):
    sample = file.read(TEXT_SAMPLE_BYTES)
    # Any text encoding is fine (spreadsheets export Windows-1252 too); binaries carry NULs.
    if b"\x00" in sample:
        _refuse(extension, "it contains binary data")
    if sample.lstrip().lower().startswith(MARKUP_STARTS):
        _refuse(extension, "it is a web page or image, not plain text")
