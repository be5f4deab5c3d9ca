"""The jury's first page after login (accounts/landing.py): a juror of a call that is not closed yet, who belongs to no
organisation, lands on the jury page instead of an empty "Mijn kandidaturen"."""

from django.urls import reverse

from accounts.landing import register_landing

from .models import JuryMember


@register_landing
def jury_page(user, at):
    if user.organisations.exists():
        return None
    calls = [
        member.call
        for member in JuryMember.objects.filter(user=user).select_related("call").prefetch_related("call__pitch_days")
    ]
    if any(call.phase(at) != call.Phase.CLOSED for call in calls):
        return reverse("jury:dashboard")
    return None
