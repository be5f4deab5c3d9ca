"""What the call manager still has to do about decisions and weerwoorden: one summary per call, computed from the
state and the clock only, for the admin dashboard and for the daily reminder mail.

The reminder's subject, body and Message-ID are a pure function of the state and the day in Brussels, and each
Message-ID sent is logged (ReminderSent): a second run on the same day with nothing changed sends nothing, while a
change of state still goes out the same day.
"""

import datetime
import hashlib
import logging
import smtplib
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import ngettext

from candidacies.models import Candidacy
from challenges.models import Call
from jury.models import Decision, ReminderSent, Weerwoord
from jury.roles import call_managers
from jury.services import DECIDABLE
from maasland import clock
from maasland.clock import BRUSSELS
from mailtemplates.rendering import call_values, compose, portal_url
from mailtemplates.sending import message, send_claimed

logger = logging.getLogger(__name__)

# A weerwoord window that ends within this time is announced in the reminder.
CLOSING_SOON = datetime.timedelta(days=2)


@dataclass(frozen=True)
class DueSummary:
    """What is due for one call at one moment."""

    call: Call
    at: datetime.datetime
    communication_open: bool  # intake closed and the decisions_before day not yet begun
    days_left: int  # whole days from today (Brussels) until decisions_before
    unsent: list = field(default_factory=list)  # recorded decisions not communicated yet
    undecided_count: int = 0  # candidacies waiting for a decision
    closing: list = field(default_factory=list)  # (decision, deadline): window ends within CLOSING_SOON
    unassessed: list = field(default_factory=list)  # weerwoorden without assessment

    @property
    def days_left_text(self):
        """'nog 12 dagen tot 15 juli 2023'."""
        return ngettext("%(count)d day left until %(date)s", "%(count)d days left until %(date)s", self.days_left) % {
            "count": self.days_left,
            "date": date_format(self.call.decisions_before, "DATE_FORMAT"),
        }

    @property
    def deliberation_over(self):
        """After the last pitch day a candidacy without a decision is late, not just in progress."""
        return self.call.phase(self.at) == Call.Phase.DECISION

    @property
    def undecided_due(self):
        return self.undecided_count if self.communication_open and self.deliberation_over else 0

    @property
    def is_due(self):
        """Anything the reminder mail has to tell; nothing due means no mail."""
        return bool(self.unsent or self.undecided_due or self.closing or self.unassessed)

    @property
    def unsent_admin_url(self):
        return decision_changelist_url(self.call, communicated="no")

    @property
    def undecided_admin_url(self):
        return undecided_changelist_url(self.call)


def decision_changelist_url(call, **filters):
    query = urlencode({"candidacy__call__id__exact": call.pk, **filters})
    return reverse("admin:jury_decision_changelist") + "?" + query


def undecided_changelist_url(call):
    filters = {
        "call__id__exact": call.pk,
        "status__in": ",".join(sorted(DECIDABLE)),
        "decision__isnull": "True",
    }
    return reverse("admin:candidacies_candidacy_changelist") + "?" + urlencode(filters)


def communication_open(call, at):
    return call.deadline < at < clock.day_start(call.decisions_before)


def _closing_windows(call, at):
    """Communicated decisions without a weerwoord whose window ends between `at` and `at` + CLOSING_SOON. The
    database narrows on the communication day, the exact last second is the call's own rule."""
    today = clock.local_date(at)
    last_day = clock.local_date(at + CLOSING_SOON)
    window = datetime.timedelta(days=call.weerwoord_days)
    decisions = (
        Decision.objects.filter(
            candidacy__call=call,
            weerwoord__isnull=True,
            communicated_at__gte=clock.day_start(today - window),
            communicated_at__lt=clock.day_start(last_day - window + datetime.timedelta(days=1)),
        )
        .select_related("candidacy__organisation", "candidacy__call")
        .order_by("communicated_at", "candidacy__reference")
    )
    closing = []
    for decision in decisions:
        deadline = decision.weerwoord_deadline()
        if at <= deadline <= at + CLOSING_SOON:
            closing.append((decision, deadline))
    return closing


def due_summary(call, at):
    """The call's summary in four queries (two once the decisions date has begun), whatever the number of rows."""
    is_open = communication_open(call, at)
    today = clock.local_date(at)
    unsent, undecided_count = [], 0
    if is_open:
        unsent = list(
            Decision.objects.filter(candidacy__call=call, communicated_at__isnull=True)
            .select_related("candidacy__organisation")
            .order_by("candidacy__reference")
        )
        undecided_count = Candidacy.objects.filter(call=call, status__in=DECIDABLE, decision__isnull=True).count()
    unassessed = list(
        Weerwoord.objects.filter(decision__candidacy__call=call, assessment="")
        .select_related("decision__candidacy__organisation")
        .order_by("filed_at", "pk")
    )
    return DueSummary(
        call=call,
        at=at,
        communication_open=is_open,
        days_left=(call.decisions_before - today).days,
        unsent=unsent,
        undecided_count=undecided_count,
        closing=_closing_windows(call, at),
        unassessed=unassessed,
    )


