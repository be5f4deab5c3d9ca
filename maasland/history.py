"""History that cannot be erased (the author of a history row cannot be deleted, only anonymised), shown in Dutch."""

import datetime

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.template_utils import HistoricalRecordContextHelper

from .clock import BRUSSELS

EMPTY = "—"


class KeptHistoricalRecords(HistoricalRecords):
    """django-simple-history whose `history_user` is PROTECT instead of SET_NULL.

    Deleting a user who ever changed a tracked row is refused (in the admin with Django's own "protected
    objects" page), so every history row keeps naming who acted; `manage.py anonymise_call` is the way to
    remove a person's data, and it keeps the user row under a placeholder name.
    """

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        field = extra.get("history_user")
        if isinstance(field, models.ForeignKey):
            extra["history_user"] = models.ForeignKey(
                field.remote_field.model,
                null=True,
                related_name=field.remote_field.related_name,
                on_delete=models.PROTECT,
                db_constraint=self.user_db_constraint,
            )
        return extra


def readable_value(field, value):
    """A stored value as people read it: a choice's label, Brussels time, yes/no, "—" for nothing."""
    if value is None or value == "" or value == [] or getattr(value, "pk", EMPTY) is None:
        return EMPTY
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return readable_moment(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def readable_moment(value):
    """Brussels wall-clock time, 19-06-2023 14:30 (with the seconds when they matter: 23:59:59)."""
    local = value.astimezone(BRUSSELS)
    return local.strftime("%d-%m-%Y %H:%M:%S" if local.second else "%d-%m-%Y %H:%M")


class ReadableRecordContextHelper(HistoricalRecordContextHelper):
    """The changes of a history row with the fields' Dutch names and readable values (not "not_selected", "None"
    or UTC)."""

    def prepare_delta_change_value(self, change, value):
        prepared = super().prepare_delta_change_value(change, value)
        return readable_value(self.model._meta.get_field(change.field), prepared)


HISTORY_TYPES = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}


class ReadableHistoryMixin:
    """For a SimpleHistoryAdmin: the history page in Dutch, Brussels time, "—" for nothing; the change reasons the
    services write ("submitted", "decision communicated") are msgids, read through gettext."""

    object_history_list_template = "admin/readable_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableRecordContextHelper(self.model, historical_record)

    def render_history_view(self, request, template, context, **kwargs):
        """The list of changes made readable; simple_history's page of one version passes through here too."""
        if "page_obj" not in context:
            return super().render_history_view(request, template, context, **kwargs)
        columns = context.get("history_list_display", [])
        fields = {field.name: field for field in self.model._meta.get_fields() if field.concrete}
        context["history_columns"] = [
            capfirst(fields[name].verbose_name) if name in fields else capfirst(name.replace("_", " "))
            for name in columns
        ]
        for record in context["page_obj"]:
            record.readable_columns = [
                readable_value(fields.get(name), getattr(record, name, None)) for name in columns
            ]
            record.readable_date = readable_moment(record.history_date)
            record.readable_type = HISTORY_TYPES.get(record.history_type, record.history_type)
            record.readable_reason = gettext(record.history_change_reason) if record.history_change_reason else EMPTY
        return super().render_history_view(request, template, context, **kwargs)
