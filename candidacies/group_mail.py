"""Mail to a group: the call manager writes one text to the contacts of chosen candidacies of one call (any filter
of the candidacy list), checked and previewed as the mail texts are (kind `group_mail`, mailtemplates.catalogue),
sent once per address even when the form is posted twice, and kept with its recipients (`GroupMail`)."""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maasland.refusals import Refusal
from maasland.tasks import after_commit
from mailtemplates.catalogue import problems
from mailtemplates.rendering import compose, default_text, fill_text, portal_language
from mailtemplates.sending import message, outbox_message_id, send_once

from . import transitions
from .emails import applicant_recipients, candidacy_values
from .models import GroupMail, GroupMailRecipient, Membership, ProcedureStep
from .permissions import is_call_manager
from .receipts import moment_text

KIND = "group_mail"


class GroupMailRefused(Refusal):
    """A group mail that may not go out, with the Dutch reason (and the field it concerns)."""


def recipients(candidacies):
    """[(candidacy, [address, ...]), ...] in the order given: the addresses every mail about a candidacy goes to
    (emails.applicant_recipients), read in one query for all of them."""
    candidacies = list(candidacies)
    members = defaultdict(list)
    rows = (
        Membership.objects.filter(
            organisation__in={candidacy.organisation_id for candidacy in candidacies}, user__is_active=True
        )
        .order_by("user__email")
        .values_list("organisation_id", "user__email")
    )
    for organisation_id, email in rows:
        members[organisation_id].append(email)
    return [
        (candidacy, applicant_recipients(candidacy, members[candidacy.organisation_id])) for candidacy in candidacies
    ]


def values(candidacy):
    """The placeholders of a group mail about this candidacy, in the active language."""
    return {**candidacy_values(candidacy), "deadline": moment_text(candidacy.deadline())}


def starting_text(call):
    """(subject, body) the form starts from: the call's stored text of the kind, or its default."""
    with translation.override(portal_language()):
        return compose(KIND, {}, call=call)


def text_problems(subject, body):
    """What is wrong with the text, as {field: [Dutch message, ...]}: the mail texts' own check
    (mailtemplates.catalogue.problems), and a text that is still the default, where the message goes."""
    errors = problems(KIND, subject=subject, body=body)
    if _plain(body) == _plain(default_text(KIND, language=portal_language())[1]):
        errors.setdefault("body", []).append(_("Write your message: the text is still the one you started from."))
    return errors


def _plain(text):
    return " ".join(text.split())


def preview(candidacy, *, subject, body):
    """(subject, body) as the first address of this candidacy receives them."""
    with translation.override(portal_language()):
        return fill_text(subject, body, values(candidacy))


def _check(candidacies, *, subject, body, by):
    if not is_call_manager(by) or not by.has_perm("candidacies.change_candidacy"):
        raise GroupMailRefused(_("Only the call manager sends a group mail."))
    if not candidacies:
        raise GroupMailRefused(_("Choose at least one candidacy."))
    if len({candidacy.call_id for candidacy in candidacies}) > 1:
        raise GroupMailRefused(_("Choose candidacies of one call: a group mail belongs to one call."))
    for field, messages in text_problems(subject, body).items():
        raise GroupMailRefused(messages[0], field=field)


def send_group_mail(candidacies, *, subject, body, token, by, at):
    """Keeps the sending and one row per address, logs it in the call's Logboek and mails each address after the
    commit. The same `token` (the form's) a second time sends nothing: returns (group mail, False)."""
    candidacies = list(candidacies)
    subject = " ".join(subject.split())
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    _check(candidacies, subject=subject, body=body, by=by)
    existing = GroupMail.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    call = candidacies[0].call
    try:
        with transaction.atomic():
            group_mail = GroupMail.objects.create(
                token=token, call=call, subject=subject, body=body, sent_by=by, sent_at=at
            )
            rows, seen = [], set()
            for candidacy, addresses in recipients(candidacies):
                for email in addresses:
                    if (candidacy.pk, email.lower()) not in seen:
                        seen.add((candidacy.pk, email.lower()))
                        rows.append(GroupMailRecipient(group_mail=group_mail, candidacy=candidacy, email=email))
            GroupMailRecipient.objects.bulk_create(rows)
            transitions.record(
                call,
                ProcedureStep.Action.SEND_GROUP_MAIL,
                by=by,
                at=at,
                reason=_("“%(subject)s” to %(count)s addresses") % {"subject": subject, "count": len(rows)},
            )
            from .tasks import deliver_group_mail

            after_commit(deliver_group_mail, group_mail.pk)
    except IntegrityError:
        # The same form posted twice at once: the other request keeps the sending.
        return GroupMail.objects.get(token=token), False
    return group_mail, True


def deliver(group_mail, *, fail_silently=True):
    """Mails every address of the sending that has not had it yet, each on its own (no one sees the others); an
    address is claimed as it is mailed (mailtemplates.sending.send_once), so two deliveries never mail it twice, and
    a failing mail server or a dying process leaves it owed. Returns how many went out; a failure stops the delivery
    when not fail_silently (the task retries it)."""
    call = group_mail.call
    reply_to = [call.contact_email] if call.contact_email else None
    sent = 0
    pending = GroupMailRecipient.objects.filter(group_mail=group_mail, delivered_at__isnull=True).select_related(
        "candidacy__call", "candidacy__organisation"
    )
    for recipient in pending:
        subject, body = preview(recipient.candidacy, subject=group_mail.subject, body=group_mail.body)
        headers = {"Message-ID": outbox_message_id("groupmail", recipient.pk)}
        email = message(subject, body, to=[recipient.email], reply_to=reply_to, headers=headers)
        owed = GroupMailRecipient.objects.filter(pk=recipient.pk, delivered_at__isnull=True)
        sent += send_once(owed, email, fail_silently=fail_silently, delivered_at=timezone.now())
    return sent
