"""Helpers of the security tests: a copy of every row of the portal's own tables, and a savepoint rolled back."""

import contextlib

from django.apps import apps
from django.db import transaction

PORTAL_APPS = ("accounts", "challenges", "candidacies", "jury", "mailtemplates")


def snapshot():
    """Every row of the portal's own tables (not sessions, nor the login-throttling log)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS
    }


def differences(before, after):
    """The tables whose rows changed."""
    return sorted(label for label in before if before[label] != after[label])


@contextlib.contextmanager
def rolled_back():
    """Whatever happens inside is undone: each example or request starts from the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
