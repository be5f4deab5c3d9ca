"""Changes to the stored e-mail texts. Who may change which text is decided here, for the admin and any other caller:
the texts of the mails that carry a login link or a token (`Kind.superusers_only`) are a superuser's alone, so a
call manager's account, or someone who took it over, cannot rewrite where a reset or an invitation leads."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .catalogue import KINDS


def may_change(user, kind):
    """True if `user` may write a text of this kind (the admin checks the model permission besides)."""
    spec = KINDS.get(kind)
    return user.is_superuser or spec is None or not spec.superusers_only


def _check(template, by):
    kinds = {template.kind}
    if template.pk is not None:
        kinds.add(type(template).objects.filter(pk=template.pk).values_list("kind", flat=True).first())
    if not all(may_change(by, kind) for kind in kinds if kind):
        raise PermissionDenied


@transaction.atomic
def save_text(template, *, by):
    """Checks who writes and what the text holds (MailTemplate.clean: placeholders, no link of its own), then saves."""
    _check(template, by)
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def restore_default(template, *, by):
    """Puts the default text of its kind back, recorded in its history."""
    _check(template, by)
    template.restore_default()
    template._change_reason = "default restored"
    template.save()
    return template


@transaction.atomic
def delete_text(template, *, by):
    """Removes the text: its kind's default (or the portal-wide text) is sent again."""
    _check(template, by)
    template.delete()
