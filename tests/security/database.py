"""Helpers of the security tests: every row of the portal's own tables at a moment, and a savepoint rolled back."""

import contextlib

from django.apps import apps
from django.db import connection, transaction

PORTAL_APPS = ("accounts", "challenges", "candidacies", "jury", "mailtemplates")


def _table_text(model):
    """A subquery giving the model's whole table as one text: each row as a JSON array of its columns, in primary
    key order. Any change of any value in any row changes the text."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    if connection.vendor == "postgresql":
        return f"(SELECT string_agg(json_build_array({columns})::text, '|' ORDER BY {key}) FROM {table})"
    return f"(SELECT group_concat(row, '|') FROM (SELECT json_array({columns}) AS row FROM {table} ORDER BY {key}))"


def _portal_models():
    return [model for model in apps.get_models() if model._meta.app_label in PORTAL_APPS]


def snapshot():
    """Every row of the portal's own tables (not sessions, nor the login-throttling log), read in one query: the
    security tests take two per request, and one query per table made them the slowest of the suite."""
    models = _portal_models()
    query = " UNION ALL ".join(f"SELECT {index}, {_table_text(model)}" for index, model in enumerate(models))
    with connection.cursor() as cursor:
        cursor.execute(query)
        texts = dict(cursor.fetchall())
    return {model._meta.label: texts[index] for index, model in enumerate(models)}


def differences(before, after):
    """The tables whose rows changed."""
    return sorted(label for label in before if before[label] != after[label])


@contextlib.contextmanager
def rolled_back():
    """Whatever happens inside is undone: each example or request starts from the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
