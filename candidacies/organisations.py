"""State changes of organisations: create one with its first member, invite a second applicant, accept."""

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .emails import invitation_mail
from .models import Invitation, Membership, Organisation
from .permissions import is_call_manager, is_member


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
def invite(organisation, *, email, by, base_url):
    """Record the invitation and mail its link to the address; base_url is the portal's address (scheme and host)."""
    if not is_member(by, organisation):
        raise PermissionDenied
    invitation = Invitation.objects.create(organisation=organisation, email=email.strip().lower(), invited_by=by)
    subject, body = invitation_mail(invitation, base_url=base_url)
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.email]))
    return invitation


def refusal(invitation, user):
    """Why this user may not accept this invitation, or None when they may."""
    if invitation.accepted_at is not None:
        return InvitationRefused(_("This invitation has already been used. Ask a member for a new one."), "used")
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
    refused = refusal(invitation, by)
    if refused is not None:
        raise refused
    membership, _created = Membership.objects.get_or_create(organisation=invitation.organisation, user=by)
    invitation.accepted_at = at
    invitation.accepted_by = by
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
