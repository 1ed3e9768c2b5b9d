"""What a page draws, read from its content streams: text (and in which fonts, visible or not)
and images. Also what a font offers: an embedded program, a way back to Unicode.

Only the operators that matter are parsed (qpdf does the parsing), form XObjects are followed
to a bounded depth with each form read once, and images are never decoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf

# Text render modes 3 (invisible, as under scanned text recognised by OCR) and 7 (clip only)
# paint nothing, so their fonts need no embedded program.
INVISIBLE_RENDER_MODES = {3, 7}
# "ID" and "EI" must be asked for too, or qpdf returns no inline images.
OPERATORS = "Tf Tj TJ ' \" Tr q Q Do BI ID EI"
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
MAX_FORM_DEPTH = 12
MAX_PARENT_HOPS = 64  # a page tree deeper than this is malformed (or a loop)

FontKey = tuple[int, int]  # (object number, generation), or (0, id) for a direct object

STANDARD_ENCODINGS = {"WinAnsiEncoding", "MacRomanEncoding", "MacExpertEncoding"}
# Character collections whose CIDs have published Unicode maps (ISO 32000-1, 9.10.2).
KNOWN_CID_ORDERINGS = {"GB1", "CNS1", "Japan1", "Korea1", "KR"}
STANDARD_14 = {
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier", "Courier-Bold",
    "Courier-Oblique", "Courier-BoldOblique", "Symbol", "ZapfDingbats",
}  # fmt: skip
UNICODE_GLYPH_NAME = re.compile(r"^(?:uni(?:[0-9A-F]{4})+|u[0-9A-F]{4,6})$")
SYMBOLIC_FLAG = 1 << 2


@dataclass
class Drawn:
    """What one page (or form) draws."""

    text: bool = False  # shows at least one glyph, visible or not
    image: bool = False
    # Fonts that show text, and those of them that paint it (render mode not invisible).
    text_fonts: dict[FontKey, pikepdf.Dictionary] = field(default_factory=dict)
    painting_fonts: set[FontKey] = field(default_factory=set)

    def add(self, other: Drawn) -> None:
        self.text |= other.text
        self.image |= other.image
        self.text_fonts.update(other.text_fonts)
        self.painting_fonts |= other.painting_fonts


def text(value: pikepdf.Object | None) -> str:
    """A name (without its slash) or a string as text, whatever bytes a damaged file put in
    it; "" for anything else."""
    if isinstance(value, pikepdf.Name):
        try:
            return str(value)[1:]
        except UnicodeDecodeError:  # a name is bytes, not always UTF-8
            return value.unparse().decode("latin-1")[1:]
    if isinstance(value, pikepdf.String):
        return str(value)
    return ""


def object_key(obj: pikepdf.Object) -> FontKey:
    return obj.objgen if obj.is_indirect else (0, id(obj))


def inherited(page: pikepdf.Dictionary, key: str) -> pikepdf.Object | None:
    """A page attribute that may sit on an ancestor in the page tree (Resources, for one)."""
    node = page
    for _ in range(MAX_PARENT_HOPS):
        value = node.get(key)
        if value is not None:
            return value
        node = node.get("/Parent")
        if not isinstance(node, pikepdf.Dictionary):
            return None
    return None


def _shows_glyphs(operator: str, operands: list) -> bool:
    if operator == "TJ":
        array = operands[0] if operands else []
        return any(isinstance(part, pikepdf.String) and len(bytes(part)) for part in array)
    return bool(operands) and isinstance(operands[-1], pikepdf.String) and bool(bytes(operands[-1]))


def _entry(resources: pikepdf.Object, category: str, name: pikepdf.Object) -> pikepdf.Object:
    if not isinstance(resources, pikepdf.Dictionary):
        return None
    entries = resources.get(category)
    if not isinstance(entries, pikepdf.Dictionary) or not isinstance(name, pikepdf.Name):
        return None
    return entries.get(name)


class ContentReader:
    """Reads pages of one document; keeps what each form draws, so a form on every page (a
    letterhead, a footer) is parsed once per render mode."""

    def __init__(self) -> None:
        self._forms: dict[tuple[FontKey, int], Drawn] = {}

    def page(self, page: pikepdf.Page) -> Drawn:
        resources = inherited(page.obj, "/Resources")
        return self._read(page, resources, render_mode=0, depth=0, forms_open=())

    def _read(self, content, resources, *, render_mode: int, depth: int, forms_open) -> Drawn:
        drawn = Drawn()
        font = None
        saved_modes = []
        for operands, operator in pikepdf.parse_content_stream(content, OPERATORS):
            op = str(operator)
            if op in TEXT_SHOWING:
                if not _shows_glyphs(op, operands):
                    continue
                drawn.text = True
                if font is not None:
                    key = object_key(font)
                    drawn.text_fonts[key] = font
                    if render_mode not in INVISIBLE_RENDER_MODES:
                        drawn.painting_fonts.add(key)
            elif op == "Tf" and operands:
                found = _entry(resources, "/Font", operands[0])
                font = found if isinstance(found, pikepdf.Dictionary) else None
            elif op == "Tr" and operands and isinstance(operands[0], int):
                render_mode = operands[0]
            elif op == "q":
                saved_modes.append(render_mode)
            elif op == "Q" and saved_modes:
                render_mode = saved_modes.pop()
            elif op == "INLINE IMAGE":
                drawn.image = True
            elif op == "Do" and operands:
                xobject = _entry(resources, "/XObject", operands[0])
                if isinstance(xobject, pikepdf.Stream):
                    drawn.add(self._xobject(xobject, resources, render_mode, depth, forms_open))
        return drawn

    def _xobject(self, xobject, outer_resources, render_mode, depth, forms_open) -> Drawn:
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            return Drawn(image=True)
        key = object_key(xobject)
        if subtype != "/Form" or depth >= MAX_FORM_DEPTH or key in forms_open:
            return Drawn()
        if (key, render_mode) not in self._forms:
            # A form without resources of its own uses its page's (PDF 1.1 files do this).
            resources = xobject.get("/Resources", outer_resources)
            self._forms[key, render_mode] = self._read(
                xobject,
                resources,
                render_mode=render_mode,
                depth=depth + 1,
                forms_open=(*forms_open, key),
            )
        return self._forms[key, render_mode]


def font_name(font: pikepdf.Dictionary) -> str:
    """The font's name as people know it: without the "ABCDEF+" subset prefix."""
    name = text(font.get("/BaseFont"))
    prefix, plus, rest = name.partition("+")
    if plus and len(prefix) == 6 and prefix.isupper():
        name = rest
    return name or "(unnamed font)"


