"""Who scores which written proposal when a call assigns its jurors (Call.jury_assignment "assigned").

One row per juror and candidacy, for the written round; the pitches are scored by every juror without a conflict.
Rows are written only by jury/assigning.py. The models are imported by jury/models.py, so Django and the migrations
know them as jury's.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """The juror scores this candidacy's written proposal (when the call assigns its jurors)."""

    jury_member = models.ForeignKey(
        "jury.JuryMember", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("jury member")
    )
    candidacy = models.ForeignKey(
        "candidacies.Candidacy", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("candidacy")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["candidacy__reference", "jury_member__user__full_name"]
        constraints = [models.UniqueConstraint(fields=["jury_member", "candidacy"], name="assignment_unique_pair")]

    def __str__(self):
        return f"{self.jury_member.user} – {self.candidacy}"
