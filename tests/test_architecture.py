"""The layout of docs/architecture.md, checked: imports go one way only, and no module outgrows one reader.

Each package of the portal has a rank; a module may import from packages of its own rank or a lower one, never
from a higher one. The project package (`maasland`) is the bottom layer: it imports no app.
"""

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_pass

ROOT = Path(__file__).resolve().parent.parent

LAYERS = ["maasland", "mailtemplates", "accounts", "challenges", "candidacies", "jury", "office", "demo"]
"""The import order, bottom first (docs/architecture.md, "Import order")."""

MAX_MODULE_LINES = 600


def source_files(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_packages(path):
    """The top-level packages of ours that a module imports, with the line of each import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                yield top, node.lineno


def import_violations(package):
    rank = LAYERS.index(package)
    return [
        f"{path.relative_to(ROOT)}:{line} imports {imported} (rank {LAYERS.index(imported)} > {rank})"
        for path in source_files(package)
        for imported, line in imported_packages(path)
        if LAYERS.index(imported) > rank
    ]


@pytest.mark.parametrize("package", LAYERS)
def test_a_package_imports_only_from_its_own_layer_or_below(package):
    assert import_violations(package) == []


def test_every_package_of_the_portal_has_a_layer():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests", "bench", "scripts"}
    assert packages == set(LAYERS)


def test_the_import_check_sees_a_backward_import(tmp_path, monkeypatch):
    """The check itself can fail: a model of challenges that imports jury is reported."""
    package = tmp_path / "challenges"
    package.mkdir()
    (package / "models.py").write_text("from jury.models import Score\nimport maasland.clock\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert import_violations("challenges") == [
        f"challenges/models.py:1 imports jury (rank {LAYERS.index('jury')} > {LAYERS.index('challenges')})"
    ]


def test_no_module_of_the_portal_is_longer_than_one_readers_screenful_of_concepts():
    long_modules = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for package in LAYERS
        for path in source_files(package)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert long_modules == []
