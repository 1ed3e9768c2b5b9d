"""The editor's page forms."""

from django.forms.forms import NON_FIELD_ERRORS
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page


class EditorPageForm(WagtailAdminPageForm):
    """A page form whose error banner says which tab holds a field in error.

    Wagtail highlights a field in error only on its own tab, so an editor who presses
    Publish on the Content tab and is refused because of, say, the slug on the Promote tab
    sees nothing wrong. A form with errors outside the first tab gains a line naming each
    such tab and field, and Wagtail's banner then lists every error under its field's label.
    """

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        on_other_tabs = self._errors_on_other_tabs()
        for tab, labels in on_other_tabs.items():
            self.add_error(None, f"The {tab} tab has a problem with {_and_list(labels)}.")
        if on_other_tabs:
            # Where to look comes first in the banner, then each field's own error.
            field_errors = {k: v for k, v in self._errors.items() if k != NON_FIELD_ERRORS}
            for name in field_errors:
                del self._errors[name]
            self._errors.update(field_errors)

    def _errors_on_other_tabs(self):
        """``{tab heading: [labels of its fields in error]}`` for every tab but the first."""
        field_names = [name for name in self.errors if name != NON_FIELD_ERRORS]
        if not field_names:
            return {}
        tabs = type(self.instance).get_edit_handler().children[1:]
        found = {}
        for tab in tabs:
            tab_fields = set(tab.get_form_options().get("fields", []))
            labels = [self[name].label for name in field_names if name in tab_fields]
            if labels:
                found[str(tab.heading)] = labels
        return found


def _and_list(words):
    """Labels joined for a sentence: "Slug", "Slug and Title", "Slug, Title and Summary"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class ReviewPageForm(EditorPageForm):
    """A review's slug comes from its subject ("child-b"), not its long title.

    The admin's slug syncing follows the subject field while the editor types (see
    ``ReviewPage.content_panels``); a slug left empty is made here the same way, numbered
    ("child-b-2") when a sibling already has it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = (
                "The last part of the review's web address. Leave empty to make it from the "
                "subject, e.g. 'child-b'."
            )

    def clean(self):
        subject_slug = slugify(self.cleaned_data.get("subject") or "")
        if "slug" in self.cleaned_data and not self.cleaned_data["slug"] and subject_slug:
            self.cleaned_data["slug"] = self._free_slug(subject_slug)
        return super().clean()  # Wagtail's own check that the slug is free comes after

    def _free_slug(self, base):
        candidate, number = base, 1
        while not Page._slug_is_available(candidate, self.parent_page, self.instance):
            number += 1
            candidate = f"{base}-{number}"
        return candidate
