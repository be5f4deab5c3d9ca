"""The call and what it asks for: region, municipalities, challenges, personas and service types."""

import datetime
import re
from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from maasland import clock


class Region(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    province = models.CharField(_("province"), max_length=100)

    class Meta:
        verbose_name = _("working region")
        verbose_name_plural = _("working regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("local government")
        verbose_name_plural = _("local governments")
        ordering = ["region", "position", "name"]

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class TimelineStep:
    key: str
    label: str
    end: datetime.datetime
    when: str
    is_current: bool = False
    is_past: bool = False


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Call(models.Model):
    """One call for proposals (a local addendum): its texts, its dates and its contact."""

    class Phase(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        INTAKE = "intake", _("Candidacies open")
        ASSESSMENT = "assessment", _("Assessment of written proposals")
        PITCHES = "pitches", _("Pitches and jury")
        DECISION = "decision", _("Communication of the decision")
        WEERWOORD = "weerwoord", _("Weerwoord")
        CLOSED = "closed", _("Closed")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="calls", verbose_name=_("region"))
    municipalities = models.ManyToManyField(Municipality, related_name="calls", verbose_name=_("local governments"))
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), unique=True)
    is_published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(
        _("demo copy"), default=False, help_text=_("A copy with shifted dates for trying out the portal.")
    )
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=10,
        default="MAAS",
        help_text=_("Candidacy references read PREFIX-YEAR-NUMBER, e.g. MAAS-2023-007."),
    )
    one_candidacy_per_organisation = models.BooleanField(
        _("one candidacy per organisation"),
        default=True,
        help_text=_(
            "Organisations apply and pitch individually: a second candidacy of the same organisation is refused."
        ),
    )

    intro = models.TextField(_("introduction to the challenges"), blank=True)
    enrichment_intro = models.TextField(_("introduction to the enrichment session"), blank=True)
    enrichment_question = models.TextField(_("question from the enrichment session"), blank=True)
    arena_intro = models.TextField(_("introduction to the arena analysis"), blank=True)
    personas_intro = models.TextField(_("introduction to the personas"), blank=True)
    focus_intro = models.TextField(_("introduction to the reasons for these personas"), blank=True)
    exclusion_intro = models.TextField(_("introduction to the groups not focused on"), blank=True)

    launch_date = models.DateField(_("launch of the addendum"))
    deadline = models.DateTimeField(
        _("deadline for candidacies"),
        help_text=_("The last second at which a candidacy is taken, e.g. 1 June 2023 23:59:59 (Brussels time)."),
    )
    assessment_starts_on = models.DateField(_("assessment of written proposals starts on"))
    assessment_ends_on = models.DateField(_("assessment of written proposals ends on"))
    decisions_before = models.DateField(_("decision communicated before"))
    weerwoord_days = models.PositiveSmallIntegerField(
        _("weerwoord window in days"),
        default=14,
        validators=[MaxValueValidator(365)],
        help_text=_("Days after the communication of a decision during which the applicant may file a weerwoord."),
    )
    weerwoord_assessment = models.CharField(
        _("assessment of a weerwoord"),
        max_length=10,
        choices=[
            ("two_steps", _("In two steps: the call manager prepares it, the chair confirms it")),
            ("one_step", _("In one step: the call manager or the chair alone")),
        ],
        default="two_steps",
        help_text=_("Only a confirmed assessment counts: it is mailed to the applicant and may open a revision."),
    )

    letters_disclose_scores = models.BooleanField(
        _("letters show the average per criterion"),
        default=True,
        help_text=_("Decision letters show the candidacy's average score per criterion."),
    )
    letters_disclose_rank = models.BooleanField(
        _("letters show the rank"),
        default=False,
        help_text=_("Decision letters show the candidacy's rank among all candidacies."),
    )

    jury_requires_two_factor = models.BooleanField(
        _("jury requires two-step verification"),
        default=False,
        help_text=_(
            "Jurors of this call open its jury pages only after a code from their authenticator app (or a recovery "
            "code); those without one set it up first."
        ),
    )

    class JuryAssignment(models.TextChoices):
        EVERY_JUROR = "every_juror", _("every juror without a conflict scores every candidacy")
        ASSIGNED = "assigned", _("each candidacy is scored by the jurors assigned to it")

    jury_assignment = models.CharField(
        _("who scores the written proposals"),
        max_length=20,
        choices=JuryAssignment.choices,
        default=JuryAssignment.EVERY_JUROR,
        help_text=_(
            'For a large call: each candidacy is scored by a few jurors, assigned by the action "Assign the '
            'candidacies of their call to the jury" on the list of jury members. The pitches are always scored by '
            "every juror without a conflict."
        ),
    )
    jurors_per_candidacy = models.PositiveSmallIntegerField(
        _("jurors per candidacy"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("When jurors are assigned: how many jurors without a conflict score each written proposal."),
    )

    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_organisation = models.CharField(_("contact organisation"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["is_demo", "-deadline", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assessment_starts_on__lte=models.F("assessment_ends_on")),
                name="call_assessment_in_order",
            ),
        ]

    def __str__(self):
        return self.full_title

    def get_absolute_url(self):
        return reverse("challenges:call_detail", kwargs={"slug": self.slug})

    @property
    def full_title(self):
        """The call's name as letters and mails print it: 'title – subtitle', or the title alone."""
        return f"{self.title} – {self.subtitle}" if self.subtitle else self.title

    # The clock: every rule below takes the instant it is asked about; Brussels days and the deadline rule come
    # from maasland.clock.

    @property
    def intake_opens_at(self):
        return clock.day_start(self.launch_date)

    def accepts_submissions(self, at):
        """Intake is open from the launch day up to and including the deadline's last second."""
        return self.intake_opens_at <= at and clock.on_or_before(at, self.deadline)

    @cached_property
    def pitch_dates(self):
        return [day.date for day in self.pitch_days.all()]

    def pitches_have_started(self, at):
        """The pitch round starts at the first instant of the first pitch day; a call without pitch days has none."""
        pitch_dates = self.pitch_dates
        return bool(pitch_dates) and at >= clock.day_start(pitch_dates[0])

    def phase(self, at):
        if at < self.intake_opens_at:
            return self.Phase.ANNOUNCED
        if self.accepts_submissions(at):
            return self.Phase.INTAKE
        pitch_dates = self.pitch_dates
        if pitch_dates and at < clock.day_start(pitch_dates[0]):
            return self.Phase.ASSESSMENT
        if pitch_dates and at <= clock.day_end(pitch_dates[-1]):
            return self.Phase.PITCHES
        if at < clock.day_start(self.decisions_before):
            return self.Phase.DECISION
        if at <= self.weerwoord_ends_at:
            return self.Phase.WEERWOORD
        return self.Phase.CLOSED

    @property
    def weerwoord_ends_at(self):
        """The latest moment a weerwoord can still come in: the communication's last day plus the window."""
        last_communication_day = self.decisions_before - datetime.timedelta(days=1)
        return clock.day_end(last_communication_day + datetime.timedelta(days=self.weerwoord_days))

    def timeline(self, at):
        """The steps of the procedure with their dates, the current one marked."""
        pitch_dates = self.pitch_dates
        current = self.phase(at)
        steps = [
            ("launch", _("Launch of the addendum"), self.intake_opens_at, _date(self.launch_date)),
            (self.Phase.INTAKE, _("Deadline for candidacies"), self.deadline, _datetime(self.deadline)),
            (
                self.Phase.ASSESSMENT,
                _("Assessment of written proposals"),
                clock.day_end(self.assessment_ends_on),
                _("weeks of %(weeks)s") % {"weeks": _weeks(self.assessment_starts_on, self.assessment_ends_on)},
            ),
        ]
        if pitch_dates:
            steps.append(
                (self.Phase.PITCHES, _("Pitches and jury"), clock.day_end(pitch_dates[-1]), _day_list(pitch_dates))
            )
        steps += [
            (
                self.Phase.DECISION,
                _("Communication of the decision"),
                clock.day_start(self.decisions_before),
                _("before %(date)s") % {"date": _date(self.decisions_before)},
            ),
            (
                self.Phase.WEERWOORD,
                _("Receiving and assessing the weerwoord"),
                self.weerwoord_ends_at,
                _("until %(days)s days after the communication") % {"days": self.weerwoord_days},
            ),
        ]
        return [
            TimelineStep(
                key=key, label=label, end=end, when=when, is_current=key == current, is_past=end < at and key != current
            )
            for key, label, end, when in steps
        ]

    def next_change(self, at):
        """The first instant after `at` at which `phase` or `timeline` may answer otherwise (None when none is left):
        each step's start and end, the instant after it, and the second after the deadline (a whole second, see
        maasland.clock.on_or_before)."""
        bounds = [step.end for step in self.timeline(at)] + [self.intake_opens_at]
        if self.pitch_dates:
            bounds.append(clock.day_start(self.pitch_dates[0]))
        instants = [moment for bound in bounds for moment in (bound, bound + datetime.timedelta(microseconds=1))]
        instants.append(self.deadline + datetime.timedelta(seconds=1))
        return min((moment for moment in instants if moment > at), default=None)

    def weerwoord_deadline(self, communicated_at):
        """A weerwoord on a decision communicated at `communicated_at` is taken until the last second of the
        window's last day in Brussels, summer time or not."""
        last_day = clock.local_date(communicated_at) + datetime.timedelta(days=self.weerwoord_days)
        return clock.day_end(last_day)

    def time_left(self, at):
        """Time left to submit while intake is open, else None."""
        return self.deadline - at if self.accepts_submissions(at) else None


def _date(day):
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


def _datetime(moment):
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _day_list(days):
    """'19, 21 en 23 juni 2023' when all days share a month, else each day in full."""
    from django.utils.formats import date_format
    from django.utils.text import get_text_list

    if len({(day.year, day.month) for day in days}) == 1:
        numbers = [str(day.day) for day in days]
        return f"{get_text_list(numbers, _('and'))} {date_format(days[-1], 'F Y')}"
    return get_text_list([_date(day) for day in days], _("and"))


def _weeks(first, last):
    from django.utils.formats import date_format
    from django.utils.text import get_text_list

    mondays = []
    day = first - datetime.timedelta(days=first.weekday())
    while day <= last:
        mondays.append(day)
        day += datetime.timedelta(days=7)
    if len({(day.year, day.month) for day in mondays}) == 1:
        return f"{get_text_list([str(day.day) for day in mondays], _('and'))} {date_format(mondays[-1], 'F')}"
    return get_text_list([date_format(day, "MONTH_DAY_FORMAT") for day in mondays], _("and"))


class PitchDay(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="pitch_days", verbose_name=_("call"))
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("pitch day")
        verbose_name_plural = _("pitch days")
        ordering = ["call", "date"]
        constraints = [models.UniqueConstraint(fields=["call", "date"], name="pitch_day_unique_per_call")]

    def __str__(self):
        return _date(self.date)


class Persona(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="personas", verbose_name=_("call"))
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.TextField(_("description"))
    description_is_derived = models.BooleanField(
        _("description derived from the challenges"),
        default=True,
        help_text=_("The persona sheet did not come through; the description is written from what the challenges say."),
    )

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("personas")
        ordering = ["call", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["call", "slug"], name="persona_slug_unique_per_call")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("challenges:persona_detail", kwargs={"call_slug": self.call.slug, "slug": self.slug})


class Challenge(models.Model):
    """A regio-uitdaging: questions for a (grouped) persona, and how recognisable partners found it."""

    SHARE_FIELDS = [  # the scale's order, from not to very recognisable (the addendum lists them otherwise)
        ("share_not_recognisable", _("not recognisable")),
        ("share_less_recognisable", _("less recognisable")),
        ("share_recognisable", _("recognisable")),
        ("share_more_recognisable", _("more recognisable")),
        ("share_very_recognisable", _("very recognisable")),
    ]

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="challenges", verbose_name=_("call"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("Whom the challenge is about, as the addendum says it: “Chadia”, “Marcel, Jordy en Roy”."),
    )
    questions = models.TextField(_("questions"))
    personas = models.ManyToManyField(Persona, related_name="challenges", verbose_name=_("personas"))
    share_recognisable = models.PositiveSmallIntegerField(_("recognisable (%)"), default=0)
    share_more_recognisable = models.PositiveSmallIntegerField(_("more recognisable (%)"), default=0)
    share_very_recognisable = models.PositiveSmallIntegerField(_("very recognisable (%)"), default=0)
    share_less_recognisable = models.PositiveSmallIntegerField(_("less recognisable (%)"), default=0)
    share_not_recognisable = models.PositiveSmallIntegerField(_("not recognisable (%)"), default=0)

    class Meta:
        verbose_name = _("regional challenge")
        verbose_name_plural = _("regional challenges")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="challenge_number_unique_per_call"),
            models.CheckConstraint(
                condition=models.Q(
                    share_recognisable__lte=100,
                    share_more_recognisable__lte=100,
                    share_very_recognisable__lte=100,
                    share_less_recognisable__lte=100,
                    share_not_recognisable__lte=100,
                ),
                name="challenge_shares_at_most_100",
            ),
        ]

    def __str__(self):
        """ "Regio-uitdaging 1: Chadia", since the number alone does not say which challenge it is."""
        return f"{self.title}: {self.name}" if self.name else self.title

    def get_absolute_url(self):
        return reverse("challenges:challenge_detail", kwargs={"call_slug": self.call.slug, "number": self.number})

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.share_total() != 100:
            raise ValidationError(
                _("The recognition shares must add up to 100%%; now they add up to %(total)s%%.")
                % {"total": self.share_total()}
            )

    def share_total(self):
        return sum(getattr(self, field) for field, _label in self.SHARE_FIELDS)

    def shares(self):
        """(key, label, per cent, offset) for each recognition level, for the stacked bar."""
        offset = 0
        result = []
        for field, label in self.SHARE_FIELDS:
            value = getattr(self, field)
            result.append({"key": field.removeprefix("share_"), "label": label, "value": value, "offset": offset})
            offset += value
        return result

    def question_list(self):
        return [question.strip() for question in re.findall(r"[^?]+\?", self.questions)]


