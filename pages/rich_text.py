"""The rich text editor's form widget, made safe against input Draftail would never send."""

import nh3
from wagtail.admin.rich_text import DraftailRichTextArea

# What a broken or hand-made post can put where Draftail's JSON belongs.
UNREADABLE_CONTENTSTATE = (ValueError, TypeError, KeyError, AttributeError, IndexError)
# Well-formed markup for Wagtail's HTML reader, which refuses unbalanced tags; it keeps
# only what the field's features allow.
READABLE_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "ul", "ol", "li", "h2", "h3", "h4"}


class CleaningDraftailRichTextArea(DraftailRichTextArea):
    """Draftail posts its content as contentstate JSON. Anything else (raw HTML from a script,
    a mangled request) is read as HTML and cleaned down to the field's features, as pasted
    content is, instead of failing with a server error."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except UNREADABLE_CONTENTSTATE:
            html = nh3.clean(
                str(data.get(name, "")), tags=READABLE_TAGS, attributes={"a": {"href"}}
            )
            data = data.copy()
            data[name] = self.converter.from_database_format(html)
            return super().value_from_datadict(data, files, name)
