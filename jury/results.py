"""A closed round's result, stored when the chair closes the round (jury.services.close_round, jury.ranking.freeze).

Once a round is closed, every page, export and letter that shows its figures reads these rows, never the live sheets
and conflicts: a conflict declared or set later, or an organisation's corrected KBO number, cannot change what the
jury decided. Such a later conflict is only shown to the chair as a flag (jury.ranking.late_conflicts).

The models are imported by jury/models.py, so Django and the migrations know them as jury's.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundResult(models.Model):
    """The result of one closed round; a closure without one (closed before results were stored) reads live."""

    closure = models.OneToOneField(
        "jury.RoundClosure", on_delete=models.PROTECT, related_name="result", verbose_name=_("closed round")
    )
    stored_at = models.DateTimeField(_("stored at"))

    class Meta:
        verbose_name = _("result of a closed round")
        verbose_name_plural = _("results of closed rounds")

    def __str__(self):
        return str(self.closure)


class RoundResultRow(models.Model):
    """One candidacy's line of the ranking as it stood when the round closed (jury.ranking.RankedCandidacy)."""

    result = models.ForeignKey(RoundResult, on_delete=models.CASCADE, related_name="rows", verbose_name=_("result"))
    candidacy = models.ForeignKey(
        "candidacies.Candidacy", on_delete=models.PROTECT, related_name="+", verbose_name=_("candidacy")
    )
    position = models.PositiveIntegerField(_("position"))
    rank = models.PositiveIntegerField(_("rank"), null=True)
    rank_shared = models.BooleanField(_("rank shared"), default=False)
    mean = models.FloatField(_("mean (0–100)"), null=True)
    jurors_counted = models.PositiveIntegerField(_("jurors counted"), default=0)
    spread = models.FloatField(_("spread"), null=True)
    disagreement = models.BooleanField(_("jurors disagree"), default=False)
    z_mean = models.FloatField(_("mean z-score"), null=True)
    z_rank = models.PositiveIntegerField(_("rank by z-score"), null=True)
    z_rank_shared = models.BooleanField(_("rank by z-score shared"), default=False)

    class Meta:
        verbose_name = _("ranking row of a closed round")
        verbose_name_plural = _("ranking rows of closed rounds")
        ordering = ["result", "position"]
        constraints = [models.UniqueConstraint(fields=["result", "candidacy"], name="round_result_row_unique")]

    def __str__(self):
        return f"{self.result} – {self.candidacy}"


class RoundResultSheet(models.Model):
    """A sheet that counted when the round closed: the juror's total for the candidacy and its z-score."""

    result = models.ForeignKey(RoundResult, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("result"))
    sheet = models.ForeignKey("jury.ScoreSheet", on_delete=models.PROTECT, related_name="+", verbose_name=_("sheet"))
    jury_member = models.ForeignKey(
        "jury.JuryMember", on_delete=models.PROTECT, related_name="+", verbose_name=_("jury member")
    )
    candidacy = models.ForeignKey(
        "candidacies.Candidacy", on_delete=models.PROTECT, related_name="+", verbose_name=_("candidacy")
    )
    total = models.FloatField(_("weighted total (0–100)"))
    z_score = models.FloatField(_("z-score"))

    class Meta:
        verbose_name = _("counted sheet of a closed round")
        verbose_name_plural = _("counted sheets of closed rounds")
        constraints = [models.UniqueConstraint(fields=["result", "sheet"], name="round_result_sheet_unique")]

    def __str__(self):
        return f"{self.result} – {self.sheet}"


class RoundResultConflict(models.Model):
    """A conflict of interest (declared, set, membership or KBO number) as it stood when the round closed."""

    result = models.ForeignKey(
        RoundResult, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("result")
    )
    jury_member = models.ForeignKey(
        "jury.JuryMember", on_delete=models.PROTECT, related_name="+", verbose_name=_("jury member")
    )
    candidacy = models.ForeignKey(
        "candidacies.Candidacy", on_delete=models.PROTECT, related_name="+", verbose_name=_("candidacy")
    )

    class Meta:
        verbose_name = _("conflict at the closing of a round")
        verbose_name_plural = _("conflicts at the closing of rounds")
        constraints = [
            models.UniqueConstraint(fields=["result", "jury_member", "candidacy"], name="round_result_conflict_unique")
        ]

    def __str__(self):
        return f"{self.result} – {self.jury_member} – {self.candidacy}"
