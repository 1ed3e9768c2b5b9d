"""The frontend talks to the CMS only over HTTP: it must not import the CMS's packages."""

import ast
import os
import subprocess
import sys
from pathlib import Path

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
FORBIDDEN = {"cms", "pages", "api", "django", "wagtail"}


def imported_top_level_names(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_frontend_module_imports_the_cms():
    modules = sorted(FRONTEND.rglob("*.py"))
    assert modules, "frontend package not found"
    for module in modules:
        found = imported_top_level_names(module.read_text()) & FORBIDDEN
        assert not found, f"{module.name} imports {found}"


def test_the_checker_sees_imports():
    assert imported_top_level_names("from pages.models import X\nimport cms.settings") == {
        "pages",
        "cms",
    }


def test_creating_the_app_loads_none_of_the_cms(tmp_path):
    script = (
        "import sys; from frontend import create_app; create_app(); "
        f"print(sorted(n for n in sys.modules if n.split('.')[0] in {sorted(FORBIDDEN)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=FRONTEND.parent,
        env={**os.environ, "FRONTEND_CACHE_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip() == "[]"
