"""Two factors for staff (accounts/two_factor.py): a code from an authenticator app after the password, required for
staff before any page, offered to everyone from "Mijn gegevens", required by a call for its jury; set up, lost
device (a recovery code) and a superuser's reset.

The module is marked `second_factor`: force_login here leaves the session as a password login does (tests/conftest.py
passes the second factor for staff in every other module)."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from jury.models import JuryMember
from jury.roles import ensure_call_manager_group
from tests import factories

pytestmark = pytest.mark.second_factor

ADMIN = reverse("admin:index")
VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")
CODES = reverse("accounts:two_factor_codes")
MY_DATA = reverse("accounts:my_data")


def call_manager():
    user = factories.user("beheerder@example.org", is_staff=True)
    user.groups.add(ensure_call_manager_group())
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def with_next(url, next_url):
    return f"{url}?next={next_url.replace('/', '%2F')}"


def recovery_codes(client):
    """Sets up the user's authenticator through the pages and returns the recovery codes shown once."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user_id=client.session["_auth_user_id"], confirmed=False)
    response = client.post(SETUP, {"code": factories.authenticator_code(device), "next": ADMIN}, follow=True)
    return response.context["codes"]


# Staff: before any page


@pytest.mark.django_db
def test_a_call_manager_without_an_authenticator_is_sent_from_the_admin_to_set_one_up():
    client = logged_in(call_manager())
    response = client.get(ADMIN)
    assert (response.status_code, response["Location"]) == (302, with_next(SETUP, ADMIN))


@pytest.mark.django_db
def test_a_call_manager_with_an_authenticator_is_asked_the_code_before_the_admin_and_the_portal_pages():
    manager = call_manager()
    factories.authenticator(manager)
    client = logged_in(manager)
    pages = [ADMIN, reverse("admin:candidacies_candidacy_changelist"), reverse("candidacies:candidacy_list")]
    assert [client.get(page)["Location"] for page in pages] == [with_next(VERIFY, page) for page in pages]


@pytest.mark.django_db
def test_a_superuser_is_asked_the_code_too():
    superuser = factories.user("root@example.org", is_staff=True, is_superuser=True)
    factories.authenticator(superuser)
    assert logged_in(superuser).get(ADMIN)["Location"] == with_next(VERIFY, ADMIN)


@pytest.mark.django_db
def test_the_admin_login_form_leads_to_the_code_and_the_code_to_the_admin():
    manager = call_manager()
    device = factories.authenticator(manager)
    client = Client()
    response = client.post(
        reverse("admin:login") + f"?next={ADMIN}",
        {"username": manager.email, "password": "a-Strong-passw0rd", "next": ADMIN},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == with_next(VERIFY, ADMIN)
    assert "Tweestapsverificatie" in response.content.decode()
    response = client.post(VERIFY, {"code": factories.authenticator_code(device), "next": ADMIN})
    assert (response.status_code, response["Location"]) == (302, ADMIN)
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_logging_out_and_the_two_factor_pages_stay_open_before_the_code():
    manager = call_manager()
    factories.authenticator(manager)
    client = logged_in(manager)
    assert client.get(VERIFY).status_code == 200
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("challenges:call_list")


@pytest.mark.django_db
def test_a_wrong_code_is_refused_in_dutch_and_opens_nothing():
    manager = call_manager()
    factories.authenticator(manager)
    client = logged_in(manager)
    response = client.post(VERIFY, {"code": "000000", "next": ADMIN})
    assert response.status_code == 400
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get(ADMIN)["Location"] == with_next(VERIFY, ADMIN)


@pytest.mark.django_db
def test_a_code_is_taken_once(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 3, 10, 0, 5, tzinfo=datetime.UTC), tick=False)
    manager = call_manager()
    device = factories.authenticator(manager)
    code = factories.authenticator_code(device)
    assert logged_in(manager).post(VERIFY, {"code": code})["Location"] == ADMIN
    assert logged_in(manager).post(VERIFY, {"code": code}).status_code == 400


