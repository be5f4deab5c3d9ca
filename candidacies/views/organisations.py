"""Organisations, their members and invitations: an organisation is visible to its members only (404 to others)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from challenges.models import Call
from maasland.client_address import client_address

from .. import organisations, queries
from ..forms.organisations import InvitationForm, OrganisationForm
from ..models import Invitation
from ..permissions import is_member


def _next_url(request):
    """The page the applicant was going to (the new candidacy of a call), if it is one of ours."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    """Where an applicant who is on the way to a candidacy (`next`) tells which organisation applies."""
    next_url = _next_url(request)
    form = OrganisationForm(request.POST) if request.method == "POST" else OrganisationForm()
    if form.is_bound and form.is_valid():
        try:
            organisation = organisations.create_organisation(by=request.user, **form.cleaned_data)
        except IntegrityError:
            form.add_error("enterprise_number", form.fields["enterprise_number"].error_messages["unique"])
        else:
            messages.success(request, _("Your organisation has been created. You are its first member."))
            return redirect(next_url or organisation)
    return render(request, "candidacies/organisation_form.html", {"form": form, "next": next_url})


@login_required
def organisation_detail(request, pk):
    organisation = get_object_or_404(queries.organisations_of(request.user), pk=pk)
    now = timezone.now()
    open_calls = [call for call in Call.objects.published().order_by("deadline") if call.accepts_submissions(now)]
    return render(
        request,
        "candidacies/organisation_detail.html",
        {
            "organisation": organisation,
            "next_steps": [(call, queries.applying(call, [organisation]).get(organisation.pk)) for call in open_calls],
            "memberships": organisation.memberships.select_related("user").order_by("joined_at", "pk"),
            "open_invitations": organisation.invitations.filter(accepted_at__isnull=True),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_update(request, pk):
    organisation = get_object_or_404(queries.organisations_of(request.user), pk=pk)
    if request.method == "POST":
        form = OrganisationForm(request.POST, instance=organisation)
    else:
        form = OrganisationForm(instance=organisation)
    if form.is_bound and form.is_valid():
        form.save()
        messages.success(request, _("The changes have been saved."))
        return redirect(organisation)
    return render(request, "candidacies/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, pk):
    organisation = get_object_or_404(queries.organisations_of(request.user), pk=pk)
    form = InvitationForm(request.POST if request.method == "POST" else None, organisation=organisation)
    if form.is_bound and form.is_valid():
        email = form.cleaned_data["email"]
        organisations.invite(
            organisation,
            email=email,
            by=request.user,
            base_url=request.build_absolute_uri("/"),
            client=client_address(request),
        )
        # The same words when the mail limit held the invitation back (maasland/mail_limits.py).
        messages.success(request, _("We sent an invitation to %(email)s.") % {"email": email})
        return redirect(organisation)
    return render(request, "candidacies/invitation_form.html", {"form": form, "organisation": organisation})


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The link in the invitation mail. An expired one says so before anything else, so nobody signs up or logs in
    for nothing; a link replaced by a newer invitation is not found."""
    invitation = get_object_or_404(Invitation.objects.select_related("organisation", "invited_by"), token=token)
    now = timezone.now()
    expired = organisations.expiry(invitation, now)
    if expired is not None:
        return render(request, "candidacies/invitation_refused.html", {"refusal": expired}, status=410)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = invitation.organisation
    if is_member(request.user, organisation):
        messages.info(request, _("You are already a member of %(organisation)s.") % {"organisation": organisation})
        return redirect(organisation)
    refused = organisations.refusal(invitation, request.user, at=now)
    if refused is None and request.method == "POST":
        try:
            organisations.accept(invitation, by=request.user, at=now)
        except organisations.InvitationRefused as error:
            refused = error
        else:
            messages.success(
                request, _("Welcome: you are now a member of %(organisation)s.") % {"organisation": organisation}
            )
            return redirect(organisation)
    if refused is not None:
        status = 410 if refused.code == "expired" else 403
        return render(request, "candidacies/invitation_refused.html", {"refusal": refused}, status=status)
    return render(request, "candidacies/invitation_accept.html", {"invitation": invitation})
