"""Layers import one way: the audit core knows nothing of Django or the CMS that stores its
results, and the content and API layers know nothing of audits."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("a11y_tests", {"django", "wagtail", "cms", "pages", "api", "audits"}),
        ("pages", {"audits"}),
        ("api", {"audits"}),
    ],
)
def test_a_layer_does_not_import_the_ones_above_it(package, forbidden):
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules
    for module in modules:
        found = imported_top_level_names(module) & forbidden
        assert not found, f"{module.relative_to(ROOT)} imports {found}"
