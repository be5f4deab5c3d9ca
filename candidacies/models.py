"""What applicants send: organisations, their candidacies, attachments and submitted versions."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from challenges.models import AttachmentKind, Call, Challenge, Municipality, Persona, ServiceType, ServiceTypePoint
from maasland import clock
from maasland.history import KeptHistoricalRecords

from .enterprise_number import format_enterprise_number


class WebsiteField(models.URLField):
    """A URL field whose forms read 'www.example.be' as https://www.example.be."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


BELGIAN_POSTAL_CODE = RegexValidator(
    r"^[1-9][0-9]{3}\Z",
    _("A Belgian postal code has 4 digits, from 1000 to 9999."),
    code="postal_code",
)


class Organisation(models.Model):
    """An applying organisation, identified by its Belgian enterprise number (KBO), stored as 10 digits."""

    name = models.CharField(_("name"), max_length=200)
    enterprise_number = models.CharField(
        _("enterprise number (KBO)"),
        max_length=10,
        unique=True,
        help_text=_("10 digits, e.g. 0123.456.749; with or without dots and spaces."),
    )
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10, validators=[BELGIAN_POSTAL_CODE])
    city = models.CharField(_("city"), max_length=100)
    website = WebsiteField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = KeptHistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("candidacies:organisation_detail", kwargs={"pk": self.pk})

    @property
    def enterprise_number_display(self):
        return format_enterprise_number(self.enterprise_number)

    def enterprise_number_is_fixed(self):
        """Once a candidacy of the organisation has been submitted, its KBO number decides the jury's conflicts
        of interest: only the call manager can still correct it, with a reason
        (organisations.correct_enterprise_number)."""
        return self.pk is not None and self.candidacies.filter(submitted_at__isnull=False).exists()


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} – {self.organisation}"