def _descriptor(font: pikepdf.Dictionary) -> pikepdf.Object | None:
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        if isinstance(descendants, pikepdf.Array) and len(descendants):
            font = descendants[0]
            if not isinstance(font, pikepdf.Dictionary):
                return None
    descriptor = font.get("/FontDescriptor")
    return descriptor if isinstance(descriptor, pikepdf.Dictionary) else None


def is_embedded(font: pikepdf.Dictionary) -> bool:
    """Whether the file carries the font program (a Type 3 font's glyphs are in the file)."""
    if font.get("/Subtype") == "/Type3":
        return True
    descriptor = _descriptor(font)
    return descriptor is not None and any(
        isinstance(descriptor.get(key), pikepdf.Stream)
        for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _glyph_name_has_unicode(name: str) -> bool:
    """Whether a glyph name maps to Unicode by the Adobe Glyph List's rules: a suffix after
    "." is ignored, and each "_"-joined part ("f_i") must map."""
    # The list as pypdf (pinned) keeps it; imported only for the few fonts that need it, as
    # importing pypdf costs more than checking most documents.
    from pypdf._codecs import adobe_glyphs

    parts = name.split(".", 1)[0].split("_")
    return all(f"/{part}" in adobe_glyphs or UNICODE_GLYPH_NAME.match(part) for part in parts)


def maps_to_unicode(font: pikepdf.Dictionary) -> bool:
    """Whether a reader can turn this font's character codes back into Unicode text, by the
    means ISO 32000-1, 9.10.2 lists: a ToUnicode map, a standard encoding, glyph names from
    the Adobe Glyph List, or a CID font of a known Adobe character collection."""
    if isinstance(font.get("/ToUnicode"), pikepdf.Stream):
        return True
    subtype = font.get("/Subtype")
    encoding = font.get("/Encoding")
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or not len(descendants):
            return False
        descendant = descendants[0]
        if not isinstance(descendant, pikepdf.Dictionary):
            return False
        system = descendant.get("/CIDSystemInfo")
        return (
            isinstance(encoding, pikepdf.Name)
            and encoding not in ("/Identity-H", "/Identity-V")
            and isinstance(system, pikepdf.Dictionary)
            and text(system.get("/Registry")) == "Adobe"
            and text(system.get("/Ordering")) in KNOWN_CID_ORDERINGS
        )
    if isinstance(encoding, pikepdf.Name):
        return text(encoding) in STANDARD_ENCODINGS
    if isinstance(encoding, pikepdf.Dictionary):
        base = encoding.get("/BaseEncoding")
        if base is not None and text(base) not in STANDARD_ENCODINGS:
            return False
        differences = encoding.get("/Differences")
        if not isinstance(differences, pikepdf.Array):
            return True  # the base encoding alone
        return all(
            _glyph_name_has_unicode(text(entry))
            for entry in differences
            if isinstance(entry, pikepdf.Name)
        )
    if subtype in ("/Type1", "/MMType1"):
        # No encoding: the font's own, which is the standard Latin one unless it is symbolic
        # (the standard 14 symbol fonts have well-known names too).
        if font_name(font) in STANDARD_14:
            return True
        descriptor = _descriptor(font)
        flags = descriptor.get("/Flags") if descriptor is not None else 0
        return isinstance(flags, int) and not flags & SYMBOLIC_FLAG
    return False
