"""The applicant's pages: bad input gets a Dutch message at its field, keeps every value, changes nothing."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from candidacies.models import Attachment, Candidacy
from tests import factories

from .conftest import DURING_INTAKE, FIRST_SECOND_LATE, LAST_SECOND


@pytest.fixture
def member_client(client, applicant):
    client.force_login(applicant)
    return client


@pytest.fixture
def outsider_client(other_applicant, other_organisation):
    client = Client()
    client.force_login(other_applicant)
    return client


def edit_url(candidacy):
    return reverse("candidacies:candidacy_update", args=[candidacy.pk])


def post_form(client, candidacy, intent="submit", **overrides):
    data = factories.complete_form_data(candidacy.call, candidacy, **overrides)
    data[intent] = "1"
    return client.post(edit_url(candidacy), data)


@time_machine.travel(DURING_INTAKE, tick=False)
def test_submitting_a_complete_form_submits_and_redirects(member_client, draft, mailoutbox):
    response = post_form(member_client, draft)
    draft.refresh_from_db()
    assert (response.status_code, response.url) == (302, draft.get_absolute_url())
    assert (draft.status, draft.reference, str(draft.budget)) == ("submitted", "MAAS-2023-001", "45000.50")


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_wrong_field_gets_a_message_there_and_every_value_comes_back(member_client, draft):
    response = post_form(member_client, draft, challenges=[], budget="-5")
    page = response.content.decode()
    draft.refresh_from_db()
    assert response.status_code == 400
    assert (draft.status, draft.summary) == ("draft", "")
    assert 'id="error-summary"' in page
    assert 'href="#id_challenges_0"' in page and 'href="#id_budget"' in page
    assert "Buddywerking en taalcoaching voor vrouwen in Maasmechelen." in page
    assert 'value="-5"' in page


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_summary_over_the_limit_is_refused_with_every_value_kept(member_client, draft):
    too_long = "a" * (Candidacy.SUMMARY_MAX_LENGTH + 1)
    response = post_form(member_client, draft, intent="draft", summary=too_long)
    draft.refresh_from_db()
    assert (response.status_code, draft.summary) == (400, "")
    assert too_long in response.content.decode()
    assert "1500" in response.context["form"].errors["summary"][0]


@pytest.mark.parametrize("budget", ["-1", "99999999999", "1e30", "veel", "12,345"])
@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_negative_or_absurd_budget_is_refused(member_client, draft, budget):
    response = post_form(member_client, draft, budget=budget)
    draft.refresh_from_db()
    assert (response.status_code, draft.budget, "budget" in response.context["form"].errors) == (400, None, True)


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_belgian_budget_with_dots_and_a_comma_is_read_as_euro(member_client, draft):
    post_form(member_client, draft, intent="draft", budget="1.250.000,75")
    draft.refresh_from_db()
    assert str(draft.budget) == "1250000.75"


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_draft_saves_with_only_a_title(member_client, draft):
    response = member_client.post(
        edit_url(draft),
        {
            "lock_version": draft.lock_version,
            "submission_token": "3f5b6c1e-0d1a-4a53-9a6f-1f6c8f2e9b10",
            "title": "Alleen een titel",
            "draft": "1",
        },
    )
    draft.refresh_from_db()
    assert (response.status_code, draft.title, draft.status) == (302, "Alleen een titel", "draft")


@time_machine.travel(FIRST_SECOND_LATE, tick=False)
def test_a_submission_one_second_after_the_deadline_is_refused_and_names_the_deadline(member_client, draft):
    response = post_form(member_client, draft)
    draft.refresh_from_db()
    follow = member_client.get(response.url)
    assert (draft.status, draft.summary) == ("draft", "")
    assert "1 juni 2023 om 23:59" in follow.content.decode()


@time_machine.travel(LAST_SECOND, tick=False)
def test_a_submission_at_the_last_second_through_the_form_is_taken(member_client, draft):
    post_form(member_client, draft)
    draft.refresh_from_db()
    assert draft.status == "submitted"


@time_machine.travel(FIRST_SECOND_LATE, tick=False)
def test_after_the_deadline_the_draft_is_read_only(member_client, draft):
    response = member_client.get(edit_url(draft))
    assert (response.status_code, response.url) == (302, draft.get_absolute_url())


@time_machine.travel(DURING_INTAKE, tick=False)
def test_two_tabs_the_second_save_is_refused_and_shows_the_others_changes(member_client, draft):
    opened = draft.lock_version
    post_form(member_client, draft, intent="draft", summary="Uit tab één", lock_version=opened)
    response = post_form(member_client, draft, intent="draft", summary="Uit tab twee", lock_version=opened)
    draft.refresh_from_db()
    page = response.content.decode()
    assert (response.status_code, draft.summary) == (409, "Uit tab één")
    assert "Uit tab één" in page and "Uit tab twee" in page


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_double_click_on_submit_makes_one_submission(member_client, draft):
    post_form(member_client, draft)
    response = post_form(member_client, draft)
    draft.refresh_from_db()
    assert (response.status_code, draft.versions.count()) == (302, 1)


@time_machine.travel(DURING_INTAKE, tick=False)
def test_an_upload_is_kept_even_when_the_rest_of_the_form_is_wrong(member_client, draft):
    response = post_form(member_client, draft, intent="upload", summary="a" * 1501, attachment=factories.pdf_file())
    assert response.status_code == 400
    assert list(draft.attachments.values_list("name", flat=True)) == ["plan.pdf"]


@time_machine.travel(DURING_INTAKE, tick=False)
def test_an_exe_renamed_to_pdf_gets_a_message_at_the_file_field_and_keeps_the_typing(member_client, draft):
    response = post_form(member_client, draft, intent="upload", attachment=factories.exe_file())
    draft.refresh_from_db()
    assert response.status_code == 400
    assert "attachment" in response.context["form"].errors
    assert (Attachment.objects.count(), draft.summary) == (0, factories.complete_content(draft.call)["summary"])
    assert "Buddywerking en taalcoaching" in response.content.decode()


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_sixth_attachment_through_the_form_is_refused(member_client, draft):
    for number in range(5):
        post_form(
            member_client,
            Candidacy.objects.get(pk=draft.pk),
            intent="upload",
            attachment=factories.pdf_file(f"deel{number}.pdf"),
        )
    response = post_form(
        member_client, Candidacy.objects.get(pk=draft.pk), intent="upload", attachment=factories.pdf_file("zes.pdf")
    )
    assert (response.status_code, draft.attachments.count()) == (400, 5)
    assert "attachment" in response.context["form"].errors


def test_another_applicant_gets_404_on_every_page_of_the_candidacy(outsider_client, draft, applicant):
    from candidacies import services

    attachment = services.add_attachment(draft, factories.pdf_file(), by=applicant, at=DURING_INTAKE)
    urls = [
        draft.get_absolute_url(),
        edit_url(draft),
        attachment.get_absolute_url(),
        reverse("candidacies:receipt_download", args=[draft.pk, 1]),
    ]
    assert [outsider_client.get(url).status_code for url in urls] == [404, 404, 404, 404]


@time_machine.travel(DURING_INTAKE, tick=False)
def test_another_applicant_cannot_post_to_the_candidacy(outsider_client, draft):
    response = post_form(outsider_client, draft)
    withdraw = outsider_client.post(reverse("candidacies:candidacy_withdraw", args=[draft.pk]), {"confirm": "yes"})
    draft.refresh_from_db()
    assert (response.status_code, withdraw.status_code, draft.status) == (404, 404, "draft")


def test_an_anonymous_visitor_is_sent_to_the_login(client, draft):
    response = client.get(draft.get_absolute_url())
    assert (response.status_code, response.url.split("?")[0]) == (302, reverse("accounts:login"))


def test_a_member_downloads_an_attachment_as_an_attachment(member_client, draft, applicant):
    from candidacies import services

    attachment = services.add_attachment(draft, factories.pdf_file("plan.pdf"), by=applicant, at=DURING_INTAKE)
    response = member_client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@time_machine.travel(DURING_INTAKE, tick=False)
def test_a_form_posted_without_a_csrf_token_is_refused_and_stores_nothing(applicant, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    data = factories.complete_form_data(draft.call, draft)
    data["submit"] = "1"
    response = client.post(edit_url(draft), data)
    draft.refresh_from_db()
    assert (response.status_code, draft.status, draft.summary) == (403, "draft", "")


@time_machine.travel(DURING_INTAKE, tick=False)
def test_withdrawing_needs_the_confirmation_box(member_client, draft):
    member_client.post(reverse("candidacies:candidacy_withdraw", args=[draft.pk]), {})
    draft.refresh_from_db()
    assert draft.status == "draft"
    member_client.post(reverse("candidacies:candidacy_withdraw", args=[draft.pk]), {"confirm": "yes"})
    draft.refresh_from_db()
    assert draft.status == "withdrawn"


@time_machine.travel(DURING_INTAKE, tick=False)
def test_starting_a_second_candidacy_leads_to_the_first(member_client, maasland_call, organisation, draft):
    response = member_client.post(
        reverse("candidacies:candidacy_create", args=[maasland_call.slug]),
        {"organisation": organisation.pk, "title": "Nog een"},
    )
    assert (response.status_code, response.url) == (302, draft.get_absolute_url())
    assert Candidacy.objects.count() == 1


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_edit_page_shows_the_time_left(member_client, draft):
    page = member_client.get(edit_url(draft)).content.decode()
    assert "1\xa0dag, 11\xa0uur" in page


@pytest.mark.parametrize("count", [5, 50])
@time_machine.travel(DURING_INTAKE, tick=False)
def test_my_candidacies_takes_the_same_queries_for_5_and_50(
    member_client, maasland_call, applicant, count, django_assert_num_queries
):
    maasland_call.one_candidacy_per_organisation = False
    maasland_call.save()
    organisation = factories.organisation(applicant)
    for number in range(count):
        candidacy = factories.candidacy(maasland_call, organisation, title=f"Project {number}")
        Attachment.objects.create(
            candidacy=candidacy,
            name="a.pdf",
            kind="pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=applicant,
            file="attachments/x/a.pdf",
        )
    with django_assert_num_queries(8):
        response = member_client.get(reverse("candidacies:candidacy_list"))
    assert response.content.decode().count("Project ") == count


@time_machine.travel(DURING_INTAKE, tick=False)
def test_every_applicant_page_shows_the_time_left_while_intake_is_open(member_client, organisation, maasland_call):
    page = member_client.get(organisation.get_absolute_url()).content.decode()
    assert "nog 1\xa0dag, 11\xa0uur" in page


@time_machine.travel(FIRST_SECOND_LATE, tick=False)
def test_after_the_deadline_no_page_shows_a_time_left(member_client, organisation, maasland_call):
    page = member_client.get(organisation.get_absolute_url()).content.decode()
    assert "kandidaturen tot" not in page


@time_machine.travel(DURING_INTAKE, tick=False)
@pytest.mark.parametrize("duration", ["-3", "0", "121"])
def test_every_wrong_duration_names_the_same_limits(member_client, draft, duration):
    """−3 said "minstens 0" and then 0 said "minstens 1": one message with both limits, whatever the wrong value."""
    response = post_form(member_client, draft, intent="draft", duration_months=duration)
    assert response.context["form"].errors["duration_months"] == ["Geef een looptijd van 1 tot 120 maanden."]


@time_machine.travel(DURING_INTAKE, tick=False)
def test_an_empty_file_gets_one_message_that_names_it(member_client, draft):
    data = factories.complete_form_data(draft.call, draft)
    data["attachment"] = SimpleUploadedFile("begroting.pdf", b"", content_type="application/pdf")
    data["draft"] = "1"
    response = member_client.post(edit_url(draft), data)
    assert response.context["form"].errors["attachment"] == ["begroting.pdf is leeg."]
    assert Attachment.objects.count() == 0


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_error_summary_names_a_missing_field_without_the_label_star(member_client, draft):
    response = post_form(member_client, draft, budget_breakdown="")
    message = response.context["form"].errors["budget_breakdown"][0]
    assert (message.endswith("*."), f"{message}</a>" in response.content.decode()) == (False, True)
