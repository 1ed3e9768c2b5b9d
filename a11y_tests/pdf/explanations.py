"""What each PDF check looks for, in words an editor can act on: what is wrong, who it stops,
and how to fix it in the program the document was made in.

One :class:`PdfCheck` per check, in ``CHECKS`` by id. A check names every WCAG 2.2 success
criterion and Matterhorn Protocol 1.1 failure condition it covers; each finding names the one
condition it found. Where Matterhorn has no failure condition a program can test (real text
instead of scanned images, bookmarks), the check names the Matterhorn checkpoint ("08", "27").
"""

from __future__ import annotations

from dataclasses import dataclass

VIOLATION = "violation"  # fails the document
INFORMATION = "information"  # reported, never fails

FIX_PROGRAMS = ("word", "libreoffice", "indesign")


@dataclass(frozen=True)
class PdfCheck:
    """One thing the checker tests, and everything a reader of the report needs to act on it."""

    id: str
    title: str  # what a passing document has, as a heading
    severity: str  # VIOLATION or INFORMATION
    wcag: tuple[str, ...]  # WCAG 2.2 success criteria; empty where only PDF/UA asks for it
    matterhorn: tuple[str, ...]  # failure conditions ("01-005") or a checkpoint ("08")
    explanation: str  # what is wrong and whom it affects
    fixes: dict[str, str]  # program (FIX_PROGRAMS) → how to fix it there


TAGGED = PdfCheck(
    id="pdf-tagged",
    title="The document is tagged",
    severity=VIOLATION,
    wcag=("1.3.1",),
    matterhorn=("01-005", "01-007"),
    explanation=(
        "The PDF has no tags: no record of which text is a heading, a paragraph, a list or a "
        "table, or in what order to read it. Screen readers then read the page as one stream of "
        "text, often in the wrong order, and people who enlarge or reflow text lose the layout. "
        "A tagged PDF whose tags are marked as suspect (unreliable) has the same effect."
    ),
    fixes={
        "word": (
            "Use File > Save As and choose PDF, then Options… and tick 'Document structure tags "
            "for accessibility'. On a Mac choose 'Best for electronic distribution and "
            "accessibility'. Do not use Print > Microsoft Print to PDF: it makes untagged PDFs."
        ),
        "libreoffice": (
            "Use File > Export As > Export as PDF…, and on the General tab tick 'Universal "
            "Accessibility (PDF/UA)' (or at least 'Tagged PDF'). Printing to a PDF printer makes "
            "untagged PDFs."
        ),
        "indesign": (
            "Use File > Export > Adobe PDF and tick 'Create Tagged PDF' (General tab), after "
            "mapping paragraph styles to tags in each style's Export Tagging options."
        ),
    },
)

TITLE = PdfCheck(
    id="pdf-title",
    title="The document has a title",
    severity=VIOLATION,
    wcag=("2.4.2",),
    matterhorn=("06-003", "06-004"),
    explanation=(
        "The PDF has no title that says what it is (or its title is only a file name such as "
        "'Microsoft Word - Document1'). Screen readers announce the title when the document "
        "opens and when people switch between windows; without it, blind and partially sighted "
        "people, and anyone with several documents open, cannot tell which document this is."
    ),
    fixes={
        "word": (
            "Fill in File > Info > Properties > Title with a descriptive title, then save as PDF "
            "again."
        ),
        "libreoffice": (
            "Fill in File > Properties > Description > Title, then export as PDF again."
        ),
        "indesign": (
            "Fill in File > File Info > Basic > Document Title, then export as PDF again."
        ),
    },
)

TITLE_SHOWN = PdfCheck(
    id="pdf-title-shown",
    title="The title is shown instead of the file name",
    severity=VIOLATION,
    wcag=("2.4.2",),
    matterhorn=("07-001", "07-002"),
    explanation=(
        "The PDF does not ask viewers to show its title in the window and tab, so they show the "
        "file name (often something like 'report_v3_final.pdf'). That is what screen readers "
        "announce, so blind and partially sighted people, and people with cognitive impairments "
        "who rely on clear titles, cannot tell what the document is."
    ),
    fixes={
        "word": (
            "Fill in the Title property and use Save As > PDF with 'Document structure tags for "
            "accessibility' ticked (not Print). If it is still missing, set it in Acrobat: File "
            "> Properties > Initial View > Window Options > Show: Document Title."
        ),
        "libreoffice": (
            "In Export as PDF…, open the User Interface tab and tick 'Display document title' "
            "(ticking 'Universal Accessibility (PDF/UA)' also does it)."
        ),
        "indesign": (
            "In Export Adobe PDF, open Advanced and set Accessibility Options > Display Title to "
            "'Document Title'."
        ),
    },
)