@pytest.mark.django_db
def test_wrong_codes_in_a_row_make_the_next_try_wait(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 3, 10, 0, 5, tzinfo=datetime.UTC), tick=False)
    manager = call_manager()
    device = factories.authenticator(manager)
    client = logged_in(manager)
    for wait in (1, 2, 4):  # each failure doubles the wait before the next try
        client.post(VERIFY, {"code": "000000"})
        time_machine.shift(wait if wait < 4 else 0)
    response = client.post(VERIFY, {"code": factories.authenticator_code(device)})
    assert response.status_code == 400
    assert "Te veel foute codes na elkaar: wacht 4 seconden" in response.content.decode()


@pytest.mark.django_db
def test_the_next_page_after_the_code_is_one_of_the_portal():
    manager = call_manager()
    device = factories.authenticator(manager)
    response = logged_in(manager).post(
        VERIFY, {"code": factories.authenticator_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == ADMIN


# Setting up


@pytest.mark.django_db
def test_the_setup_page_shows_a_qr_code_inline_and_the_key_in_text():
    client = logged_in(call_manager())
    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    assert '<svg role="img" aria-label="QR-code' in page
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org/2000/svg", "")
    assert factories.b32_key(device) in page.replace(" ", "")
    assert client.get(SETUP).content.decode().count(factories.b32_key(device)[:4]) >= 1
    assert TOTPDevice.objects.filter(confirmed=False).count() == 1


@pytest.mark.django_db
def test_setting_up_takes_a_first_code_and_shows_ten_recovery_codes_once(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 3, 10, 0, 5, tzinfo=datetime.UTC), tick=False)
    manager = call_manager()
    client = logged_in(manager)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    refused = client.post(SETUP, {"code": "123456", "next": ADMIN})
    assert (refused.status_code, TOTPDevice.objects.get(pk=device.pk).confirmed) == (400, False)
    assert "Deze code klopt niet" in refused.content.decode()
    time_machine.shift(2)  # after a wrong code the next try waits a second
    response = client.post(SETUP, {"code": factories.authenticator_code(device), "next": ADMIN})
    assert response["Location"] == with_next(CODES, ADMIN)
    shown = client.get(response["Location"])
    codes = shown.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    assert all(code in shown.content.decode() for code in codes)
    again = client.get(CODES).content.decode()
    assert [code in again for code in codes] == [False] * 10
    assert "10 ongebruikte herstelcodes" in again
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_letters_are_refused_as_a_first_code_and_kept_in_the_field():
    client = logged_in(call_manager())
    client.get(SETUP)
    response = client.post(SETUP, {"code": "abc<script>", "next": ADMIN})
    assert response.status_code == 400
    assert "Typ de zes cijfers" in response.content.decode()
    assert 'value="abc&lt;script&gt;"' in response.content.decode()


@pytest.mark.django_db
def test_with_an_authenticator_a_new_device_is_set_up_only_after_the_code():
    manager = call_manager()
    factories.authenticator(manager)
    client = logged_in(manager)
    assert client.get(SETUP)["Location"] == with_next(VERIFY, ADMIN)
    assert TOTPDevice.objects.filter(user=manager, confirmed=False).count() == 0


# A lost device


@pytest.mark.django_db
def test_a_lost_device_a_recovery_code_logs_in_once_and_a_new_device_replaces_the_old_one():
    manager = call_manager()
    codes = recovery_codes(logged_in(manager))
    old = TOTPDevice.objects.get(user=manager)

    client = logged_in(manager)  # a new login, the phone is gone
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": ADMIN}, follow=True)
    assert response.redirect_chain[0][0] == with_next(SETUP, ADMIN)
    assert "Je hebt een herstelcode gebruikt; er zijn er nog 9 over." in response.content.decode()
    assert StaticToken.objects.filter(token=codes[0]).exists() is False
    assert client.get(ADMIN).status_code == 200

    client.get(SETUP)
    new = TOTPDevice.objects.get(user=manager, confirmed=False)
    new.key = "00" * 20
    new.save()
    client.post(SETUP, {"code": factories.authenticator_code(new), "next": ADMIN})
    assert list(TOTPDevice.objects.filter(user=manager).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert TOTPDevice.objects.filter(pk=old.pk).exists() is False
    assert logged_in(manager).post(VERIFY, {"code": codes[1]}).status_code == 400  # new codes replaced the old


@pytest.mark.django_db
def test_a_used_recovery_code_is_refused_the_second_time():
    manager = call_manager()
    codes = recovery_codes(logged_in(manager))
    logged_in(manager).post(VERIFY, {"code": codes[3]})
    assert logged_in(manager).post(VERIFY, {"code": codes[3]}).status_code == 400
    assert two_factor.recovery_codes_left(manager) == 9


# The superuser's reset


@pytest.fixture
def superuser_client():
    superuser = factories.user("root@example.org", is_staff=True, is_superuser=True)
    factories.authenticator(superuser)
    client = logged_in(superuser)
    factories.pass_second_factor_of(client)
    return client


@pytest.mark.django_db
def test_a_superuser_resets_a_lost_device_the_reset_is_recorded_and_the_sessions_end(superuser_client):
    manager = call_manager()
    recovery_codes(logged_in(manager))
    verified = logged_in(manager)
    factories.pass_second_factor_of(verified)
    assert verified.get(ADMIN).status_code == 200
    response = superuser_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [manager.pk]},
        follow=True,
    )
    assert "Tweestapsverificatie gereset voor 1 gebruiker: beheerder@example.org." in response.content.decode()
    assert (TOTPDevice.objects.filter(user=manager).count(), StaticDevice.objects.filter(user=manager).count()) == (
        0,
        0,
    )
    entry = LogEntry.objects.get(object_id=str(manager.pk))
    assert entry.get_change_message() == "Tweestapsverificatie gereset: de toestellen en herstelcodes zijn verwijderd."
    assert verified.get(ADMIN)["Location"].startswith(reverse("admin:login"))
    assert logged_in(manager).get(ADMIN)["Location"] == with_next(SETUP, ADMIN)