class Invitation(models.Model):
    """An e-mail invitation for a second applicant to join an organisation. It works INVITATION_VALID_DAYS after it
    was sent (created_at); inviting the same address again replaces it (candidacies.organisations.invite)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("e-mail address"))
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def expires_at(self):
        return self.created_at + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)

    def has_expired(self, at):
        return at > self.expires_at


class Candidacy(models.Model):
    """A project proposal of one organisation for one call."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        INADMISSIBLE = "inadmissible", _("Inadmissible")
        SHORTLISTED = "shortlisted", _("Shortlisted for the pitches")
        PITCHED = "pitched", _("Pitched")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    SUMMARY_MAX_LENGTH = 1500
    TEXT_MAX_LENGTH = 5000
    BUDGET_MAX = 10_000_000

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("call"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("organisation")
    )
    # Moved only by candidacies.transitions.move (tests/candidacies/test_transitions.py proves no other write).
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    reference = models.CharField(_("reference"), max_length=30, unique=True, null=True, blank=True)

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    challenges = models.ManyToManyField(
        Challenge, blank=True, related_name="candidacies", verbose_name=_("regional challenges")
    )
    personas = models.ManyToManyField(Persona, blank=True, related_name="candidacies", verbose_name=_("personas"))
    service_types = models.ManyToManyField(
        ServiceType, blank=True, related_name="candidacies", verbose_name=_("types of service")
    )
    service_points = models.ManyToManyField(
        ServiceTypePoint, blank=True, related_name="candidacies", verbose_name=_("sub-points of the service types")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="candidacies", verbose_name=_("municipalities served")
    )
    approach = models.TextField(_("approach"), max_length=TEXT_MAX_LENGTH, blank=True)
    collaboration = models.TextField(_("collaboration"), max_length=TEXT_MAX_LENGTH, blank=True)
    expected_participants = models.PositiveIntegerField(
        _("expected number of participants"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    budget = models.DecimalField(
        _("budget asked (euro)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(BUDGET_MAX)],
    )
    budget_breakdown = models.TextField(_("budget breakdown"), max_length=TEXT_MAX_LENGTH, blank=True)
    team = models.TextField(_("team and expertise"), max_length=TEXT_MAX_LENGTH, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    lock_version = models.PositiveIntegerField(_("version of the form"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    changed_since_submission = models.BooleanField(
        _("changed since the last submission"),
        default=False,
        help_text=_("Saved changes that have not been submitted yet; the last submitted version still counts."),
    )

    status_reason = models.TextField(
        _("reason for the status"),
        blank=True,
        help_text=_("Why the candidacy is inadmissible, for example; shown to the applicant."),
    )

    extended_until = models.DateTimeField(
        _("extension until"),
        null=True,
        blank=True,
        help_text=_("A later deadline for this candidacy only, granted by the call manager."),
    )
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("extension granted by"),
    )

    history = KeptHistoricalRecords(
        excluded_fields=["lock_version", "updated_at"],
        m2m_fields=[challenges, personas, service_types, service_points, municipalities],
    )

    class Meta:
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget__gte=0) | models.Q(budget__isnull=True), name="candidacy_budget_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.title}" if self.reference else self.title

    def get_absolute_url(self):
        return reverse("candidacies:candidacy_detail", kwargs={"pk": self.pk})

    def deadline(self):
        """The last second this candidacy can be changed: the call's deadline or its own extension."""
        if self.extended_until and self.extended_until > self.call.deadline:
            return self.extended_until
        return self.call.deadline

    def within_deadline(self, at):
        """Whatever its status: the call takes submissions at `at`, or `at` is on or before this candidacy's own
        extension (the same last-second rule as the call's deadline)."""
        if self.call.accepts_submissions(at):
            return True
        return self.extended_until is not None and clock.on_or_before(at, self.extended_until)

    def accepts_changes(self, at):
        """Drafts and submitted candidacies may change up to the deadline (or the extension)."""
        if self.status not in {self.Status.DRAFT, self.Status.SUBMITTED}:
            return False
        return self.within_deadline(at)

    def time_left(self, at):
        return self.deadline() - at if self.accepts_changes(at) else None


def attachment_path(instance, filename):
    """A path nobody can guess; the original name lives in the database only."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{uuid.uuid4().hex}/{uuid.uuid4().hex}.{extension}"


class AttachmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        ODT = "odt", "ODT"

    CONTENT_TYPES = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt": "application/vnd.oasis.opendocument.text",
    }

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("candidacy")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    requested_kind = models.ForeignKey(
        AttachmentKind,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("document asked for"),
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(
        _("removed at"),
        null=True,
        blank=True,
        help_text=_("Removed by the applicant; the file is kept because a submitted version may refer to it."),
    )

    objects = AttachmentQuerySet.as_manager()
    history = KeptHistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("candidacies:attachment_download", kwargs={"pk": self.candidacy_id, "attachment_pk": self.pk})

    @property
    def content_type(self):
        return self.CONTENT_TYPES[self.kind]


class CandidacyVersion(models.Model):
    """Exactly what was submitted, each time it was submitted: the receipt is printed from this."""

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.PROTECT, related_name="versions", verbose_name=_("candidacy")
    )
    number = models.PositiveIntegerField(_("number"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submission_token = models.UUIDField(_("submission token"))
    content = models.JSONField(_("content"))
    # Written in the submission's own transaction as empty: a version whose receipt has not gone out yet is the
    # outbox, so a crash or a failing mail server after the commit loses no receipt (candidacies.receipts).
    receipt_sent_at = models.DateTimeField(_("receipt mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["candidacy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "number"], name="candidacy_version_number_unique"),
            models.UniqueConstraint(fields=["candidacy", "submission_token"], name="candidacy_version_token_unique"),
        ]

    def __str__(self):
        return f"{self.candidacy} v{self.number}"


class ReferenceSequence(models.Model):
    """The last reference number handed out per call, so a reference is never reused."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="reference_sequence")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference sequence")
        verbose_name_plural = _("reference sequences")

    def __str__(self):
        return f"{self.call}: {self.last_number}"


class ProcedureStep(models.Model):
    """One line of a call's log ("Logboek"): a step of the procedure, who took it, when, the candidacy's status
    before and after (for a move of its state) and why. Written by candidacies.transitions only."""

    class Action(models.TextChoices):
        # The moves of a candidacy's state (candidacies.transitions.TABLE).
        START = "start", _("Candidacy started")
        SUBMIT = "submit", _("Candidacy submitted")
        WITHDRAW = "withdraw", _("Candidacy withdrawn")
        MARK_INADMISSIBLE = "mark_inadmissible", _("Declared inadmissible")
        SHORTLIST = "shortlist", _("Shortlisted for the pitches")
        MARK_PITCHED = "mark_pitched", _("Marked as pitched")
        SEND_DECISION = "send_decision", _("Decision sent")
        REVISE_DECISION = "revise_decision", _("Decision revised after a weerwoord")
        # Steps that leave the candidacy's state as it is, or concern the call as a whole.
        GRANT_EXTENSION = "grant_extension", _("Extension granted")
        DECLARE_CONFLICT = "declare_conflict", _("Conflict of interest recorded")
        WITHDRAW_CONFLICT = "withdraw_conflict", _("Conflict of interest withdrawn")
        CLOSE_ROUND = "close_round", _("Round closed")
        REOPEN_SHEET = "reopen_sheet", _("Score sheet reopened")
        RECORD_DECISION = "record_decision", _("Decision recorded")
        FILE_WEERWOORD = "file_weerwoord", _("Weerwoord filed")
        ASSESS_WEERWOORD = "assess_weerwoord", _("Weerwoord assessed")
        PREPARE_ASSESSMENT = "prepare_assessment", _("Assessment of the weerwoord prepared")
        CONFIRM_ASSESSMENT = "confirm_assessment", _("Assessment of the weerwoord confirmed")
        ASSIGN_SLOT = "assign_slot", _("Pitch slot assigned")
        MOVE_SLOT = "move_slot", _("Moved to another pitch slot")
        RELEASE_SLOT = "release_slot", _("Pitch slot released")
        DELETE_SLOT = "delete_slot", _("Pitch slot deleted")
        SEND_GROUP_MAIL = "send_group_mail", _("Group mail sent")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="procedure_steps", verbose_name=_("call"))
    # A draft may be deleted (CandidacyAdmin): its steps go with it. A submitted candidacy is never deleted.
    candidacy = models.ForeignKey(
        Candidacy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="procedure_steps",
        verbose_name=_("candidacy"),
    )
    action = models.CharField(_("step"), max_length=30, choices=Action.choices)
    from_status = models.CharField(_("status before"), max_length=20, choices=Candidacy.Status.choices, blank=True)
    to_status = models.CharField(_("status after"), max_length=20, choices=Candidacy.Status.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("step of the procedure")
        verbose_name_plural = _("log")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["call", "at"], name="procedurestep_call_at"),
            models.Index(fields=["candidacy", "at"], name="procedurestep_candidacy_at"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class GroupMail(models.Model):
    """One sending of a group mail by the call manager to the contacts of chosen candidacies of a call, with its
    text as sent. `token` comes from the form that was shown, so the same form posted twice is one sending."""

    token = models.CharField(_("sending key"), max_length=64, unique=True, editable=False)
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="group_mails", verbose_name=_("call"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("group mail")
        verbose_name_plural = _("group mails")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.subject


class GroupMailRecipient(models.Model):
    """One address a group mail goes to, about one candidacy: mailed once (`delivered_at` is claimed before the
    mail leaves and given back when the mail server fails)."""

    group_mail = models.ForeignKey(
        GroupMail, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("group mail")
    )
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="+", verbose_name=_("candidacy"))
    email = models.EmailField(_("e-mail address"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_mail", "candidacy", "email"], name="groupmailrecipient_once_per_sending"
            )
        ]

    def __str__(self):
        return self.email
