"""``a11y-audit --publish-to CMS_URL``: post a run's ``results.json`` to the CMS that stores audits.

One ``multipart/form-data`` request to ``{cms}/audits/results/`` with a bearer token: the
document as the ``results`` part and, when the run kept any, its screenshots as one uncompressed
zip (``screenshots``), each under the name its row gives (``screenshots/…``). The CMS checks the
document against :mod:`a11y_tests.report.json_schema` and stores all of it or nothing.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import httpx

RESULTS_ENDPOINT = "/audits/results/"
TIMEOUT_S = 60


class PublishError(RuntimeError):
    """The CMS could not be reached or refused the results; the message says why."""


def screenshots_zip(document: dict, report_dir: Path) -> bytes | None:
    """The screenshots the rows name and the report directory holds, or None when there are none.
    Stored, not deflated: the images are compressed already."""
    names = sorted({row["screenshot"] for row in document["results"] if row.get("screenshot")})
    files = [name for name in names if (report_dir / name).is_file()]
    if not files:
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in files:
            archive.write(report_dir / name, arcname=name)
    return buffer.getvalue()


def _refusal(response: httpx.Response) -> str:
    """The CMS answers problem+json: its detail and the first reasons it lists."""
    try:
        problem = response.json()
        errors = [error.get("detail", error) for error in (problem.get("errors") or [])[:5]]
        return "; ".join(str(reason) for reason in [problem.get("detail"), *errors] if reason)
    except (ValueError, AttributeError):
        return response.text[:200]


def publish_results(
    cms_url: str, token: str, document: dict, report_dir: Path, *, timeout_s: float = TIMEOUT_S
) -> dict:
    """Post the run; returns the CMS's answer (``{"run": id, …}``), raises PublishError."""
    url = cms_url.rstrip("/") + RESULTS_ENDPOINT
    files = {
        "results": (
            "results.json",
            json.dumps(document, ensure_ascii=False).encode("utf8"),
            "application/json",
        )
    }
    archive = screenshots_zip(document, report_dir)
    if archive is not None:
        files["screenshots"] = ("screenshots.zip", archive, "application/zip")
    try:
        response = httpx.post(
            url, files=files, headers={"Authorization": f"Bearer {token}"}, timeout=timeout_s
        )
    except httpx.HTTPError as error:
        raise PublishError(f"CMS not reachable at {url}: {error}") from error
    if response.status_code != 201:
        raise PublishError(
            f"the CMS at {url} refused the results (HTTP {response.status_code}): "
            f"{_refusal(response)}"
        )
    return response.json()
