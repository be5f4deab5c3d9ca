"""The call manager runs the candidacies in Django admin: lists, filters, search, extensions and the CSV export."""

import csv
import datetime
import io
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from candidacies.enterprise_number import normalise_enterprise_number
from candidacies.models import Attachment, Candidacy, CandidacyVersion, Invitation, Membership, Organisation
from challenges.models import Challenge, Municipality, Persona, ServiceType
from demo.services import ensure_call_manager_group

CANDIDACY_LIST = reverse("admin:candidacies_candidacy_changelist")
ORGANISATION_LIST = reverse("admin:candidacies_organisation_changelist")
# Measured once with 5 candidacies: session, user, permissions (2), the choices of 5 filters, the rows (counted from
# the rows read: maasland/quick_changelist.py).
CANDIDACY_LIST_QUERIES = 10
BRUSSELS_AFTER_DEADLINE = "2023-06-02 10:00:00+02:00"


def brussels(*args):
    return timezone.make_aware(datetime.datetime(*args))


def enterprise_number(seed):
    """A valid KBO number: 0, eight digits from the seed, then the modulo-97 check digits."""
    body = f"0{seed:07d}"
    return normalise_enterprise_number(f"{body}{97 - int(body) % 97:02d}")


@pytest.fixture
def applicant(db):
    return get_user_model().objects.create_user("an@partner.example", "a-long-password-1", full_name="An Peeters")


@pytest.fixture
def manager(db):
    user = get_user_model().objects.create_user(
        "liesbet@maasmechelen.example", "a-long-password-2", full_name="Liesbet Adams", is_staff=True
    )
    user.groups.add(ensure_call_manager_group())
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def make_organisation(seed, name=None):
    return Organisation.objects.create(
        name=name or f"Partner {seed}",
        enterprise_number=enterprise_number(seed),
        street="Stationsstraat 1",
        postal_code="3630",
        city="Maasmechelen",
        contact_name="Contact",
        contact_email=f"contact{seed}@partner.example",
    )


def make_candidacy(call, number, *, created_by, status=Candidacy.Status.SUBMITTED, organisation=None, **fields):
    return Candidacy.objects.create(
        call=call,
        organisation=organisation or make_organisation(number),
        created_by=created_by,
        status=status,
        reference=f"MAAS-2023-{number:03d}",
        title=fields.pop("title", f"Project {number}"),
        submitted_at=fields.pop("submitted_at", brussels(2023, 5, 20, 14, 30)),
        **fields,
    )


def add_attachment(candidacy, by, *, removed_at=None):
    return Attachment.objects.create(
        candidacy=candidacy,
        file="attachments/test/plan.pdf",
        name="plan.pdf",
        kind=Attachment.Kind.PDF,
        size=1234,
        sha256="a" * 64,
        uploaded_by=by,
        removed_at=removed_at,
    )


def listed_references(response):
    return sorted(candidacy.reference for candidacy in response.context["cl"].result_list)


def action_post(candidacies, action, **data):
    return {"action": action, "_selected_action": [candidacy.pk for candidacy in candidacies], **data}