LANGUAGE = PdfCheck(
    id="pdf-language",
    title="The document's language is set",
    severity=VIOLATION,
    wcag=("3.1.1",),
    matterhorn=("11-001",),
    explanation=(
        "The PDF does not say which language it is written in, or names it in a form programs "
        "do not understand. Screen readers and read-aloud tools then guess, and may read English "
        "with the pronunciation rules of another language, which makes it hard or impossible to "
        "understand. Braille displays and translation tools rely on it too."
    ),
    fixes={
        "word": (
            "Select all text (Ctrl+A), then Review > Language > Set Proofing Language and choose "
            "the language; set it as the default in File > Options > Language. Save as PDF again."
        ),
        "libreoffice": (
            "Set Tools > Options > Language Settings > Languages > Default languages for "
            "documents, and check Format > Character > Font > Language. Export as PDF again."
        ),
        "indesign": (
            "Set the language in your paragraph styles (Advanced Character Formats > Language) "
            "and in Export Adobe PDF > Advanced > Accessibility Options > Language."
        ),
    },
)

REAL_TEXT = PdfCheck(
    id="pdf-real-text",
    title="Every page has real text",
    severity=VIOLATION,
    wcag=("1.1.1", "1.4.5"),
    matterhorn=("08",),
    explanation=(
        "Some pages are only a picture (usually a scan or a page saved as an image) with no text "
        "behind it. Screen readers find nothing to read there, text cannot be enlarged, reflowed, "
        "searched, copied or translated, and people with dyslexia cannot change its font or "
        "colours."
    ),
    fixes={
        "word": (
            "Export the original Word document with File > Save As > PDF instead of scanning a "
            "printout or inserting pages as pictures. If only a scan exists, retype it or run "
            "text recognition (for example Acrobat's Scan & OCR > Recognize Text) and check the "
            "result."
        ),
        "libreoffice": (
            "Export the original document with File > Export As > Export as PDF… instead of "
            "scanning it or pasting pages in as images."
        ),
        "indesign": (
            "Keep text as live text (do not convert it to outlines or flatten it into images) "
            "and export with File > Export > Adobe PDF. Place scanned pages only with their "
            "text recognised and tagged."
        ),
    },
)

FIGURE_ALT = PdfCheck(
    id="pdf-figure-alt",
    title="Figures have alternative text",
    severity=VIOLATION,
    wcag=("1.1.1",),
    matterhorn=("13-004",),
    explanation=(
        "Some images, charts or diagrams are tagged as figures but have no alternative text. "
        "Screen reader users hear 'graphic' or nothing at all, and miss whatever the picture "
        "shows. Purely decorative images should be marked as decorative instead."
    ),
    fixes={
        "word": (
            "Right-click each picture, choose View Alt Text (or Edit Alt Text) and describe what "
            "it shows, or tick 'Mark as decorative' for decoration. Save as PDF again."
        ),
        "libreoffice": (
            "Right-click each image, choose Properties… > Options and fill in 'Text "
            "Alternative' (called 'Alternative (Text only)' in older versions), or tick "
            "'Decorative'. Export as PDF again."
        ),
        "indesign": (
            "Select each image frame, choose Object > Object Export Options > Alt Text, set Alt "
            "Text Source to Custom and type a description; for decoration choose Tagged PDF > "
            "Apply Tag: Artifact."
        ),
    },
)

HEADINGS = PdfCheck(
    id="pdf-headings",
    title="A document of several pages has headings",
    severity=VIOLATION,
    wcag=("1.3.1", "2.4.6"),
    matterhorn=("14-001",),
    explanation=(
        "The document runs to several pages but has no headings in its tags: text only looks "
        "like headings (large or bold). Screen reader users move through long documents by "
        "jumping from heading to heading; without them they have to listen to everything in "
        "order to find the part they need."
    ),
    fixes={
        "word": (
            "Apply the built-in Heading 1, Heading 2… styles (Home > Styles) to headings instead "
            "of making text big or bold. Save as PDF again."
        ),
        "libreoffice": (
            "Apply the Heading 1, Heading 2… paragraph styles (Styles menu or sidebar) to "
            "headings. Export as PDF again."
        ),
        "indesign": (
            "Map each heading paragraph style to H1, H2… in Paragraph Style Options > Export "
            "Tagging > PDF Tag, and export a tagged PDF."
        ),
    },
)

BOOKMARKS = PdfCheck(
    id="pdf-bookmarks",
    title="A long document has bookmarks",
    severity=VIOLATION,
    wcag=("2.4.5",),
    matterhorn=("27",),
    explanation=(
        "The document is long but has no bookmarks (the clickable table of contents in the "
        "viewer's side panel). People using a keyboard, a screen reader or magnification rely "
        "on bookmarks to find and jump to sections without scrolling through every page."
    ),
    fixes={
        "word": (
            "Use heading styles, then File > Save As > PDF > Options… and tick 'Create bookmarks "
            "using: Headings'."
        ),
        "libreoffice": (
            "Use heading styles, then in Export as PDF… tick 'Export outlines' on the General tab."
        ),
        "indesign": (
            "Create bookmarks (a table of contents with 'Create PDF Bookmarks' ticked, or the "
            "Bookmarks panel) and tick Include: Bookmarks when exporting to Adobe PDF."
        ),
    },
)

