from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import emails, personal_data, two_factor
from .forms import NewPasswordForm, SignupForm
from .tokens import (
    awaits_confirmation,
    confirm_email,
    invitation_token,
    remember_signup,
    signed_up_in,
    valid_confirmation,
)

User = get_user_model()


def _next_url(request):
    """The page to return to after sign-up and confirmation (e.g. an invitation), if it is one of ours."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return ""


def signup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    next_url = _next_url(request)
    form = SignupForm(request.POST) if request.method == "POST" else SignupForm()
    if form.is_bound and form.is_valid():
        user, _created = form.save()
        if awaits_confirmation(user):
            emails.send_confirmation(user, request=request, next_url=next_url)
        elif user.is_active:
            emails.send_already_registered(user, request=request)
        # Whatever the address, the session gets a mark of the same kind: the answer tells nobody it exists.
        remember_signup(request.session, user)
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def signup_done(request):
    return render(request, "accounts/signup_done.html")


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def confirm(request, uidb64, token):
    """The link in the confirmation mail.

    In the browser that signed up (it holds the sign-up mark) the link activates the account with the password chosen
    there and logs in. In any other browser the password chosen at sign-up may be someone else's (anyone can sign up
    with any address), so the link asks for a password first: the person who reads the mail chooses it, which voids
    the pending one and every earlier link, and only that POST (CSRF-protected) activates the account and logs in. A
    GET elsewhere changes nothing, so a link opened by a mail scanner or planted by someone else logs nobody in.
    """
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not valid_confirmation(user, token):
        return render(request, "accounts/confirm_invalid.html", status=400)
    next_url = _next_url(request)
    if request.method == "POST":
        form = NewPasswordForm(user, request.POST)
        if form.is_valid():
            hashed = make_password(form.cleaned_data["new_password1"])  # before the lock: hashing takes a while
            return _confirmed(request, confirm_email(user, token, at=timezone.now(), password=hashed), next_url)
    elif signed_up_in(request.session, user):
        return _confirmed(request, confirm_email(user, token, at=timezone.now()), next_url)
    else:
        form = NewPasswordForm(user)
    return render(request, "accounts/confirm_password.html", {"form": form, "next": next_url, "email": user.email})


def _confirmed(request, user, next_url):
    """Log in the account `confirm_email` just activated, or show the broken link if it refused after all."""
    if user is None:  # confirmed, or signed up for again, a moment ago
        return render(request, "accounts/confirm_invalid.html", status=400)
    reset_login_failures(username=user.email)  # the owner of the mailbox: failed logins before are not hers to bear
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail address is confirmed and you are logged in. Welcome!"))
    if next_url:
        return redirect(next_url)
    if not user.organisations.exists():
        return redirect("candidacies:organisation_create")
    return redirect(settings.LOGIN_REDIRECT_URL)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password also lifts a login lockout of that address: the locked-out page sends people here."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_login_failures(username=form.user.email)
        if awaits_confirmation(form.user):
            # An account made by a jury appointment opens here: the link came by mail, so the address is confirmed.
            form.user.is_active = True
            form.user.email_confirmed_at = timezone.now()
            form.user.save(update_fields=["is_active", "email_confirmed_at"])
        return response


class InvitationPasswordView(PasswordResetConfirmView):
    """The link in an invitation to an account someone else made (a jury appointment): the invitee chooses a
    password. It works INVITATION_VALID_DAYS; an expired or used link says to ask for the invitation again."""

    token_generator = invitation_token
    template_name = "accounts/invitation_password.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation_valid_days": settings.INVITATION_VALID_DAYS}


# Login attempts are removed by the daily `manage.py axes_reset_logs --age 30` (README: Personal data).
LOGIN_LOG_DAYS = 30


def privacy(request):
    """The privacy statement (privacyverklaring): public, linked from every page's footer."""
    return render(
        request,
        "accounts/privacy.html",
        {
            "privacy_contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "anonymise_after_years": settings.ANONYMISE_AFTER_YEARS,
            "login_log_days": LOGIN_LOG_DAYS,
        },
    )


@login_required
def my_data(request):
    return render(
        request,
        "accounts/my_data.html",
        {
            "second_factor": two_factor.authenticator(request.user) is not None,
            "second_factor_required": two_factor.is_required(request.user),
            "recovery_codes_left": two_factor.recovery_codes_left(request.user),
        },
    )


@login_required
def my_data_download(request):
    """Everything the portal holds about the logged-in person, as JSON (the GDPR right of access)."""
    at = timezone.now()
    response = JsonResponse(
        personal_data.collect(request.user, at=at),
        encoder=DjangoJSONEncoder,
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{timezone.localdate(at):%Y-%m-%d}.json"'
    return response