class ServiceType(models.Model):
    """A type of service the arena analysis says the region needs."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="service_types", verbose_name=_("call"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("short name"), max_length=150)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("type of service")
        verbose_name_plural = _("types of service")
        ordering = ["call", "position"]

    def __str__(self):
        return self.name


class ServiceTypePoint(models.Model):
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.CASCADE, related_name="points", verbose_name=_("type of service")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("sub-point")
        verbose_name_plural = _("sub-points")
        ordering = ["service_type", "position"]

    def __str__(self):
        return self.text


class CallNote(models.Model):
    """Local input of the addendum: partners' additions, reasons for the personas, groups not focused on."""

    class Kind(models.TextChoices):
        PARTNER_ADDITION = "addition", _("Addition of the partners")
        FOCUS_REASON = "reason", _("Reason for these personas")
        EXCLUSION = "exclusion", _("Not focused on")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="notes", verbose_name=_("call"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("local input")
        verbose_name_plural = _("local input")
        ordering = ["call", "kind", "position"]

    def __str__(self):
        return self.text[:80]


class AttachmentKind(models.Model):
    """A document a call asks applicants to attach (a budget, a CV, a cooperation agreement); required ones must be
    there before a candidacy can be submitted."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attachment_kinds", verbose_name=_("call"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("kind of attachment")
        verbose_name_plural = _("kinds of attachment")
        ordering = ["call", "position", "pk"]

    def __str__(self):
        return self.name