@pytest.mark.django_db
def test_a_call_manager_can_not_reset_anyones_second_factor():
    manager = call_manager()
    other = factories.user("tweede@example.org", is_staff=True)
    factories.authenticator(other)
    client = logged_in(manager)
    factories.pass_second_factor_of(client)
    response = client.post(
        reverse("admin:accounts_user_changelist"), {"action": "reset_two_factor", "_selected_action": [other.pk]}
    )
    assert (response.status_code, TOTPDevice.objects.filter(user=other).count()) == (403, 1)


@pytest.mark.django_db
def test_the_user_list_shows_who_has_a_second_factor(superuser_client):
    manager = call_manager()
    factories.authenticator(manager)
    response = superuser_client.get(reverse("admin:accounts_user_changelist"))
    rows = {user.email: user.second_factor for user in response.context["cl"].result_list}
    assert rows["beheerder@example.org"] is True


# Everyone else: offered on "Mijn gegevens", then asked at every login


@pytest.mark.django_db
def test_an_applicant_is_not_asked_a_code_and_is_offered_one_on_my_data():
    client = logged_in(factories.user("an@example.org"))
    assert client.get(reverse("candidacies:candidacy_list")).status_code == 200
    assert SETUP in client.get(MY_DATA).content.decode()


@pytest.mark.django_db
def test_a_juror_who_set_it_up_is_asked_the_code_at_the_next_login_and_may_turn_it_off():
    juror = factories.user("jurylid@example.org")
    codes = recovery_codes(logged_in(juror))
    assert len(codes) == 10
    client = logged_in(juror)
    assert client.get(MY_DATA)["Location"] == with_next(VERIFY, MY_DATA)
    client.post(VERIFY, {"code": factories.authenticator_code(TOTPDevice.objects.get(user=juror))})
    assert "Tweestapsverificatie uitzetten" in client.get(MY_DATA).content.decode()
    client.post(reverse("accounts:two_factor_turn_off"))
    assert two_factor.has_second_factor(juror) is False
    assert logged_in(juror).get(MY_DATA).status_code == 200