FONTS_EMBEDDED = PdfCheck(
    id="pdf-fonts-embedded",
    title="Fonts are embedded",
    severity=VIOLATION,
    wcag=(),  # PDF/UA asks for it; no WCAG criterion does directly
    matterhorn=("31-009",),
    explanation=(
        "Some fonts are not included in the file, so each reader's computer substitutes another "
        "font. Letters can then be missing, shown as boxes or as the wrong symbols, and text "
        "that people enlarge or reflow can become unreadable; assistive technology may read "
        "symbols wrongly."
    ),
    fixes={
        "word": (
            "In File > Save As > PDF > Options… tick 'PDF/A compliant', which embeds every font; "
            "replace fonts whose licence does not allow embedding."
        ),
        "libreoffice": (
            "In Export as PDF… tick 'Archive (PDF/A, ISO 19005)' or 'Universal Accessibility "
            "(PDF/UA)', which embed every font; replace fonts that cannot be embedded."
        ),
        "indesign": (
            "Export with File > Export > Adobe PDF (fonts are embedded unless their licence "
            "forbids it); use Type > Find Font to replace fonts that cannot be embedded."
        ),
    },
)

TEXT_UNICODE = PdfCheck(
    id="pdf-text-unicode",
    title="Text can be read as characters",
    severity=VIOLATION,
    wcag=("1.3.1",),
    matterhorn=("10-001",),
    explanation=(
        "Some text uses fonts with no map from the shapes on the page back to letters. Screen "
        "readers read that text as nonsense or skip it, and it cannot be searched, copied or "
        "reflowed. It usually comes from symbol or decorative fonts, or from printing to PDF "
        "instead of exporting."
    ),
    fixes={
        "word": (
            "Use ordinary Unicode fonts for text (not Symbol or Wingdings), insert symbols with "
            "Insert > Symbol, and use File > Save As > PDF rather than printing to PDF."
        ),
        "libreoffice": (
            "Use ordinary Unicode fonts for text and File > Export As > Export as PDF… rather "
            "than printing to PDF."
        ),
        "indesign": (
            "Replace old symbol or Type 1 fonts with OpenType fonts, do not convert text to "
            "outlines, and export with File > Export > Adobe PDF."
        ),
    },
)

ENCRYPTION = PdfCheck(
    id="pdf-encryption",
    title="Security settings let assistive technology read the text",
    severity=VIOLATION,
    wcag=("1.3.1",),
    matterhorn=("26-002",),
    explanation=(
        "The PDF is protected with settings that forbid access to its text for accessibility. "
        "Screen readers and other assistive technology that respect this setting cannot read "
        "the document at all, so blind and partially sighted people are locked out."
    ),
    fixes={
        "word": (
            "Save as PDF again without ticking 'Encrypt the document with a password' in Options…."
        ),
        "libreoffice": (
            "In Export as PDF… > Security, set no passwords, or keep 'Enable text access for "
            "accessibility tools' ticked."
        ),
        "indesign": (
            "In Export Adobe PDF > Security, untick the permissions password, or keep 'Enable "
            "text access of screen reader devices for the visually impaired' ticked."
        ),
    },
)

PDF_UA = PdfCheck(
    id="pdf-ua-identifier",
    title="PDF/UA conformance claim",
    severity=INFORMATION,
    wcag=(),
    matterhorn=("06-002",),
    explanation=(
        "Whether the file claims to follow PDF/UA, the standard for accessible PDF. The claim "
        "alone proves nothing and is not needed to meet WCAG; it is reported so that a claim "
        "can be checked in full with a PDF/UA validator such as veraPDF or PAC."
    ),
    fixes={
        "word": (
            "Not needed for WCAG. Where your version of Word offers a PDF/UA option in Save As "
            "> PDF > Options…, ticking it writes the claim."
        ),
        "libreoffice": (
            "Tick 'Universal Accessibility (PDF/UA)' in Export as PDF…, which writes the claim "
            "and checks the document as it exports."
        ),
        "indesign": "InDesign does not write the claim; it is not needed for WCAG.",
    },
)

CHECKS: dict[str, PdfCheck] = {
    check.id: check
    for check in (
        TAGGED,
        TITLE,
        TITLE_SHOWN,
        LANGUAGE,
        REAL_TEXT,
        FIGURE_ALT,
        HEADINGS,
        BOOKMARKS,
        FONTS_EMBEDDED,
        TEXT_UNICODE,
        ENCRYPTION,
        PDF_UA,
    )
}
