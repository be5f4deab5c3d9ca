"""The mail app owns the catalogue, and each app declares its own kinds: the mail app imports no app that sends."""

import ast
from pathlib import Path

import pytest

import mailtemplates
from mailtemplates.catalogue import KINDS, Kind, register

pytestmark = pytest.mark.sqlite_pass

SENDING_APPS = {"accounts", "challenges", "candidacies", "jury", "demo"}


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_the_mail_app_imports_no_app_that_sends():
    package = Path(mailtemplates.__file__).parent
    found = {
        f"{path.relative_to(package)}: {module}"
        for path in package.rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in SENDING_APPS
    }
    assert found == set()


def test_every_app_registers_its_kinds_in_the_order_of_the_apps():
    assert list(KINDS) == [
        "signup_confirmation",
        "signup_already_registered",
        "password_reset",
        "organisation_invitation",
        "receipt",
        "extension_granted",
        "candidacy_inadmissible",
        "withdrawal_confirmed",
        "group_mail",
        "jury_invitation_new_account",
        "jury_invitation_existing_account",
        "pitch_invitation",
        "pitch_update",
        "pitch_cancellation",
        "decision_letter",
        "decision_letter_revised",
        "weerwoord_received",
        "weerwoord_to_assess",
        "weerwoord_assessed_founded",
        "weerwoord_assessed_unfounded",
        "reminders_digest",
    ]


def test_a_second_kind_under_a_taken_key_is_refused():
    taken = KINDS["receipt"]
    other = Kind(taken.key, taken.label, taken.subject_template, taken.body_template, ("naam",))
    with pytest.raises(ValueError, match="receipt"):
        register(other)
    assert KINDS["receipt"] is taken