@pytest.mark.django_db
def test_staff_can_not_turn_it_off():
    manager = call_manager()
    factories.authenticator(manager)
    client = logged_in(manager)
    factories.pass_second_factor_of(client)
    client.post(reverse("accounts:two_factor_turn_off"))
    assert TOTPDevice.objects.filter(user=manager).count() == 1


# A call whose jury works with two-step verification


@pytest.fixture
def jury(maasland_call):
    candidacy = factories.submitted_candidacy(maasland_call, at=maasland_call.deadline - datetime.timedelta(days=1))
    juror = JuryMember.objects.create(call=maasland_call, user=factories.user("jurylid@example.org"))
    chair = JuryMember.objects.create(
        call=maasland_call, user=factories.user("voorzitter@example.org"), role=JuryMember.Role.CHAIR
    )
    return maasland_call, candidacy, juror, chair


def jury_pages(call, candidacy):
    return [
        reverse("jury:dashboard"),
        reverse("jury:candidacy", args=[candidacy.pk]),
        reverse("jury:score_sheet", args=[candidacy.pk, "written"]),
    ]


def chair_pages(call):
    return [
        reverse("jury:rounds", args=[call.slug]),
        reverse("jury:decisions", args=[call.slug]),
        reverse("jury:ranking", args=[call.slug, "written"]),
        reverse("office_portal:coverage", args=[call.slug]),
    ]


def test_the_jury_of_a_call_that_does_not_ask_for_it_opens_its_pages_with_a_password(jury):
    call, candidacy, juror, chair = jury
    assert [logged_in(juror.user).get(page).status_code for page in jury_pages(call, candidacy)] == [200] * 3
    assert [logged_in(chair.user).get(page).status_code for page in chair_pages(call)] == [200] * 4


def test_the_jury_of_a_call_that_asks_for_it_is_sent_to_set_it_up_then_opens_its_pages(jury):
    call, candidacy, juror, chair = jury
    call.jury_requires_two_factor = True
    call.save(update_fields=["jury_requires_two_factor"])
    client = logged_in(juror.user)
    pages = jury_pages(call, candidacy)
    assert [client.get(page)["Location"] for page in pages] == [with_next(SETUP, page) for page in pages]
    chair_client = logged_in(chair.user)
    assert [chair_client.get(page)["Location"] for page in chair_pages(call)] == [
        with_next(SETUP, page) for page in chair_pages(call)
    ]
    assert "van deze oproep vragen na je wachtwoord een tweede stap" in client.get(SETUP).content.decode()
    recovery_codes(client)
    assert [client.get(page).status_code for page in pages] == [200] * 3
    # The next login asks the code before any page.
    assert logged_in(juror.user).get(pages[0])["Location"] == with_next(VERIFY, pages[0])


def test_a_juror_of_another_call_learns_nothing_of_a_call_that_asks_for_it(jury):
    call, candidacy, _juror, _chair = jury
    call.jury_requires_two_factor = True
    call.save(update_fields=["jury_requires_two_factor"])
    outsider = logged_in(factories.user("ander@example.org"))
    assert outsider.get(reverse("jury:candidacy", args=[candidacy.pk])).status_code == 404


def test_the_call_admin_edits_whether_its_jury_needs_two_step_verification(jury):
    call = jury[0]
    superuser = factories.user("root@example.org", is_staff=True, is_superuser=True)
    client = logged_in(superuser)
    factories.pass_second_factor_of(client)
    page = client.get(reverse("admin:challenges_call_change", args=[call.pk])).content.decode()
    assert 'name="jury_requires_two_factor"' in page


@pytest.mark.django_db
def test_a_session_older_than_its_reset_is_not_ended_for_other_users():
    manager, other = call_manager(), factories.user("an@example.org")
    logged_in(other)
    two_factor.reset(manager)
    assert Session.objects.count() == 1
