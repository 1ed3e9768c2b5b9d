"""``check_pdf``: check one PDF in a child process with a time and a memory limit, so that no
file (malformed, truncated, encrypted, hundreds of pages, a decompression bomb, an HTML page
saved as .pdf) can crash, hang or exhaust the process that asked.

Files that are plainly not PDFs are answered here without starting a child. The child
(:mod:`a11y_tests.pdf.child`) is a fresh interpreter started with fork and exec, so it is safe
to call from threaded programs (the audit workers, the CMS task worker).
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from a11y_tests.pdf.model import MEMORY_REASON, PdfCheckResult

DEFAULT_TIME_LIMIT_S = 60.0
DEFAULT_MEMORY_LIMIT_MB = 1024
DEFAULT_MAX_FILE_MB = 200
# A PDF's header may follow up to 1 KB of other bytes (ISO 32000-1, annex H).
HEADER_WINDOW = 1024
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding a11y_tests/


def _not_a_pdf(head: bytes) -> str | None:
    """Why these first bytes cannot start a PDF, or None if they can."""
    if b"%PDF-" in head:
        return None
    start = head.lstrip().lower()
    if start.startswith(b"<!doctype html") or b"<html" in start:
        return (
            "it is a web page (HTML), not a PDF; the link may lead to an error or sign-in "
            "page instead of the document"
        )
    return "it is not a PDF (it does not start with %PDF-)"


def _read_head(source: str | os.PathLike | bytes, max_file_mb: float) -> tuple[bytes, str | None]:
    """The file's first bytes, or why it cannot be checked at all."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        size, head = len(source), bytes(source[:HEADER_WINDOW])
    else:
        path = Path(source)
        try:
            if not path.is_file():
                return b"", "there is no file at that path"
            size = path.stat().st_size
            with path.open("rb") as file:
                head = file.read(HEADER_WINDOW)
        except OSError as error:
            return b"", f"the file cannot be read ({error.strerror or error})"
    if size == 0:
        return head, "the file is empty"
    if size > max_file_mb * 1024 * 1024:
        return head, f"it is larger than {max_file_mb:g} MB"
    return head, None


def _child_failure(completed: subprocess.CompletedProcess, memory_limit_mb: int) -> str:
    """Why a child ended without a result: killed for memory, or crashed."""
    stderr = completed.stderr.decode("utf8", "replace")
    if "MemoryError" in stderr or "bad_alloc" in stderr:
        return MEMORY_REASON.format(limit=memory_limit_mb)
    if completed.returncode == -signal.SIGXCPU:
        return "it took too much processing time to check"
    last_line = (stderr.strip().splitlines() or ["no message"])[-1][:300]
    return f"the checker stopped unexpectedly (exit code {completed.returncode}: {last_line})"


def check_pdf(
    source: str | os.PathLike | bytes,
    *,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
) -> PdfCheckResult:
    """Check one PDF, given as a path or as its bytes, within ``time_limit_s`` seconds of wall
    time and ``memory_limit_mb`` of address space. Never raises for anything about the file:
    a file that cannot be checked gives a result with status "error" and the reason."""
    started = time.monotonic()

    def elapsed() -> float:
        return time.monotonic() - started

    head, reason = _read_head(source, max_file_mb)
    reason = reason or _not_a_pdf(head)
    if reason:
        return PdfCheckResult.not_checked(reason, elapsed())

    from_stdin = isinstance(source, (bytes, bytearray, memoryview))
    command = [
        sys.executable,
        "-m",
        "a11y_tests.pdf.child",
        "--memory-limit-mb",
        str(memory_limit_mb),
        "--cpu-limit-s",
        str(math.ceil(time_limit_s) + 1),
        "-" if from_stdin else str(Path(source).resolve()),
    ]
    try:
        completed = subprocess.run(  # noqa: S603 - our own module, with the running interpreter
            command,
            input=bytes(source) if from_stdin else None,
            stdin=None if from_stdin else subprocess.DEVNULL,
            capture_output=True,
            timeout=time_limit_s,
            cwd=PACKAGE_ROOT,  # so that -m finds this package however it is installed
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        return PdfCheckResult.not_checked(
            f"checking it took longer than the limit of {time_limit_s:g} seconds", elapsed()
        )
    try:
        result = PdfCheckResult.from_json(json.loads(completed.stdout))
    except (ValueError, KeyError, TypeError):
        return PdfCheckResult.not_checked(_child_failure(completed, memory_limit_mb), elapsed())
    result.duration_s = round(elapsed(), 3)
    return result
