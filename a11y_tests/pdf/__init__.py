"""Accessibility checks of PDF documents, without a browser or Django.

``check_pdf(path_or_bytes)`` checks one file in a child process with a time and memory limit
and returns a :class:`PdfCheckResult`: "passed", "failed" (with findings) or "error" (could
not be checked, and why). Each finding names its WCAG 2.2 success criteria and Matterhorn
condition, explains the problem and whom it affects, and says how to fix it in Word,
LibreOffice and InDesign (``explanations.py``). The checks themselves are in ``checks.py``.
"""

from a11y_tests.pdf.explanations import CHECKS, INFORMATION, VIOLATION, PdfCheck
from a11y_tests.pdf.model import FAILED, NOT_CHECKED, PASSED, PdfCheckResult, PdfFinding
from a11y_tests.pdf.runner import check_pdf

__all__ = [
    "CHECKS",
    "FAILED",
    "INFORMATION",
    "NOT_CHECKED",
    "PASSED",
    "VIOLATION",
    "PdfCheck",
    "PdfCheckResult",
    "PdfFinding",
    "check_pdf",
]
