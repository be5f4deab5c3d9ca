"""E-mails the jury app sends: about pitches (the invitation, its updates and its cancellation, each with an .ics
calendar file that calendars recognise as the same event: one UID per candidacy, a rising SEQUENCE), the decision
letters (mailed from their outbox by jury.tasks) and the weerwoord's mails. Notices are queued (sending.queue_kind)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from candidacies.emails import applicant_recipients, candidacy_values
from maasland.clock import BRUSSELS
from mailtemplates.rendering import compose, contact_text, portal_url
from mailtemplates.sending import message, outbox_message_id, queue_kind, send_once

from .models import DecisionLetter, PitchSlot, pitch_released_reason


def pitch_uid(candidacy):
    return f"pitch-{candidacy.pk}@maasland-portal"


def pitch_sequence(candidacy):
    """The .ics SEQUENCE, counted from the history instead of stored: each mail about the pitch is one step, so
    each mail's SEQUENCE is one higher than the one before. A save of a slot that holds the candidacy (a placement,
    a move, a change of time or place) is an invitation or an update; a slot letting it go (jury.scheduling's
    release) is a cancellation. Mails go after the commit, so the step of the mail itself is counted."""
    history = PitchSlot.history.all()
    versions = history.filter(candidacy_id=candidacy.pk).exclude(history_type="-").count()
    releases = history.filter(candidacy_id=None, history_change_reason=pitch_released_reason(candidacy)).count()
    return max(versions + releases - 1, 0)


def slot_texts(slot):
    """The slot in Brussels time, in words of the active language: 'maandag 19 juni 2023', '09:00', '09:30'."""
    starts_at = timezone.localtime(slot.starts_at, BRUSSELS)
    ends_at = timezone.localtime(slot.ends_at, BRUSSELS)
    return {
        "date_text": date_format(starts_at, "l j F Y"),
        "starts_text": date_format(starts_at, "H:i"),
        "ends_text": date_format(ends_at, "H:i"),
    }


def pitch_summary(candidacy):
    return f"Pitch {candidacy.reference} – {candidacy.call.title}"


def pitch_description(candidacy, slot):
    lines = [
        _("Pitch of %(organisation)s for the jury of %(call)s.")
        % {"organisation": candidacy.organisation.name, "call": candidacy.call},
        _("Candidacy: %(reference)s – %(title)s") % {"reference": candidacy.reference, "title": candidacy.title},
    ]
    if slot.place:
        lines.append(_("Place: %(place)s") % {"place": slot.place})
    if slot.video_link:
        lines.append(_("Video link: %(link)s") % {"link": slot.video_link})
    lines.append(_("Contact: %(contact)s") % {"contact": contact_text(candidacy.call)})
    return "\n".join(lines)


def pitch_event(
    candidacy, slot, *, uid=None, sequence=None, cancelled=False, attendees=(), now=None, zone=datetime.UTC
):
    """The pitch as one VEVENT: one UID per candidacy whatever its slot, times in `zone` (UTC in mails)."""
    call = candidacy.call
    event = Event()
    event.add("uid", uid or pitch_uid(candidacy))
    event.add("sequence", pitch_sequence(candidacy) if sequence is None else sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(datetime.UTC))
    event.add("dtstart", slot.starts_at.astimezone(zone))
    event.add("dtend", slot.ends_at.astimezone(zone))
    event.add("summary", pitch_summary(candidacy))
    event.add("location", slot.place or slot.video_link)
    event.add("description", pitch_description(candidacy, slot))
    if slot.video_link:
        event.add("url", slot.video_link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if call.contact_email:
        organizer = vCalAddress(f"mailto:{call.contact_email}")
        organizer.params["cn"] = vText(call.contact_name)
        event.add("organizer", organizer)
    for email in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    return event


def pitch_calendar(candidacy, slot, *, method="PUBLISH", cancelled=False, attendees=(), now=None):
    """The pitch as an iCalendar file (bytes): times in UTC, one UID per candidacy whatever its slot."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_NAME}//Pitch//NL")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(pitch_event(candidacy, slot, cancelled=cancelled, attendees=attendees, now=now))
    return calendar.to_ical()


def pitch_file_name(candidacy):
    return f"pitch-{candidacy.reference}.ics"


def where_lines(slot):
    """'Waar: …' and 'Videolink: …', each on its own line and only when the slot has it."""
    lines = []
    if slot.place:
        lines.append(_("Where: %(place)s") % {"place": slot.place})
    if slot.video_link:
        lines.append(_("Video link: %(link)s") % {"link": slot.video_link})
    return "".join(line + "\n" for line in lines)


