"""No code but candidacies/transitions.py assigns a candidacy's status: the sources of every package (not tests, not
migrations) are parsed, and each way of writing a `status` is looked for. The field itself is not editable, so no
form or admin page can post it (tests/test_admin_state_writes.py posts one)."""

import ast
from pathlib import Path

import pytest

from candidacies.models import Candidacy
from tests.test_architecture import LAYERS

pytestmark = pytest.mark.sqlite_pass

ROOT = Path(__file__).resolve().parent.parent.parent
THE_WRITER = ROOT / "candidacies" / "transitions.py"
# Writing methods whose keyword `status=` (or `defaults={"status": ...}`) would set it.
WRITING_METHODS = {"update", "create", "update_or_create", "get_or_create", "bulk_update"}


def _names_status(node):
    return isinstance(node, ast.Constant) and node.value == "status"


def status_writes(source, filename="<source>"):
    """The lines where `source` writes a field called status: an assignment to `x.status`, `setattr(x, "status",
    ...)`, `Candidacy(status=...)`, `.update(status=...)` / `.create(...)` / `..._or_create(defaults={"status":
    ...})`, or "status" in a save's update_fields."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        if any(isinstance(target, ast.Attribute) and target.attr == "status" for target in targets):
            found.append(node.lineno)
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        keywords = {keyword.arg: keyword.value for keyword in node.keywords}
        writes = [
            name == "setattr" and len(node.args) > 1 and _names_status(node.args[1]),
            name in {*WRITING_METHODS, Candidacy.__name__} and "status" in keywords,
            isinstance(keywords.get("defaults"), ast.Dict) and any(map(_names_status, keywords["defaults"].keys)),
            name == "save" and any(map(_names_status, ast.walk(keywords.get("update_fields", ast.List([]))))),
        ]
        if any(writes):
            found.append(node.lineno)
    return found


def sources():
    for package in [*LAYERS, "scripts"]:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts and path != THE_WRITER:
                yield path


@pytest.mark.parametrize(
    "line",
    [
        "candidacy.status = Candidacy.Status.SELECTED",
        "setattr(candidacy, 'status', 'selected')",
        "Candidacy.objects.filter(pk=1).update(status='selected')",
        "Candidacy.objects.create(call=call, status='pitched')",
        "Candidacy(call=call, status='pitched')",
        "Candidacy.objects.update_or_create(pk=1, defaults={'status': 'selected'})",
        "candidacy.save(update_fields=['status', 'updated_at'])",
    ],
)
def test_the_scan_finds_each_way_of_writing_a_status(line):
    assert status_writes(line) == [1]


def test_the_scan_leaves_reading_a_status_alone():
    reads = "Candidacy.objects.filter(status='draft').exclude(status='withdrawn')\nif candidacy.status == 'x': pass"
    assert status_writes(reads) == []


def test_no_code_but_the_transition_module_writes_a_candidacys_status():
    writes = {
        str(path.relative_to(ROOT)): lines
        for path in sources()
        if (lines := status_writes(path.read_text(encoding="utf-8"), filename=str(path)))
    }
    assert writes == {}


def test_the_transition_module_is_the_one_that_writes_it():
    assert status_writes(THE_WRITER.read_text(encoding="utf-8")) != []


def test_the_status_is_not_editable_in_any_form():
    assert Candidacy._meta.get_field("status").editable is False
