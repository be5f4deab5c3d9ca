"""History that cannot be erased: the author of a history row cannot be deleted, only anonymised."""

from django.db import models
from simple_history.models import HistoricalRecords


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