def pitch_mail_values(candidacy, slot):
    """The pitch mails' placeholders (see jury/mails.py), in the active language."""
    texts = slot_texts(slot)
    return {
        **candidacy_values(candidacy),
        "datum": texts["date_text"],
        "begin": texts["starts_text"],
        "einde": texts["ends_text"],
        "waar": where_lines(slot),
        "plaats": slot.place,
        "videolink": slot.video_link,
        "pitch_link": portal_url(reverse("jury:pitch", kwargs={"pk": candidacy.pk})),
        "bestandsnaam": pitch_file_name(candidacy),
    }


def _send(candidacy, slot, *, kind):
    """Queues one mail to all recipients; returns the number of messages queued (0 or 1). Runs after the commit
    and a task sends it, so a failing mail server does not undo the planning: the applicant also sees it on the
    portal."""
    recipients = applicant_recipients(candidacy)
    if not recipients:
        return 0
    call = candidacy.call
    with translation.override(settings.LANGUAGE_CODE):
        values = pitch_mail_values(candidacy, slot)
        cancelled = kind == "cancellation"
        method = "CANCEL" if cancelled else "REQUEST"
        ics = pitch_calendar(candidacy, slot, method=method, cancelled=cancelled, attendees=recipients)
    queue_kind(
        f"pitch_{kind}",
        values,
        call=call,
        to=recipients,
        reply_to=[call.contact_email] if call.contact_email else None,
        attachments=[(values["bestandsnaam"], ics, f"text/calendar; method={method}")],
    )
    return 1


def send_pitch_invitation(candidacy, slot, *, update=False):
    """The invitation to pitch in this slot, or (update=True) the news that the slot changed."""
    return _send(candidacy, slot, kind="update" if update else "invitation")


def send_pitch_cancellation(candidacy, slot):
    """The slot was freed: the applicant's calendar drops the event."""
    return _send(candidacy, slot, kind="cancellation")


# Decisions and weerwoorden


def decision_letter_message(letter):
    """The mail of a decision letter to every member of the organisation, with the PDF: the first letter of a decision
    says until when a weerwoord can be filed, a later one is the letter of the revised decision."""
    decision = letter.decision
    candidacy = decision.candidacy
    call = candidacy.call
    revised = letter.number > 1
    with translation.override(settings.LANGUAGE_CODE):
        values = {**candidacy_values(candidacy), "beslissing": decision.get_outcome_display()}
        if not revised:
            values["weerwoord_tot"] = date_format(timezone.localtime(decision.weerwoord_deadline()), "DATETIME_FORMAT")
        subject, body = compose("decision_letter_revised" if revised else "decision_letter", values, call=call)
    with letter.file.open("rb") as handle:
        content = handle.read()
    return message(
        subject,
        body,
        to=applicant_recipients(candidacy),
        reply_to=[call.contact_email] if call.contact_email else None,
        attachments=[(f"beslissing-{candidacy.reference}-{letter.number}.pdf", content, "application/pdf")],
        headers={"Message-ID": outbox_message_id("letter", letter.pk, letter.number)},
    )


def mail_decision_letter(letter, *, at, fail_silently=True):
    """Mails the letter unless it went out already, and stamps `mailed_at`; returns 0 or 1. The letter is the outbox
    row, claimed as it is mailed (mailtemplates.sending.send_once): two senders never mail it twice, and a failing
    mail server (or a worker killed while sending) leaves it owed."""
    owed = DecisionLetter.objects.filter(pk=letter.pk, mailed_at__isnull=True)
    if not owed.exists():
        return 0
    return send_once(owed, decision_letter_message(letter), fail_silently=fail_silently, mailed_at=at)


def send_weerwoord_received(weerwoord):
    """A confirmation to the applicant who filed it, and a notice to the call's contact person to assess it."""
    decision = weerwoord.decision
    candidacy = decision.candidacy
    call = candidacy.call
    with translation.override(settings.LANGUAGE_CODE):
        filed_text = date_format(timezone.localtime(weerwoord.filed_at), "DATETIME_FORMAT")
    values = {
        **candidacy_values(candidacy),
        "ingediend_op": filed_text,
        "beheer_link": portal_url(reverse("admin:jury_weerwoord_change", args=[weerwoord.pk])),
    }
    queue_kind("weerwoord_received", values, call=call, to=[weerwoord.filed_by.email], reply_to=[call.contact_email])
    if call.contact_email:
        queue_kind("weerwoord_to_assess", values, call=call, to=[call.contact_email])


def send_weerwoord_assessed(weerwoord):
    """Tells the applicants whether their weerwoord is founded, and why; after a founded one a revised decision
    letter follows (communication.revise_decision)."""
    candidacy = weerwoord.decision.candidacy
    call = candidacy.call
    kind = f"weerwoord_assessed_{weerwoord.assessment}"
    with translation.override(settings.LANGUAGE_CODE):
        values = {**candidacy_values(candidacy), "motivering": weerwoord.assessment_motivation}
    queue_kind(
        kind,
        values,
        call=call,
        to=applicant_recipients(candidacy),
        reply_to=[call.contact_email] if call.contact_email else None,
    )
