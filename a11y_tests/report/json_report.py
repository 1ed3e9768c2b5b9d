"""results.json: the stable machine-readable record, also read back by --changed-since last-run."""

from __future__ import annotations

import json
from pathlib import Path

FILE_NAME = "results.json"


def write_json(document: dict, report_dir: Path, screenshots: dict[str, bytes]) -> Path:
    path = report_dir / FILE_NAME
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf8")
    return path