def dashboard(at):
    """The admin index's rows: every call between the end of its intake and its decisions_before day."""
    today = clock.local_date(at)
    calls = Call.objects.filter(deadline__lt=at, decisions_before__gt=today).order_by("decisions_before", "title")
    return [due_summary(call, at) for call in calls]


# The reminder mail


def recipients(call):
    """The call's contact address and the active staff members of the call managers' group, each once."""
    managers = call_managers().order_by("email").values_list("email", flat=True).distinct()
    found, seen = [], set()
    for email in [call.contact_email, *managers]:
        if email and email.lower() not in seen:
            seen.add(email.lower())
            found.append(email)
    return found


def _moment_text(moment):
    return date_format(timezone.localtime(moment, BRUSSELS), "DATETIME_FORMAT")


def digest_context(summary):
    call = summary.call
    return {
        "call_title": call_values(call)["oproep"],
        "date_text": date_format(clock.local_date(summary.at), "DATE_FORMAT"),
        "communication_open": summary.communication_open,
        "days_left_text": summary.days_left_text,
        "unsent": [
            {
                "reference": decision.candidacy.reference,
                "organisation": decision.candidacy.organisation.name,
                "outcome": decision.get_outcome_display().lower(),
            }
            for decision in summary.unsent
        ],
        "unsent_url": portal_url(summary.unsent_admin_url),
        "undecided_count": summary.undecided_due,
        "undecided_url": portal_url(summary.undecided_admin_url),
        "closing": [
            {
                "reference": decision.candidacy.reference,
                "organisation": decision.candidacy.organisation.name,
                "deadline": _moment_text(deadline),
            }
            for decision, deadline in summary.closing
        ],
        "unassessed": [
            {
                "reference": weerwoord.decision.candidacy.reference,
                "organisation": weerwoord.decision.candidacy.organisation.name,
                "filed": _moment_text(weerwoord.filed_at),
                "url": portal_url(reverse("admin:jury_weerwoord_change", args=[weerwoord.pk])),
            }
            for weerwoord in summary.unassessed
        ],
        "portal_name": settings.PORTAL_NAME,
    }


def render_digest(summary):
    """(subject, body) in the portal's language: the call's text of the "reminders_digest" kind (office/mails.py),
    around the overview of what is due, which the portal writes itself."""
    with translation.override(settings.LANGUAGE_CODE):
        context = digest_context(summary)
        values = {
            **call_values(summary.call),
            "datum": context["date_text"],
            "overzicht": render_to_string("office/emails/reminders_overview.txt", context),
        }
        return compose("reminders_digest", values, call=summary.call)


def message_id(summary, recipient, subject, body):
    """The same call, day, recipient and text give the same Message-ID, so a repeated run is a recognisable
    duplicate rather than a new message."""
    day = clock.local_date(summary.at)
    digest = hashlib.sha256("\n".join([recipient.lower(), subject, body]).encode()).hexdigest()[:24]
    domain = urlsplit(settings.PORTAL_BASE_URL).hostname or "maasland-portal"
    return f"<herinnering.{summary.call.slug}.{day:%Y%m%d}.{digest}@{domain}>"


def digest_messages(summary):
    """One message per recipient, or none when nothing is due."""
    if not summary.is_due:
        return []
    subject, body = render_digest(summary)
    return [
        message(subject, body, to=[recipient], headers={"Message-ID": message_id(summary, recipient, subject, body)})
        for recipient in recipients(summary.call)
    ]


def send_once(call, email, *, at, fail_silently=True):
    """Mails one digest unless its Message-ID went out already; returns 0 or 1. The ReminderSent row is written in
    the transaction that sends, committed at once after the mail server accepted the mail (sending.send_claimed; a
    second sender of the same Message-ID waits on the unique key, then finds it), so two runs never mail one digest
    twice, and a failing mail server or a process that dies before the server's acceptance leaves it unsent."""
    message_id = email.extra_headers["Message-ID"]

    def claim():
        _reminder, created = ReminderSent.objects.get_or_create(
            message_id=message_id, defaults={"call": call, "recipient": email.to[0], "sent_at": at}
        )
        return created

    try:
        return send_claimed(claim, email)
    except (smtplib.SMTPException, OSError):
        if not fail_silently:
            raise
        logger.exception("The reminder %s could not be sent.", message_id)
        return 0


def send_reminders(at, *, include_demo=False, dry_run=False, fail_silently=True):
    """Mails each call's digest; returns [(call, [recipient, ...])] of the mails sent (or, dry, to be sent). A
    failing mail server is logged, or raised when not fail_silently (office.tasks.send_reminders retries the run;
    what went out stays sent)."""
    calls = Call.objects.all() if include_demo else Call.objects.filter(is_demo=False)
    report = []
    for call in calls.order_by("deadline", "slug"):
        messages = digest_messages(due_summary(call, at))
        already = set(
            ReminderSent.objects.filter(
                message_id__in=[email.extra_headers["Message-ID"] for email in messages]
            ).values_list("message_id", flat=True)
        )
        messages = [email for email in messages if email.extra_headers["Message-ID"] not in already]
        sent = []
        for email in messages:
            if dry_run or send_once(call, email, at=at, fail_silently=fail_silently):
                sent.append(email.to[0])
        if messages:
            report.append((call, sent))
    return report
