"""Two staff journeys in a real browser, each page checked with axe-core (journey.check):

- the call manager writes to everyone with a draft two days before the deadline: the candidacy list filtered on
  "ontwerp", the action "Groepsmail sturen", the text with its placeholders, the preview, the sending, the log;
- a weerwoord assessed in two steps: the call manager prepares the assessment in admin, the chair confirms it on
  her "Weerwoorden" page in the portal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candidacies.models import GroupMail
from challenges.services import copy_call_shifted
from jury import communication
from jury.models import Decision, Weerwoord
from tests import factories

from .conftest import call_manager, call_shifted_to, chair_of, decided_candidacy

pytestmark = pytest.mark.sqlite_pass

BODY = "Dag,\n\nJe kandidatuur {{ titel }} is nog een ontwerp. Dien ze in vóór {{ deadline }}.\n\n{{ contact }}\n"


def test_the_call_manager_mails_every_draft_two_days_before_the_deadline(
    page, live_server, e2e_maasland_call, journey, log_in, mailoutbox
):
    days = (timezone.localdate() + datetime.timedelta(days=2) - timezone.localdate(e2e_maasland_call.deadline)).days
    call = copy_call_shifted(e2e_maasland_call, slug="e2e-groepsmail", subtitle="E2E", reference_prefix="GM", days=days)
    drafts = [
        factories.candidacy(
            call, factories.organisation(factories.user(f"lid@{name}.example")), title=f"Project {name}"
        )
        for name in ("brug", "kompas")
    ]
    factories.submitted_candidacy(call, name="Ingediend", at=timezone.now())
    mailoutbox.clear()  # the submitted one's receipt
    log_in(call_manager())

    # 1. The candidacies of the call with a draft: the filter of the list.
    journey.visit(
        page,
        reverse("admin:candidacies_candidacy_changelist") + f"?call__id__exact={call.pk}&status__exact=draft",
        "drafts",
    )
    expect(page.locator("#result_list tbody tr")).to_have_count(2)

    # 2. Both ticked, the action, and the text it starts from, with the recipients and the placeholders.
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(label="Groepsmail sturen")
    page.get_by_role("button", name="Uitvoeren").click()
    expect(page.get_by_role("heading", name="Ontvangers: 2 adressen")).to_be_visible()
    expect(page.get_by_role("cell", name="{{ deadline }}")).to_be_visible()
    journey.check(page, "write")

    # 3. A placeholder of no mail is refused at the field, the text kept; then the real text and its preview.
    page.get_by_label("Onderwerp").fill("Nog twee dagen: {{ titel }}")
    page.get_by_label("Tekst").fill("Dag {{ iban }}")
    page.get_by_role("button", name="Voorbeeld tonen").click()
    expect(page.locator(".errorlist")).to_contain_text("{{ iban }} is geen plaatshouder van deze e-mail.")
    expect(page.get_by_label("Tekst")).to_have_value("Dag {{ iban }}")
    journey.check(page, "refused")
    page.get_by_label("Tekst").fill(BODY)
    page.get_by_role("button", name="Voorbeeld tonen").click()
    expect(page.locator(".mail-preview")).to_contain_text("Je kandidatuur Project brug is nog een ontwerp.")
    journey.check(page, "preview")

    # 4. Sent: one mail per address, and the log of the sending with its recipients.
    page.get_by_role("button", name="Versturen naar 2 adressen").click()
    expect(page.locator(".messagelist")).to_contain_text("De groepsmail is verstuurd naar 2 adressen.")
    expect(page.locator("#content")).to_contain_text("lid@kompas.example")
    journey.check(page, "log")
    sending = GroupMail.objects.get()
    assert (sending.subject, sending.recipients.count()) == ("Nog twee dagen: {{ titel }}", 2)
    mails = sorted((message.to, message.subject) for message in mailoutbox)
    assert mails == [
        (["lid@brug.example"], f"Nog twee dagen: {drafts[0].title}"),
        (["lid@kompas.example"], f"Nog twee dagen: {drafts[1].title}"),
    ]
    assert "\n\nJe kandidatuur Project kompas is nog een ontwerp." in next(
        message.body for message in mailoutbox if message.to == ["lid@kompas.example"]
    )


def test_the_call_manager_prepares_a_weerwoords_assessment_and_the_chair_confirms_it(
    page, live_server, e2e_maasland_call, journey, log_in, mailoutbox
):
    call = call_shifted_to(
        e2e_maasland_call, slug="e2e-twee-stappen", first_pitch_day=timezone.localdate() - datetime.timedelta(days=20)
    )
    manager = call_manager()
    chair = chair_of(call)
    candidacy = decided_candidacy(call, "Taalhuis", chair, outcome="not_selected", manager=manager)
    communication.send_decision(candidacy.decision, by=manager, at=timezone.now() - datetime.timedelta(days=2))
    weerwoord = communication.file_weerwoord(
        Decision.objects.get(pk=candidacy.decision.pk),
        text="De jury zag onze samenwerking met het OCMW over het hoofd.",
        by=candidacy.organisation.members.get(),
        at=timezone.now() - datetime.timedelta(days=1),
    )

    # 1. The call manager prepares the assessment in admin: nothing counts yet.
    log_in(manager)
    journey.visit(page, reverse("admin:jury_weerwoord_change", args=[weerwoord.pk]), "weerwoord")
    page.get_by_role("link", name="Beoordeling voorbereiden").click()
    page.get_by_label("Gegrond", exact=True).check()
    page.get_by_label("Motivering").fill("De samenwerking met het OCMW telt mee voor het bereik.")
    journey.check(page, "prepare")
    page.get_by_role("button", name="Beoordeling voorbereiden").click()
    expect(page.locator(".messagelist")).to_contain_text("ze telt zodra de voorzitter ze bevestigd heeft")
    journey.check(page, "prepared")
    assert Weerwoord.objects.get(pk=weerwoord.pk).assessment == ""

    # 2. The chair finds it from her jury page, reads the proposal and confirms it.
    log_in(chair.user)
    journey.visit(page, reverse("jury:dashboard"), "jury")
    page.get_by_role("link", name="Weerwoorden").click()
    expect(page.locator(".prepared-assessment")).to_contain_text("Gegrond")
    journey.check(page, "to-confirm")
    mails_before = len(mailoutbox)
    page.get_by_role("button", name="Bevestig deze beoordeling").click()
    expect(page.locator(".confirmed-assessment")).to_contain_text("bevestigd door Vera Voorzitter")
    journey.check(page, "confirmed")
    confirmed = Weerwoord.objects.get(pk=weerwoord.pk)
    assert (confirmed.assessment, confirmed.assessed_by, len(mailoutbox) - mails_before) == ("founded", chair.user, 1)
