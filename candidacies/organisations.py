"""State changes of organisations: create one with its first member, invite a second applicant, accept."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from maasland.mail_limits import may_send
from mailtemplates.sending import queue_text

from .emails import invitation_mail
from .models import Invitation, Membership, Organisation
from .permissions import is_call_manager, is_member
from .receipts import moment_text


class InvitationRefused(Exception):
    """Why an invitation cannot be accepted by this user; the message is shown to them."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code


@transaction.atomic
def create_organisation(*, by, **fields):
    organisation = Organisation.objects.create(**fields)
    Membership.objects.create(organisation=organisation, user=by)
    return organisation


@transaction.atomic
def correct_enterprise_number(organisation, number, *, reason, by):
    """The call manager's correction of a KBO number that is fixed (Organisation.enterprise_number_is_fixed), kept in
    the organisation's history with who and why; the jury's conflicts follow the corrected number."""
    if not is_call_manager(by):
        raise PermissionDenied
    organisation.enterprise_number = number
    organisation._change_reason = f"enterprise number corrected: {reason.strip()}"
    organisation._history_user = by
    organisation.save()
    return organisation


@transaction.atomic
def invite(organisation, *, email, by, base_url, client=None):
    """Record the invitation and mail its link to the address; base_url is the portal's address (scheme and host),
    client the address of the member's browser (maasland.client_address).

    A new invitation replaces the open ones of the organisation to the same address: their links stop working and
    the new one works INVITATION_VALID_DAYS. Over the mail limits (maasland/mail_limits.py) nothing is recorded or
    sent and None is returned; the member is told the same as otherwise.
    """
    if not is_member(by, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if not may_send("organisation_invitation", address=email, client=client):
        return None
    organisation.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
    invitation = Invitation.objects.create(organisation=organisation, email=email, invited_by=by)
    subject, body = invitation_mail(invitation, base_url=base_url)
    queue_text(subject, body, to=[invitation.email])
    return invitation


def expiry(invitation, at):
    """The refusal of an invitation that has expired by `at`, whoever opens it; None while it works."""
    if invitation.accepted_at is None and invitation.has_expired(at):
        return InvitationRefused(
            _(
                "This invitation has expired: it worked until %(moment)s. Ask a member of %(organisation)s to "
                "invite you again."
            )
            % {"moment": moment_text(invitation.expires_at), "organisation": invitation.organisation.name},
            "expired",
        )
    return None


def refusal(invitation, user, *, at):
    """Why this user may not accept this invitation at `at`, or None when they may."""
    if invitation.accepted_at is not None:
        return InvitationRefused(_("This invitation has already been used. Ask a member for a new one."), "used")
    expired = expiry(invitation, at)
    if expired is not None:
        return expired
    if user.email.lower() != invitation.email.lower():
        return InvitationRefused(
            _(
                "This invitation was sent to %(invited)s, but you are logged in as %(current)s. "
                "Log out and log in with %(invited)s to accept it."
            )
            % {"invited": invitation.email, "current": user.email},
            "other_email",
        )
    return None


@transaction.atomic
def accept(invitation, *, by, at):
    """The invitee, logged in with the invited address, becomes a member; an invitation works once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    refused = refusal(invitation, by, at=at)
    if refused is not None:
        raise refused
    membership, _created = Membership.objects.get_or_create(organisation=invitation.organisation, user=by)
    invitation.accepted_at = at
    invitation.accepted_by = by
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
