"""Structural checks on rendered HTML that axe would also flag: ids, headings, landmarks."""

from html.parser import HTMLParser


class Outline(HTMLParser):
    """Collects what the accessibility checks below need from one page."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: list[str] = []
        self.headings: list[int] = []
        self.html_lang = None
        self.landmarks: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.scripts: list[dict] = []
        self.title = ""
        self._in_title = False
        self._link_href = None
        self._link_text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag in ("main", "header", "footer", "nav"):
            self.landmarks.append(tag)
        if tag == "title" and not self.title:
            # Only the document's own title; SVG icons carry <title>s too.
            self._in_title = True
        if tag == "a":
            self._link_href = attributes.get("href")
            self._link_text = ""
        if tag == "script":
            self.scripts.append(attributes)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "a" and self._link_href is not None:
            self.links.append((" ".join(self._link_text.split()), self._link_href))
            self._link_href = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._link_href is not None:
            self._link_text += data


def assert_accessible_structure(html: str, *, banner_first: bool = False) -> Outline:
    """One h1, no skipped heading levels, unique ids, a language, landmarks, a skip link.

    ``banner_first``: a notification banner's h2 (previews) may come before the h1.
    """
    outline = Outline(html)
    assert outline.html_lang, "the page must declare its language"
    assert outline.headings.count(1) == 1, f"expected one h1, got {outline.headings}"
    headings = outline.headings[1:] if banner_first else outline.headings
    assert headings[0] == 1, "the first heading must be the h1"
    for previous, current in zip(headings, headings[1:], strict=False):
        assert current <= previous + 1, f"heading level skipped: {outline.headings}"
    duplicates = {i for i in outline.ids if outline.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert "main" in outline.landmarks and "header" in outline.landmarks
    assert "footer" in outline.landmarks
    assert ("Skip to main content", "#main-content") in outline.links
    assert "main-content" in outline.ids
    assert outline.title.strip(), "the page needs a <title>"
    for text, href in outline.links:
        assert text, f"link to {href} has no text"
    return outline
