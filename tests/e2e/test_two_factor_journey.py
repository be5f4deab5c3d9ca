"""Two factors in a real browser: a call manager logs in to the admin through its form and is stopped at the code
page until the code of the authenticator is typed; a juror of a call whose jury must pass the second factor is sent
from the jury page to set one up (QR code and key, a first code, the recovery codes once) and then reaches it. Every
page is checked with axe-core (journey.check)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from challenges.models import Call
from jury.models import JuryMember
from tests import factories

from .conftest import (
    PASSWORD,
    call_manager,
    call_shifted_to,
    log_in_through_the_form,
    pass_the_second_factor,
    submitted_candidacy,
)

pytestmark = pytest.mark.sqlite_pass


def test_a_call_manager_reaches_the_admin_only_after_the_code(page, live_server, transactional_db, journey):
    manager = call_manager()
    factories.authenticator(manager)
    admin_url = live_server.url + reverse("admin:index")

    # 1. The admin's login form: the right password leads to the code page, not to the admin.
    page.goto(admin_url)
    page.locator("#id_username").fill(manager.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/account/tweestapsverificatie/code/\?next=%2Fadmin%2F$"))

    # 2. Typed in the address bar, the admin still sends the session back to the code page.
    page.goto(admin_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie")

    # 3. A wrong code is refused at its field; the right one opens the admin.
    page.locator("main input[name=code]").fill("000000")
    page.get_by_role("button", name="Verder").click()
    expect(page.locator("#error-summary")).to_contain_text("Deze code klopt niet")
    # After a wrong code django-otp makes the next try wait a second (tests/accounts/test_two_factor.py): not here.
    TOTPDevice.objects.filter(user=manager).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    pass_the_second_factor(page, manager, journey)
    expect(page).to_have_url(admin_url)
    expect(page.locator("#site-name")).to_be_visible()
    journey.check(page, "admin")


def test_a_juror_of_a_call_that_asks_for_it_sets_up_the_second_factor_and_reaches_the_jury_page(
    page, live_server, e2e_maasland_call, journey
):
    call = call_shifted_to(
        e2e_maasland_call, slug="e2e-tweestap", first_pitch_day=timezone.localdate() + datetime.timedelta(days=5)
    )
    Call.objects.filter(pk=call.pk).update(jury_requires_two_factor=True)
    candidacy = submitted_candidacy(call, "De Brug")
    juror = JuryMember.objects.create(call=call, user=factories.user("jurylid@example.org", full_name="Jurylid Een"))
    candidacy_url = reverse("jury:candidacy", args=[candidacy.pk])

    # 1. A password login, then the jury page of this call: sent to set up the second factor, with the reason.
    log_in_through_the_form(page, live_server, juror.user.email)
    page.goto(live_server.url + candidacy_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    expect(page.get_by_role("status")).to_contain_text("vragen na je wachtwoord een tweede stap")
    expect(page.get_by_role("img", name="QR-code om te scannen met je authenticator-app")).to_be_visible()
    device = TOTPDevice.objects.get(user=juror.user, confirmed=False)
    expect(page.locator("#secret")).to_have_text(" ".join(re.findall(".{1,4}", factories.b32_key(device))))
    journey.check(page, "setup")

    # 2. The first code confirms the app; the ten recovery codes are shown once.
    page.locator("main input[name=code]").fill(factories.authenticator_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Herstelcodes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    journey.check(page, "recovery-codes")

    # 3. On to the jury page it asked for.
    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    expect(page).to_have_url(live_server.url + candidacy_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(candidacy.title)
