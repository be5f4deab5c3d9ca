"""What the jury does with the candidacies: members, conflicts, criteria, scores, pitch slots, decisions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidacies.enterprise_number import normalise_enterprise_number
from candidacies.models import Candidacy, Organisation
from challenges.models import Call
from maasland import clock
from maasland.history import KeptHistoricalRecords


class Round(models.TextChoices):
    WRITTEN = "written", _("Written proposals")
    PITCH = "pitch", _("Pitches")


class JuryMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        DEPUTY = "deputy", _("Deputy chair")
        MEMBER = "member", _("Member")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="jury_members", verbose_name=_("call"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    enterprise_numbers = models.TextField(
        _("enterprise numbers of the juror's organisations"),
        blank=True,
        help_text=_(
            "KBO numbers of organisations the juror works for or with, one per line: candidacies of these "
            "organisations are marked as a conflict of interest automatically."
        ),
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)

    history = KeptHistoricalRecords()

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        ordering = ["call", "role", "user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="jury_member_unique_per_call"),
            # One chair, and at most one deputy, per call (jury/roles.py).
            models.UniqueConstraint(
                fields=["call"],
                condition=models.Q(role="chair"),
                name="jury_one_chair_per_call",
                violation_error_message=_("This call's jury has a chair already."),
            ),
            models.UniqueConstraint(
                fields=["call"],
                condition=models.Q(role="deputy"),
                name="jury_one_deputy_per_call",
                violation_error_message=_("This call's jury has a deputy chair already."),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display().lower()})"

    def save(self, *args, **kwargs):
        """The numbers stay as typed here; their normalised form is kept in JuryMemberEnterpriseNumber, where the
        conflict rule (queries.conflict_exists) joins them with the organisations."""
        numbers = set(self.enterprise_number_list())
        adding = self._state.adding
        update_fields = kwargs.get("update_fields")
        with transaction.atomic():
            super().save(*args, **kwargs)
            if update_fields is None or "enterprise_numbers" in update_fields:
                self._keep_enterprise_numbers(numbers, adding)

    @property
    def is_chair(self):
        return self.role == self.Role.CHAIR

    @property
    def is_deputy(self):
        return self.role == self.Role.DEPUTY

    def clean(self):
        super().clean()
        self.enterprise_numbers = "\n".join(self.enterprise_number_list())

    def _keep_enterprise_numbers(self, numbers, adding):
        existing = set()
        if not adding:
            stored = self.declared_enterprise_numbers.all()
            stored.exclude(organisation_id__in=numbers).delete()
            existing = set(stored.values_list("organisation_id", flat=True))
        JuryMemberEnterpriseNumber.objects.bulk_create(
            [
                JuryMemberEnterpriseNumber(jury_member=self, organisation_id=number)
                for number in sorted(numbers - existing)
            ]
        )

    def enterprise_number_list(self):
        """The declared KBO numbers, normalised to 10 digits; a wrong one is a ValidationError at the field."""
        numbers = []
        for line in self.enterprise_numbers.replace(",", "\n").splitlines():
            if line.strip():
                try:
                    numbers.append(normalise_enterprise_number(line))
                except ValidationError as error:
                    raise ValidationError({"enterprise_numbers": error.messages}) from error
        return numbers


class JuryMemberEnterpriseNumber(models.Model):
    """One KBO number of a juror's profile, normalised: a candidacy of the organisation with this number is a
    conflict of interest. Kept by JuryMember.save() from the typed `enterprise_numbers`, never edited itself.

    The number is a key into Organisation.enterprise_number without a database constraint, so that the rule is a
    join, while a number of an organisation that has not applied (yet) is kept as well."""

    jury_member = models.ForeignKey(
        JuryMember, on_delete=models.CASCADE, related_name="declared_enterprise_numbers", verbose_name=_("jury member")
    )
    organisation = models.ForeignKey(
        Organisation,
        to_field="enterprise_number",
        db_column="enterprise_number",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("enterprise number"),
    )

    class Meta:
        verbose_name = _("enterprise number of a jury member")
        verbose_name_plural = _("enterprise numbers of jury members")
        constraints = [
            models.UniqueConstraint(fields=["jury_member", "organisation"], name="jury_member_enterprise_number_unique")
        ]

    def __str__(self):
        return f"{self.jury_member.user} – {self.organisation_id}"


class Conflict(models.Model):
    """A conflict of interest of one juror for one candidacy, declared by the juror or set by the manager."""

    class Source(models.TextChoices):
        DECLARED = "declared", _("Declared by the juror")
        MANAGER = "manager", _("Set by the call manager")

    jury_member = models.ForeignKey(
        JuryMember, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("jury member")
    )
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("candidacy")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = KeptHistoricalRecords()

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["jury_member", "candidacy"], name="conflict_unique_per_juror_candidacy")
        ]

    def __str__(self):
        return f"{self.jury_member.user} – {self.candidacy}"


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    round = models.CharField(_("round"), max_length=10, choices=Round.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description shown to jurors"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0.01)]
    )
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)

    history = KeptHistoricalRecords()

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["call", "round", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_ok"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """A new criterion changes the round's Σ weight, so every sheet's stored total of the round is computed
        again (jury/scoring.py); weights and scales no longer change once the round has scores."""
        super().save(*args, **kwargs)
        from .scoring import store_round_totals

        store_round_totals(self.call_id, self.round)

    def clean(self):
        """Weights and scales are fixed once the round has scores: changing them would change every total."""
        super().clean()
        if self.pk is None:
            return
        stored = Criterion.objects.filter(pk=self.pk).values("weight", "scale_min", "scale_max").first()
        changed = stored and (stored["weight"], stored["scale_min"], stored["scale_max"]) != (
            self.weight,
            self.scale_min,
            self.scale_max,
        )
        has_scores = Score.objects.filter(
            criterion__call_id=self.call_id, criterion__round=self.round, value__isnull=False
        ).exists()
        if changed and has_scores:
            raise ValidationError(
                {"weight": _("This round already has scores: its weights and scales can no longer change.")}
            )


class RoundClosure(models.Model):
    """A scoring round the chair has closed: its scores are locked."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="round_closures", verbose_name=_("call"))
    round = models.CharField(_("round"), max_length=10, choices=Round.choices)
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("closed by")
    )
    reason = models.TextField(
        _("reason to close anyway"),
        blank=True,
        help_text=_(
            "Given by the chair when the round was closed with score sheets outstanding or pitch days to come."
        ),
    )

    class Meta:
        verbose_name = _("closed round")
        verbose_name_plural = _("closed rounds")
        constraints = [models.UniqueConstraint(fields=["call", "round"], name="round_closed_once")]

    def __str__(self):
        return f"{self.call} – {self.get_round_display()}"


