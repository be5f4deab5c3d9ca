"""A stored text of one kind of e-mail, for one call or (without a call) for the whole portal."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .catalogue import KINDS, kind_choices, problems
from .rendering import default_text, portal_language


class MailTemplate(models.Model):
    """Replaces the default text of its kind: for its call, or portal-wide when it has none. Its placeholders are
    checked when it is saved, so a mail never fails or leaks template code when it is sent."""

    call = models.ForeignKey(
        "challenges.Call",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mail_templates",
        verbose_name=_("call"),
        help_text=_("Empty: the portal-wide text, for every call without a text of its own."),
    )
    kind = models.CharField(_("kind of e-mail"), max_length=40, choices=kind_choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("e-mail text")
        verbose_name_plural = _("e-mail texts")
        ordering = ["call_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "kind"],
                name="mailtemplate_one_per_call_and_kind",
                violation_error_message=_("This call has a text for this kind of e-mail already."),
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(call__isnull=True),
                name="mailtemplate_one_portal_wide_per_kind",
                violation_error_message=_("There is a portal-wide text for this kind of e-mail already."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.call or _('whole portal')}"

    @property
    def spec(self):
        return KINDS.get(self.kind)

    def clean(self):
        """Line ends as Unix writes them; a kind without a call stays portal-wide; every placeholder known and
        every required one present."""
        self.body = self.body.replace("\r\n", "\n").replace("\r", "\n")
        self.subject = " ".join(self.subject.split())
        if self.spec is None:
            return
        errors = {}
        if self.call_id is not None and not self.spec.per_call:
            errors["call"] = [_("This e-mail belongs to no call: leave the call empty.")]
        errors.update(problems(self.kind, subject=self.subject, body=self.body))
        if errors:
            raise ValidationError(errors)

    def restore_default(self):
        """The default text of its kind, in the portal's language."""
        self.subject, self.body = default_text(self.kind, language=portal_language())
