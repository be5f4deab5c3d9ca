"""Querysets of the candidacies app: what a user may see, with a fixed number of queries."""

from django.db.models import Count, Q

from .models import Candidacy, Organisation


def organisations_of(user):
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def candidacies_of_member(user):
    """The candidacies of the organisations the user belongs to: what 'my candidacies' lists."""
    return (
        Candidacy.objects.filter(organisation__memberships__user=user)
        .select_related("call", "organisation")
        .annotate(attachment_count=Count("attachments", filter=Q(attachments__removed_at__isnull=True)))
        .order_by("-call__deadline", "organisation__name", "pk")
    )


def visible_to(user):
    """Every candidacy the user may open: call managers all, applicants their organisations'."""
    from .permissions import is_call_manager

    if is_call_manager(user):
        return Candidacy.objects.all()
    if not user.is_authenticated:
        return Candidacy.objects.none()
    return Candidacy.objects.filter(organisation__memberships__user=user)
