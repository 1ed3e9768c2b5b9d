"""The one definition of a generic link text, shared by the CMS and the audit."""

from __future__ import annotations

import pytest

from a11y_tests.own_checks import link_text
from a11y_tests.own_checks.link_text import GENERIC_LINK_TEXTS, is_generic_link_text


@pytest.mark.parametrize(
    "text", ["Click here", "  READ more! ", "download\tthe report", "Learn more…", "here"]
)
def test_generic_texts_are_recognised_whatever_their_case_spacing_and_punctuation(text):
    assert is_generic_link_text(text)


@pytest.mark.parametrize(
    "text", ["Read the overview report", "Summary of findings", "", "click here to apply"]
)
def test_texts_that_name_the_destination_are_not_generic(text):
    assert not is_generic_link_text(text)


def test_the_audit_gives_its_in_page_check_the_same_list():
    (texts,) = link_text.CHECK.args
    assert set(texts) == GENERIC_LINK_TEXTS
