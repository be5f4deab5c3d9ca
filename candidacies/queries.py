"""Querysets of the candidacies app: what a user may see, with a fixed number of queries."""

from django.db.models import Count, Q

from .models import Candidacy, Organisation
from .permissions import is_call_manager


def organisations_of(user):
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def of_member(user):
    """The candidacies of the organisations the user belongs to: every applicant page (list, detail, edit, pitch,
    weerwoord) opens only these."""
    if not user.is_authenticated:
        return Candidacy.objects.none()
    return Candidacy.objects.filter(organisation__memberships__user=user)


def candidacies_of_member(user):
    """What 'my candidacies' lists: of_member, with what the list shows."""
    return (
        of_member(user)
        .select_related("call", "organisation", "pitch_slot", "decision")
        .annotate(attachment_count=Count("attachments", filter=Q(attachments__removed_at__isnull=True)))
        .order_by("-call__deadline", "organisation__name", "pk")
    )


def applying(call, organisations):
    """The candidacies that keep these organisations from starting another for the call (the call's rule of one
    per organisation; a withdrawn one does not count), by organisation id."""
    if not call.one_candidacy_per_organisation:
        return {}
    candidacies = Candidacy.objects.filter(call=call, organisation__in=organisations).exclude(
        status=Candidacy.Status.WITHDRAWN
    )
    return {candidacy.organisation_id: candidacy for candidacy in candidacies.order_by("-pk")}


def visible_to(user):
    """Every candidacy whose files the user may read: call managers all, applicants of_member."""
    if is_call_manager(user):
        return Candidacy.objects.all()
    return of_member(user)
