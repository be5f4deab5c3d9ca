from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import two_factor_views, views
from .emails import TemplatedPasswordResetForm
from .forms import LoginForm, NewPasswordForm
from .landing import LoginView

app_name = "accounts"

urlpatterns = [
    path(
        "inloggen/",
        LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("registreren/", views.signup, name="signup"),
    path("registreren/verstuurd/", views.signup_done, name="signup_done"),
    path("bevestigen/<uidb64>/<token>/", views.confirm, name="confirm"),
    path(
        "wachtwoord/vergeten/",
        auth_views.PasswordResetView.as_view(
            form_class=TemplatedPasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path("wachtwoord/vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "wachtwoord/nieuw/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            form_class=NewPasswordForm, success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "uitnodiging/<uidb64>/<token>/",
        views.InvitationPasswordView.as_view(
            form_class=NewPasswordForm, success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="invitation_password",
    ),
    path("gegevens/", views.my_data, name="my_data"),
    path("gegevens/download/", views.my_data_download, name="my_data_download"),
    # The second factor (accounts/two_factor.py): every page under one prefix, which the middleware leaves open.
    path("tweestapsverificatie/code/", two_factor_views.verify, name="two_factor_verify"),
    path("tweestapsverificatie/instellen/", two_factor_views.setup, name="two_factor_setup"),
    path("tweestapsverificatie/herstelcodes/", two_factor_views.recovery_codes, name="two_factor_codes"),
    path("tweestapsverificatie/uitzetten/", two_factor_views.turn_off, name="two_factor_turn_off"),
    path("wachtwoord/gewijzigd/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