class ScoreSheet(models.Model):
    """One juror's assessment of one candidacy in one round: a score per criterion and an overall comment."""

    jury_member = models.ForeignKey(
        JuryMember, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("jury member")
    )
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("candidacy")
    )
    round = models.CharField(_("round"), max_length=10, choices=Round.choices)
    overall_comment = models.TextField(_("overall comment"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    total = models.FloatField(
        _("weighted total (0–100)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Computed from the scores when they are saved (jury/scoring.py); empty without any score."),
    )

    history = KeptHistoricalRecords()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["jury_member", "candidacy", "round"], name="score_sheet_unique")]

    def __str__(self):
        return f"{self.jury_member.user} – {self.candidacy} ({self.get_round_display()})"

    def get_absolute_url(self):
        return reverse("jury:score_sheet", kwargs={"pk": self.candidacy_id, "round": self.round})

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Score(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.PROTECT, related_name="scores", verbose_name=_("score sheet")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    history = KeptHistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class PitchSlot(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="pitch_slots", verbose_name=_("call"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    candidacy = models.OneToOneField(
        Candidacy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pitch_slot",
        verbose_name=_("candidacy"),
    )

    history = KeptHistoricalRecords()

    class Meta:
        verbose_name = _("pitch slot")
        verbose_name_plural = _("pitch slots")
        ordering = ["call", "starts_at", "place"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="pitch_slot_ends_after_start"
            )
        ]

    def __str__(self):
        from django.utils import timezone
        from django.utils.formats import date_format

        start = timezone.localtime(self.starts_at)
        return f"{date_format(start, 'DATETIME_FORMAT')}–{timezone.localtime(self.ends_at):%H:%M} {self.place}".strip()

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                raise ValidationError({"ends_at": _("A slot ends after it starts.")})
            overlapping = PitchSlot.objects.filter(
                call_id=self.call_id, place=self.place, starts_at__lt=self.ends_at, ends_at__gt=self.starts_at
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(
                    {"starts_at": _("This slot overlaps %(slot)s at the same place.") % {"slot": overlapping.first()}}
                )


def pitch_released_reason(candidacy):
    """The history's reason on the row of a slot that let its candidacy go: the cancellation the .ics counts."""
    return f"{candidacy.reference} released"


class Unavailability(models.Model):
    """A moment a shortlisted applicant said they cannot come to pitch."""

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="unavailabilities", verbose_name=_("candidacy")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        ordering = ["candidacy", "starts_at"]

    def __str__(self):
        return f"{self.candidacy}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class Decision(models.Model):
    """The jury's deliberated decision on one candidacy, recorded by the chair."""

    class Outcome(models.TextChoices):
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    candidacy = models.OneToOneField(
        Candidacy, on_delete=models.PROTECT, related_name="decision", verbose_name=_("candidacy")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    motivation = models.TextField(_("motivation"), max_length=10000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    communicated_at = models.DateTimeField(_("communicated at"), null=True, blank=True)
    revised_at = models.DateTimeField(_("revised at"), null=True, blank=True)
    without_pitch_reason = models.TextField(
        _("reason to select without a pitch"),
        blank=True,
        help_text=_("Why the jury selects a candidacy that did not pitch; required for that, empty otherwise."),
    )

    history = KeptHistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["candidacy"]

    def __str__(self):
        return f"{self.candidacy}: {self.get_outcome_display()}"

    def weerwoord_deadline(self):
        """The last second to file a weerwoord, or None before the decision is communicated."""
        if self.communicated_at is None:
            return None
        return self.candidacy.call.weerwoord_deadline(self.communicated_at)

    def accepts_weerwoord(self, at):
        deadline = self.weerwoord_deadline()
        return deadline is not None and self.communicated_at <= at and clock.on_or_before(at, deadline)


def letter_path(instance, filename):
    import uuid

    return f"letters/{uuid.uuid4().hex}/{uuid.uuid4().hex}.pdf"


class DecisionLetter(models.Model):
    """A letter made for a decision; a revised decision gets a new letter and the old one stays."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="letters", verbose_name=_("decision"))
    number = models.PositiveSmallIntegerField(_("number"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Decision.Outcome.choices)
    file = models.FileField(_("file"), upload_to=letter_path, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Empty while the letter's mail is owed: the outbox of jury.tasks.mail_letter, stamped as the mail leaves.
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["decision", "number"]
        constraints = [models.UniqueConstraint(fields=["decision", "number"], name="decision_letter_number_unique")]

    def __str__(self):
        return f"{self.decision.candidacy.reference} – {self.number}"


def weerwoord_path(instance, filename):
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"weerwoorden/{uuid.uuid4().hex}/{uuid.uuid4().hex}.{extension}"


class Weerwoord(models.Model):
    """The applicant's written response to a communicated decision, and the staff's assessment of it."""

    class Assessment(models.TextChoices):
        FOUNDED = "founded", _("Founded")
        UNFOUNDED = "unfounded", _("Unfounded")

    TEXT_MAX_LENGTH = 5000

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="weerwoord", verbose_name=_("decision")
    )
    text = models.TextField(_("weerwoord"), max_length=TEXT_MAX_LENGTH)
    attachment = models.FileField(_("attachment"), upload_to=weerwoord_path, blank=True, max_length=255)
    attachment_name = models.CharField(_("file name"), max_length=150, blank=True)
    attachment_kind = models.CharField(_("type"), max_length=10, blank=True)
    attachment_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    attachment_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    assessment = models.CharField(_("assessment"), max_length=10, choices=Assessment.choices, blank=True)
    assessment_motivation = models.TextField(_("motivation of the assessment"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    # In a call that assesses in two steps the call manager prepares the assessment here; the fields above hold it
    # once the chair has confirmed it, and only those count (jury.communication).
    proposed_assessment = models.CharField(
        _("prepared assessment"), max_length=10, choices=Assessment.choices, blank=True
    )
    proposed_motivation = models.TextField(_("prepared motivation"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    proposed_at = models.DateTimeField(_("prepared at"), null=True, blank=True)

    history = KeptHistoricalRecords()

    class Meta:
        verbose_name = _("weerwoord")
        verbose_name_plural = _("weerwoorden")
        ordering = ["-filed_at"]

    def __str__(self):
        """The title people read: the candidacy and the Brussels date it was filed on, as 12-07-2023."""
        return _("Weerwoord on %(candidacy)s, filed on %(date)s") % {
            "candidacy": self.decision.candidacy,
            "date": f"{clock.local_date(self.filed_at):%d-%m-%Y}",
        }

    def awaits_confirmation(self):
        """A prepared assessment that the chair has not confirmed yet."""
        return self.proposed_at is not None and (self.assessed_at is None or self.assessed_at < self.proposed_at)


class ReminderSent(models.Model):
    """A reminder digest that went out, so a second run of the daily command on the same day, with nothing
    changed, sends nothing again."""

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+", verbose_name=_("call"))
    recipient = models.EmailField(_("recipient"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.recipient} – {clock.local_date(self.sent_at):%d-%m-%Y}"


# The assignments, a closed round's stored result and the jurors' calendar feeds live in their own modules; imported
# here so that Django knows their models.
from .assignments import Assignment  # noqa: E402, F401
from .feeds import CalendarFeed  # noqa: E402, F401
from .results import RoundResult, RoundResultConflict, RoundResultRow, RoundResultSheet  # noqa: E402, F401
