"""The child process that opens one PDF and checks it, under limits it sets on itself first:
``python -m a11y_tests.pdf.child --memory-limit-mb N --cpu-limit-s N (PATH | -)``, the PDF
read from PATH or from standard input (-). It prints one :class:`PdfCheckResult` as JSON.

Whatever the file does, the answer is a result: a file that needs more memory than the limit
(a decompression bomb) ends as "could not be checked", and so does one pikepdf cannot read.
The parent (:mod:`a11y_tests.pdf.runner`) enforces the time limit and handles a child that dies.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import resource
import sys

import pikepdf

from a11y_tests.pdf.checks import run_checks
from a11y_tests.pdf.model import MEMORY_REASON, PdfCheckResult

TRAILER_LOST = "unable to find trailer dictionary"  # qpdf's words for a file cut short


def limit_self(memory_limit_mb: int, cpu_limit_s: int) -> None:
    """Address space and CPU time caps: the kernel stops this process, not the machine, if a
    file asks for more. The CPU cap backs up the parent's timeout should the parent die."""
    memory = memory_limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit_s, cpu_limit_s + 1))


def check_source(source: str | io.BytesIO, memory_limit_mb: int) -> PdfCheckResult:
    """Open and check one PDF (a path or the bytes of one); never raises."""
    try:
        pdf = pikepdf.open(source)
    except pikepdf.PasswordError:
        return PdfCheckResult.not_checked(
            "it needs a password to open, so only people who have the password can read it"
        )
    except MemoryError:
        return PdfCheckResult.not_checked(MEMORY_REASON.format(limit=memory_limit_mb))
    except Exception as error:  # noqa: BLE001 - any unreadable file is an answer, not a crash
        return PdfCheckResult.not_checked(f"it is not a readable PDF ({_message(error, source)})")
    with pdf:
        if any(TRAILER_LOST in warning for warning in pdf.get_warnings()):
            # qpdf rebuilt what it could, but the document's information (title and all)
            # was at the end, so the checks would report on a different document.
            return PdfCheckResult.not_checked(
                "it is incomplete: the end of the file is missing, as when a download or "
                "upload is cut off"
            )
        try:
            if not len(pdf.pages):
                return PdfCheckResult.not_checked("it has no pages")
            return run_checks(pdf)
        except MemoryError:
            return PdfCheckResult.not_checked(MEMORY_REASON.format(limit=memory_limit_mb))
        except Exception as error:  # noqa: BLE001 - damage found while checking
            # qpdf turns a failed allocation while inflating a stream into a warning and a
            # decoding error: that is the memory limit stopping a decompression bomb.
            if any("bad_alloc" in warning for warning in pdf.get_warnings()):
                return PdfCheckResult.not_checked(MEMORY_REASON.format(limit=memory_limit_mb))
            if isinstance(error, pikepdf.PdfError):
                return PdfCheckResult.not_checked(f"it is damaged ({_message(error, source)})")
            return PdfCheckResult.not_checked(
                f"the checker could not read it ({type(error).__name__}: {_message(error, source)})"
            )


def _message(error: Exception, source: str | io.BytesIO) -> str:
    """The error's first line, without the file's path or stream name qpdf puts first."""
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else type(error).__name__
    name = re.escape(source) if isinstance(source, str) else r"stream <[^>]*>"
    return re.sub(rf"^{name}(?: \([^)]*\))?: ", "", text)[:300]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m a11y_tests.pdf.child")
    parser.add_argument("--memory-limit-mb", type=int, required=True)
    parser.add_argument("--cpu-limit-s", type=int, required=True)
    parser.add_argument("source", help="path of the PDF, or - to read it from standard input")
    args = parser.parse_args(argv)
    limit_self(args.memory_limit_mb, args.cpu_limit_s)
    source = io.BytesIO(sys.stdin.buffer.read()) if args.source == "-" else args.source
    result = check_source(source, args.memory_limit_mb)
    json.dump(result.to_json(), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