@pytest.mark.parametrize("count", [5, 50])
def test_the_candidacy_list_takes_the_same_number_of_queries_for_5_and_for_50_candidacies(
    manager_client, maasland_call, applicant, count, django_assert_num_queries
):
    challenge = Challenge.objects.get(call=maasland_call, number=1)
    for number in range(1, count + 1):
        candidacy = make_candidacy(maasland_call, number, created_by=applicant)
        candidacy.challenges.add(challenge)
        add_attachment(candidacy, applicant)
    with django_assert_num_queries(CANDIDACY_LIST_QUERIES):
        response = manager_client.get(CANDIDACY_LIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == count


def test_the_candidacy_list_counts_only_the_attachments_not_removed(manager_client, maasland_call, applicant):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    add_attachment(candidacy, applicant)
    add_attachment(candidacy, applicant)
    add_attachment(candidacy, applicant, removed_at=brussels(2023, 5, 21, 9, 0))
    response = manager_client.get(CANDIDACY_LIST)
    assert [row.attachment_count for row in response.context["cl"].result_list] == [2]


def test_filtering_on_status_lists_only_candidacies_with_that_status(manager_client, maasland_call, applicant):
    make_candidacy(maasland_call, 1, created_by=applicant)
    make_candidacy(maasland_call, 2, created_by=applicant, status=Candidacy.Status.DRAFT)
    make_candidacy(maasland_call, 3, created_by=applicant)
    response = manager_client.get(CANDIDACY_LIST, {"status__exact": "submitted"})
    assert listed_references(response) == ["MAAS-2023-001", "MAAS-2023-003"]


def test_filtering_on_a_challenge_lists_only_candidacies_that_chose_it(manager_client, maasland_call, applicant):
    first, second = Challenge.objects.filter(call=maasland_call).order_by("number")[:2]
    make_candidacy(maasland_call, 1, created_by=applicant).challenges.add(first)
    make_candidacy(maasland_call, 2, created_by=applicant).challenges.add(second)
    make_candidacy(maasland_call, 3, created_by=applicant).challenges.add(first, second)
    response = manager_client.get(CANDIDACY_LIST, {"challenges__id__exact": second.pk})
    assert listed_references(response) == ["MAAS-2023-002", "MAAS-2023-003"]


def test_searching_a_reference_finds_that_candidacy(manager_client, maasland_call, applicant):
    for number in (1, 2, 3):
        make_candidacy(maasland_call, number, created_by=applicant)
    response = manager_client.get(CANDIDACY_LIST, {"q": "MAAS-2023-002"})
    assert listed_references(response) == ["MAAS-2023-002"]


def test_searching_a_kbo_number_typed_with_dots_finds_the_organisations_candidacy(
    manager_client, maasland_call, applicant
):
    make_candidacy(maasland_call, 1, created_by=applicant, organisation=make_organisation(4003784))
    make_candidacy(maasland_call, 2, created_by=applicant, organisation=make_organisation(1234567))
    response = manager_client.get(CANDIDACY_LIST, {"q": "0400.378.485"})
    assert listed_references(response) == ["MAAS-2023-001"]


def test_the_organisation_list_shows_the_kbo_with_dots_and_the_number_of_members(manager_client, applicant, manager):
    organisation = make_organisation(1234567, name="Werkpunt Maasland")
    Membership.objects.create(organisation=organisation, user=applicant)
    Membership.objects.create(organisation=organisation, user=manager)
    response = manager_client.get(ORGANISATION_LIST, {"q": "0123 456 749"})
    page = response.content.decode()
    assert [row.member_count for row in response.context["cl"].result_list] == [2]
    assert "0123.456.749" in page


def test_choosing_the_extension_action_asks_until_when_and_why(manager_client, maasland_call, applicant):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    response = manager_client.post(CANDIDACY_LIST, action_post([candidacy], "grant_extension"))
    assert response.status_code == 200
    assert [template.name for template in response.templates][0] == "admin/candidacies/candidacy/grant_extension.html"
    assert list(response.context["form"].fields) == ["until_date", "until_time", "reason"]
    candidacy.refresh_from_db()
    assert candidacy.extended_until is None


@time_machine.travel(BRUSSELS_AFTER_DEADLINE, tick=False)
def test_the_extension_action_grants_the_extension_and_keeps_who_and_why(
    manager_client, manager, maasland_call, applicant
):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    reason = "Overstroming in het kantoor op 1 juni."
    response = manager_client.post(
        CANDIDACY_LIST,
        action_post([candidacy], "grant_extension", apply_extension="yes", until_date="2023-06-08", reason=reason),
    )
    candidacy.refresh_from_db()
    latest = candidacy.history.first()
    assert response.status_code == 302
    assert candidacy.extended_until == brussels(2023, 6, 8, 23, 59, 59)
    assert (candidacy.extension_reason, candidacy.extension_granted_by) == (reason, manager)
    step = candidacy.procedure_steps.get(action="grant_extension")
    assert (latest.history_user, latest.history_change_reason) == (manager, "extension granted")
    assert (step.by, step.reason) == (manager, f"tot 8 juni 2023 om 23:59: {reason}")
    assert [message.message for message in get_messages(response.wsgi_request)] == [
        "1 kandidatuur kreeg uitstel tot 8 juni 2023 om 23:59."
    ]


@time_machine.travel("2023-05-30 10:00:00+02:00", tick=False)
def test_the_extension_action_refuses_an_end_before_the_deadline_and_changes_nothing(
    manager_client, maasland_call, applicant, mailoutbox
):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    history_before = candidacy.history.count()
    response = manager_client.post(
        CANDIDACY_LIST,
        action_post(
            [candidacy],
            "grant_extension",
            apply_extension="yes",
            until_date="2023-06-01",
            until_time="12:00",
            reason="Ziek",
        ),
    )
    with translation.override("nl-be"):
        refusal = translation.gettext("An extension must end after the call's deadline of %(deadline)s.") % {
            "deadline": "1 juni 2023 om 23:59"
        }
    candidacy.refresh_from_db()
    assert [message.message for message in get_messages(response.wsgi_request)] == [f"{candidacy}: {refusal}"]
    assert (candidacy.extended_until, candidacy.extension_reason, candidacy.extension_granted_by) == (None, "", None)
    assert candidacy.history.count() == history_before
    assert mailoutbox == []


@time_machine.travel(BRUSSELS_AFTER_DEADLINE, tick=False)
def test_an_extension_that_ends_in_the_past_is_refused_at_the_day_with_the_typed_values_kept(
    manager_client, maasland_call, applicant, mailoutbox
):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    response = manager_client.post(
        CANDIDACY_LIST,
        action_post([candidacy], "grant_extension", apply_extension="yes", until_date="2023-06-01", reason="Ziek"),
    )
    candidacy.refresh_from_db()
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors == {"until_date": ["Een uitstel moet in de toekomst eindigen."]}
    assert (form["until_date"].value(), form["reason"].value()) == ("2023-06-01", "Ziek")
    assert (candidacy.extended_until, mailoutbox) == (None, [])


@time_machine.travel(BRUSSELS_AFTER_DEADLINE, tick=False)
def test_an_extension_earlier_today_is_refused_at_the_time(manager_client, maasland_call, applicant):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    response = manager_client.post(
        CANDIDACY_LIST,
        action_post(
            [candidacy],
            "grant_extension",
            apply_extension="yes",
            until_date="2023-06-02",
            until_time="09:59",
            reason="Ziek",
        ),
    )
    candidacy.refresh_from_db()
    assert response.context["form"].errors == {"until_time": ["Een uitstel moet in de toekomst eindigen."]}
    assert candidacy.extended_until is None


@time_machine.travel(BRUSSELS_AFTER_DEADLINE, tick=False)
def test_an_extension_with_a_time_lasts_to_the_last_second_of_that_minute_and_is_mailed_to_the_applicants(
    manager_client, maasland_call, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    Membership.objects.create(organisation=candidacy.organisation, user=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            CANDIDACY_LIST,
            action_post(
                [candidacy],
                "grant_extension",
                apply_extension="yes",
                until_date="2023-06-05",
                until_time="14:00",
                reason="Stroompanne bij de partner.",
            ),
        )
    candidacy.refresh_from_db()
    assert candidacy.extended_until == brussels(2023, 6, 5, 14, 0, 59)
    assert [(message.subject, message.to) for message in mailoutbox] == [
        ("Uitstel voor je kandidatuur tot en met 5 juni 2023 om 14:00:59", [applicant.email])
    ]
    body = mailoutbox[0].body
    assert "tot en met 5 juni 2023 om 14:00:59 (Belgische tijd)" in body
    assert "Reden: Stroompanne bij de partner." in body
    assert candidacy.get_absolute_url() in body


@time_machine.travel(BRUSSELS_AFTER_DEADLINE, tick=False)
def test_the_extension_action_asks_again_when_the_reason_is_missing(manager_client, maasland_call, applicant):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    response = manager_client.post(
        CANDIDACY_LIST,
        action_post([candidacy], "grant_extension", apply_extension="yes", until_date="2023-06-08", reason=" "),
    )
    candidacy.refresh_from_db()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason"]
    assert response.context["form"]["until_date"].value() == "2023-06-08"
    assert candidacy.extended_until is None


def test_staff_who_may_only_view_candidacies_are_not_offered_the_extension_action(client, maasland_call, applicant):
    viewer = get_user_model().objects.create_user("kijker@maasland.example", "a-long-password-3", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_candidacy"))
    make_candidacy(maasland_call, 1, created_by=applicant)
    client.force_login(viewer)
    response = client.get(CANDIDACY_LIST)
    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "export_csv", "export_xlsx"]


@time_machine.travel("2023-06-10 09:00:00+02:00", tick=False)
def test_the_csv_export_has_a_header_and_one_row_per_selected_candidacy(manager_client, maasland_call, applicant):
    first = make_candidacy(
        maasland_call,
        1,
        created_by=applicant,
        title="Samen naar werk",
        organisation=make_organisation(1234567, name="Werkpunt Maasland"),
        expected_participants=40,
        duration_months=18,
        budget=Decimal("12500.50"),
        contact_name="An Peeters",
        contact_email="an@partner.example",
    )
    first.challenges.add(*Challenge.objects.filter(call=maasland_call, number__in=[3, 1]))
    first.personas.add(*Persona.objects.filter(call=maasland_call, slug__in=["mo", "chadia"]))
    first.service_types.add(ServiceType.objects.get(call=maasland_call, position=2))
    first.municipalities.add(*Municipality.objects.filter(slug__in=["maaseik", "kinrooi"]))
    add_attachment(first, applicant)
    second = make_candidacy(maasland_call, 2, created_by=applicant, status=Candidacy.Status.DRAFT)
    make_candidacy(maasland_call, 3, created_by=applicant)

    response = manager_client.post(CANDIDACY_LIST, action_post([second, first], "export_csv"))
    content = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    with translation.override("nl-be"):
        statuses = [str(Candidacy.Status.SUBMITTED.label), str(Candidacy.Status.DRAFT.label)]

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="MAAS-kandidaturen-2023-06-10.csv"'
    assert content.startswith("\ufeff")
    assert len(rows) == 3
    assert (len(rows[0]), rows[0][-1]) == (32, "Aantal bijlagen")
    shown = [
        "Referentie",
        "Titel",
        "Organisatie",
        "Ondernemingsnummer (KBO)",
        "Oproep",
        "Status",
        "Laatst ingediend op",
        "Regio-uitdagingen",
        "Persona",
        "Typen dienstverlening",
        "Bediende gemeenten",
        "Verwacht aantal deelnemers",
        "Looptijd (maanden)",
        "Gevraagd budget (euro)",
        "Contactpersoon",
        "E-mailadres contactpersoon",
        "Aantal bijlagen",
    ]
    first_row = dict(zip(rows[0], rows[1], strict=True))
    assert [first_row[title] for title in shown] == [
        "MAAS-2023-001",
        "Samen naar werk",
        "Werkpunt Maasland",
        "0123.456.749",
        "Capacity Building Lokale Partnerschappen – Lokaal Addendum – werkingsregio Maasland",
        statuses[0],
        "2023-05-20 14:30:00",
        "Regio-uitdaging 1: Chadia, Regio-uitdaging 3: Marcel, Jordy en Roy",
        "Chadia, Mo",
        "Thematische expertise",
        "Kinrooi, Maaseik",
        "40",
        "18",
        "12500,50",
        "An Peeters",
        "an@partner.example",
        "1",
    ]
    assert (rows[2][0], rows[2][6], rows[2][-1]) == ("MAAS-2023-002", statuses[1], "0")


def test_the_csv_export_takes_the_same_number_of_queries_for_2_and_for_20_candidacies(
    manager_client, maasland_call, applicant, django_assert_max_num_queries
):
    challenge = Challenge.objects.get(call=maasland_call, number=2)
    candidacies = [make_candidacy(maasland_call, number, created_by=applicant) for number in range(1, 21)]
    for candidacy in candidacies:
        candidacy.challenges.add(challenge)
    counts = []
    for selected in (candidacies[:2], candidacies):
        with django_assert_max_num_queries(100) as captured:
            manager_client.post(CANDIDACY_LIST, action_post(selected, "export_csv"))
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_csv_export_keeps_a_title_that_looks_like_a_formula_as_text(manager_client, maasland_call, applicant):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant, title="=HYPERLINK(1)")
    response = manager_client.post(CANDIDACY_LIST, action_post([candidacy], "export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == "'=HYPERLINK(1)"


@time_machine.travel("2023-06-02 00:00:00+02:00", tick=False)
def test_after_the_deadline_every_content_field_is_read_only(manager_client, maasland_call, applicant):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    response = manager_client.get(reverse("admin:candidacies_candidacy_change", args=[candidacy.pk]))
    editable = set(response.context["adminform"].form.fields)
    assert editable & {"title", "summary", "budget", "challenges", "contact_email"} == set()


@time_machine.travel("2023-06-01 23:59:59+02:00", tick=False)
def test_before_the_deadline_content_is_editable_but_the_extension_is_not(manager_client, maasland_call, applicant):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    response = manager_client.get(reverse("admin:candidacies_candidacy_change", args=[candidacy.pk]))
    editable = set(response.context["adminform"].form.fields)
    assert editable >= {"title", "summary", "budget", "challenges", "contact_email"}
    assert editable & {"extended_until", "extension_reason", "extension_granted_by"} == set()


@time_machine.travel("2023-06-05 12:00:00+02:00", tick=False)
def test_within_an_extension_content_is_editable_again(manager_client, maasland_call, applicant, manager):
    candidacy = make_candidacy(
        maasland_call,
        1,
        created_by=applicant,
        extended_until=brussels(2023, 6, 8, 23, 59, 59),
        extension_reason="Overstroming",
        extension_granted_by=manager,
    )
    response = manager_client.get(reverse("admin:candidacies_candidacy_change", args=[candidacy.pk]))
    assert "title" in response.context["adminform"].form.fields


def test_the_change_form_offers_only_the_challenges_of_the_candidacys_own_call(
    manager_client, maasland_call, applicant
):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    with time_machine.travel("2023-05-01 12:00:00+02:00", tick=False):
        response = manager_client.get(reverse("admin:candidacies_candidacy_change", args=[candidacy.pk]))
    queryset = response.context["adminform"].form.fields["challenges"].queryset
    assert list(queryset) == list(Challenge.objects.filter(call=maasland_call).order_by("number"))


def test_the_attachment_inline_links_to_the_download(manager_client, maasland_call, applicant):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    attachment = add_attachment(candidacy, applicant)
    response = manager_client.get(reverse("admin:candidacies_candidacy_change", args=[candidacy.pk]))
    url = reverse("candidacies:attachment_download", args=[candidacy.pk, attachment.pk])
    assert f'href="{url}"' in response.content.decode()


@time_machine.travel(BRUSSELS_AFTER_DEADLINE, tick=False)
def test_the_history_page_shows_who_granted_the_extension_and_why(manager_client, maasland_call, applicant):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    manager_client.post(
        CANDIDACY_LIST,
        action_post(
            [candidacy], "grant_extension", apply_extension="yes", until_date="2023-06-08", reason="Overstroming"
        ),
    )
    response = manager_client.get(reverse("admin:candidacies_candidacy_history", args=[candidacy.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert ("Overstroming" in page, "Liesbet Adams" in page) == (True, True)


def test_reverting_to_an_old_version_from_the_history_is_refused(manager_client, maasland_call, applicant):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    version = candidacy.history.first()
    url = reverse("admin:candidacies_candidacy_simple_history", args=[candidacy.pk, version.history_id])
    response = manager_client.post(url, {"title": "Overschreven"})
    candidacy.refresh_from_db()
    assert (response.status_code, candidacy.title) == (403, "Project 1")


def test_a_user_who_is_not_staff_is_sent_to_the_admin_login(client, applicant):
    client.force_login(applicant)
    response = client.get(CANDIDACY_LIST)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={CANDIDACY_LIST}"


def test_every_candidacies_admin_page_opens_for_the_call_manager(manager_client, maasland_call, applicant, manager):
    organisation = make_organisation(1234567)
    Membership.objects.create(organisation=organisation, user=applicant)
    invitation = Invitation.objects.create(
        organisation=organisation, email="bram@partner.example", invited_by=applicant
    )
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant, organisation=organisation)
    attachment = add_attachment(candidacy, applicant)
    version = CandidacyVersion.objects.create(
        candidacy=candidacy,
        number=1,
        submitted_at=brussels(2023, 5, 20, 14, 30),
        submitted_by=applicant,
        submission_token=uuid.uuid4(),
        content={"title": "Project 1"},
    )
    pages = [
        ("organisation", organisation),
        ("invitation", invitation),
        ("candidacy", candidacy),
        ("attachment", attachment),
        ("candidacyversion", version),
    ]
    urls = [reverse(f"admin:candidacies_{name}_changelist") for name, _row in pages]
    urls += [reverse(f"admin:candidacies_{name}_change", args=[row.pk]) for name, row in pages]
    urls += [reverse(f"admin:candidacies_{name}_history", args=[row.pk]) for name, row in pages]
    assert {url: manager_client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)


def change_form_data(response):
    """What the browser posts back from an admin change form left as it was shown."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()})
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value
    return data


@time_machine.travel("2023-05-30 10:00:00+02:00", tick=False)
def test_a_save_in_admin_moves_the_form_version_on_so_an_open_applicant_form_cannot_overwrite_it(
    manager_client, manager, maasland_call, applicant
):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    url = reverse("admin:candidacies_candidacy_change", args=[candidacy.pk])
    data = {**change_form_data(manager_client.get(url)), "title": "Samen naar werk"}
    response = manager_client.post(url, data)
    candidacy.refresh_from_db()
    assert response.status_code == 302
    assert (candidacy.title, candidacy.lock_version, candidacy.changed_since_submission) == ("Samen naar werk", 2, True)
    assert candidacy.history.first().history_user == manager


@time_machine.travel("2023-05-30 10:00:00+02:00", tick=False)
def test_a_save_in_admin_is_refused_when_the_applicant_saved_after_the_page_was_opened(
    manager_client, maasland_call, applicant
):
    candidacy = make_candidacy(maasland_call, 1, created_by=applicant)
    url = reverse("admin:candidacies_candidacy_change", args=[candidacy.pk])
    data = {**change_form_data(manager_client.get(url)), "title": "Samen naar werk"}
    Candidacy.objects.filter(pk=candidacy.pk).update(lock_version=2, title="Titel van de aanvrager")
    response = manager_client.post(url, data)
    candidacy.refresh_from_db()
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["__all__"]
    assert candidacy.title == "Titel van de aanvrager"


def test_a_draft_can_be_deleted_in_admin_but_a_submitted_candidacy_cannot(manager_client, maasland_call, applicant):
    draft = make_candidacy(maasland_call, 1, created_by=applicant, status=Candidacy.Status.DRAFT)
    submitted = make_candidacy(maasland_call, 2, created_by=applicant)
    statuses = [
        manager_client.get(reverse("admin:candidacies_candidacy_delete", args=[candidacy.pk])).status_code
        for candidacy in (draft, submitted)
    ]
    assert statuses == [200, 403]
