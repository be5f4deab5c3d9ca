from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_decode
from django.utils.translation import gettext as _

from . import emails, personal_data
from .forms import SignupForm
from .tokens import awaits_confirmation, confirm_email, remember_signup, signed_up_in

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


def confirm(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is not None:
        user = confirm_email(user, token, at=timezone.now())
    if user is None:
        return render(request, "accounts/confirm_invalid.html", status=400)
    next_url = _next_url(request)
    if not next_url and not user.organisations.exists():
        next_url = reverse("candidacies:organisation_create")
    if not signed_up_in(request.session, user):
        # Opened in another browser than the one that chose the password (or sent there by someone else: a link
        # that logs in would allow login CSRF): the account is active, its owner logs in with her password.
        messages.success(request, _("Your account is confirmed. Log in."))
        login_url = reverse("accounts:login")
        return redirect(f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail address is confirmed and you are logged in. Welcome!"))
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


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
    return render(request, "accounts/my_data.html")


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
    response["Cache-Control"] = "no-store"
    return response
