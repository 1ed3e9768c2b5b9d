"""Files the PDF checker cannot check give a clear reason, in bounded time and memory, and
never an exception; a long document is still checked in full."""

from __future__ import annotations

import resource

import pytest

from a11y_tests.pdf import NOT_CHECKED, PASSED, check_pdf
from tests.a11y import pdfs


def assert_not_checked(result, *words: str) -> None:
    assert result.status == NOT_CHECKED, result.message
    assert result.message.startswith("could not be checked: ")
    for word in words:
        assert word in result.error, result.error
    assert result.findings == [] and result.checked == [] and result.pages is None


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: pdfs.HTML_PAGE, ("web page (HTML)",)),
        (lambda: pdfs.MALFORMED, ("not a readable PDF", "trailer")),
        (lambda: pdfs.truncated(pdfs.good_document()), ("incomplete",)),
        (lambda: pdfs.password_protected(pdfs.good_document()), ("needs a password",)),
        (lambda: b"", ("empty",)),
        (lambda: b"GIF89a" + bytes(100), ("not a PDF", "%PDF-")),
    ],
    ids=["html", "malformed", "truncated", "password", "empty", "image"],
)
def test_a_file_that_cannot_be_checked_says_why(make, words):
    assert_not_checked(check_pdf(make()), *words)


def test_a_malformed_file_is_reported_without_its_path(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdfs.MALFORMED)
    result = check_pdf(path)
    assert_not_checked(result, "not a readable PDF")
    assert str(tmp_path) not in result.error


def test_paths_work_like_bytes(tmp_path):
    path = tmp_path / "review.pdf"
    path.write_bytes(pdfs.good_document())
    assert check_pdf(path).status == PASSED
    assert check_pdf(str(path)).status == PASSED
    assert_not_checked(check_pdf(tmp_path / "missing.pdf"), "no file")
    assert_not_checked(check_pdf(tmp_path), "no file")


def test_a_file_over_the_size_limit_is_not_opened():
    good = pdfs.good_document()
    assert_not_checked(check_pdf(good, max_file_mb=0.01), "larger than 0.01 MB")


def test_a_decompression_bomb_stops_at_the_memory_limit():
    bomb = pdfs.decompression_bomb(size_mb=4096)
    assert len(bomb) < 20_000  # a few kilobytes that inflate to 4 GB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = check_pdf(bomb, memory_limit_mb=512, time_limit_s=30)
    assert_not_checked(result, "more than 512 MB of memory", "decompression bomb")
    assert result.duration_s < 30
    # The bomb went off in the child: this process grew by no more than noise.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # kB


def test_a_check_over_the_time_limit_is_stopped():
    result = check_pdf(pdfs.huge_document(), time_limit_s=0.05)
    assert_not_checked(result, "longer than the limit of 0.05 seconds")
    assert result.duration_s < 5


def test_a_document_of_hundreds_of_pages_is_checked_within_the_limit():
    result = check_pdf(pdfs.huge_document(), time_limit_s=60)
    assert result.status == PASSED, result.message
    assert result.pages == pdfs.HUGE_PAGES
    assert "pdf-bookmarks" in result.checked and "pdf-headings" in result.checked
    assert result.duration_s < 60
