"""The call manager runs the jury in Django admin: appointing jurors, conflicts, criteria, slots, and the moves
of candidacies after the deadline."""

import datetime
import itertools
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from candidacies.models import Candidacy
from challenges.services import copy_call_shifted
from jury import invitations, queries
from jury.models import (
    Conflict,
    Criterion,
    Decision,
    JuryMember,
    PitchSlot,
    Round,
    RoundClosure,
    Score,
    ScoreSheet,
    Unavailability,
)
from jury.services import JuryError
from maasland.clock import BRUSSELS
from tests import factories

from .conftest import DURING_INTAKE, PITCH_DAY, WRITTEN_ROUND

User = get_user_model()
REFERENCE_NUMBERS = itertools.count(1)
JURY_MEMBER_LIST = reverse("admin:jury_jurymember_changelist")
SCORE_SHEET_LIST = reverse("admin:jury_scoresheet_changelist")
PITCH_SLOT_LIST = reverse("admin:jury_pitchslot_changelist")
CANDIDACY_LIST = reverse("admin:candidacies_candidacy_changelist")
# Measured with 5 rows: session, user, two for permissions, the call filter's choices, the count (filtered and
# total), the rows; the slot list also asks the days that have slots for its day filter.
JURY_MEMBER_LIST_QUERIES = 8
SCORE_SHEET_LIST_QUERIES = 8
PITCH_SLOT_LIST_QUERIES = 9


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def brussels(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def action_post(rows, action, **data):
    return {"action": action, "_selected_action": [row.pk for row in rows], **data}


def messages_of(response):
    return [message.message for message in get_messages(response.wsgi_request)]


def dutch(message, **params):
    with translation.override("nl-be"):
        text = translation.gettext(message)
    return text % params if params else text


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


def make_candidacies(call, count, *, status=Candidacy.Status.SUBMITTED):
    owner = factories.user()
    numbers = [next(REFERENCE_NUMBERS) for _number in range(count)]
    return [
        factories.candidacy(
            call, factories.organisation(owner), status=status, reference=f"TEST-{number:03d}", title=f"P{number}"
        )
        for number in numbers
    ]


def submitted_sheet(member, candidacy, round=Round.WRITTEN, value=7):
    sheet = ScoreSheet.objects.create(jury_member=member, candidacy=candidacy, round=round, submitted_at=WRITTEN_ROUND)
    for criterion in Criterion.objects.filter(call=candidacy.call, round=round):
        Score.objects.create(sheet=sheet, criterion=criterion, value=value)
    return sheet


def link_in(mail):
    return urlsplit(re.search(r"https?://\S+/account/\S+", mail.body).group(0)).path


# Every page


def test_every_jury_admin_page_opens_for_the_call_manager(manager_client, maasland_call, candidacies, chair, jurors):
    conflict = Conflict.objects.create(
        jury_member=jurors[0], candidacy=candidacies[0], source=Conflict.Source.DECLARED, created_by=jurors[0].user
    )
    sheet = submitted_sheet(chair, candidacies[0])
    closure = RoundClosure.objects.create(
        call=maasland_call, round=Round.WRITTEN, closed_at=PITCH_DAY, closed_by=chair.user
    )
    slot = PitchSlot.objects.create(
        call=maasland_call, starts_at=PITCH_DAY, ends_at=PITCH_DAY + datetime.timedelta(minutes=30), place="Raadzaal"
    )
    unavailability = Unavailability.objects.create(
        candidacy=candidacies[1], starts_at=PITCH_DAY, ends_at=PITCH_DAY + datetime.timedelta(hours=2)
    )
    decision = Decision.objects.create(
        candidacy=candidacies[2], outcome="selected", motivation="Sterk.", recorded_by=chair.user, recorded_at=PITCH_DAY
    )
    criterion = Criterion.objects.filter(call=maasland_call).first()
    rows = {
        "jurymember": chair,
        "conflict": conflict,
        "criterion": criterion,
        "scoresheet": sheet,
        "roundclosure": closure,
        "pitchslot": slot,
        "unavailability": unavailability,
        "decision": decision,
    }
    urls = [reverse(f"admin:jury_{name}_changelist") for name in rows]
    urls += [reverse(f"admin:jury_{name}_change", args=[row.pk]) for name, row in rows.items()]
    urls += [
        reverse(f"admin:jury_{name}_history", args=[row.pk]) for name, row in rows.items() if name != "roundclosure"
    ]
    urls += [reverse(f"admin:jury_{name}_add") for name in ("jurymember", "criterion", "pitchslot")]
    assert {url: manager_client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)


def test_reverting_a_jury_member_to_an_old_version_is_refused(manager_client, chair):
    version = chair.history.first()
    url = reverse("admin:jury_jurymember_simple_history", args=[chair.pk, version.history_id])
    response = manager_client.post(url, {"role": "member"})
    chair.refresh_from_db()
    assert (response.status_code, chair.role) == (403, JuryMember.Role.CHAIR)


def test_score_sheets_and_decisions_are_read_only_in_admin(manager_client, candidacies, chair):
    sheet = submitted_sheet(chair, candidacies[0])
    decision = Decision.objects.create(
        candidacy=candidacies[0], outcome="selected", motivation="Sterk.", recorded_by=chair.user, recorded_at=PITCH_DAY
    )
    statuses = [
        manager_client.post(reverse("admin:jury_scoresheet_change", args=[sheet.pk]), {"overall_comment": "x"}),
        manager_client.post(reverse("admin:jury_decision_change", args=[decision.pk]), {"outcome": "not_selected"}),
    ]
    decision.refresh_from_db()
    assert [response.status_code for response in statuses] == [403, 403]
    assert decision.outcome == "selected"


# Lists cost the same number of queries for 5 and for 50 rows


@pytest.mark.parametrize("count", [5, 50])
def test_the_jury_member_list_takes_the_same_number_of_queries_for_5_and_for_50_members(
    manager_client, maasland_call, candidacies, count, django_assert_num_queries
):
    for number in range(count):
        member = JuryMember.objects.create(call=maasland_call, user=factories.user(full_name=f"Jurylid {number}"))
        Conflict.objects.create(
            jury_member=member, candidacy=candidacies[0], source=Conflict.Source.MANAGER, created_by=member.user
        )
    with django_assert_num_queries(JURY_MEMBER_LIST_QUERIES):
        response = manager_client.get(JURY_MEMBER_LIST)
    assert len(response.context["cl"].result_list) == count
    assert {member.conflict_count for member in response.context["cl"].result_list} == {1}


@pytest.mark.parametrize("count", [5, 50])
def test_the_score_sheet_list_takes_the_same_number_of_queries_for_5_and_for_50_sheets(
    manager_client, maasland_call, count, django_assert_num_queries
):
    members = [JuryMember.objects.create(call=maasland_call, user=factories.user()) for _number in range(5)]
    for candidacy in make_candidacies(maasland_call, count // 5):
        for member in members:
            ScoreSheet.objects.create(jury_member=member, candidacy=candidacy, round=Round.WRITTEN)
    with django_assert_num_queries(SCORE_SHEET_LIST_QUERIES):
        response = manager_client.get(SCORE_SHEET_LIST)
    assert len(response.context["cl"].result_list) == count


@pytest.mark.parametrize("count", [5, 50])
def test_the_pitch_slot_list_takes_the_same_number_of_queries_for_5_and_for_50_slots(
    manager_client, maasland_call, count, django_assert_num_queries
):
    shortlisted = make_candidacies(maasland_call, count, status=Candidacy.Status.SHORTLISTED)
    for number, candidacy in enumerate(shortlisted):
        starts_at = PITCH_DAY + datetime.timedelta(minutes=30 * number)
        PitchSlot.objects.create(
            call=maasland_call,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=30),
            place="Raadzaal",
            candidacy=candidacy,
        )
    with django_assert_num_queries(PITCH_SLOT_LIST_QUERIES):
        response = manager_client.get(PITCH_SLOT_LIST)
    assert len(response.context["cl"].result_list) == count


# Jury members: appointing, invitations, conflicts


def test_appointing_a_new_person_makes_a_closed_account_and_a_jury_member_and_mails_one_invitation(
    manager_client, manager, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("admin:jury_jurymember_add"),
            {"call": maasland_call.pk, "email": "Nora.Nieuw@Example.org", "full_name": "Nora Nieuw", "role": "chair"},
        )
    user = User.objects.get(email="nora.nieuw@example.org")
    member = JuryMember.objects.get(user=user)
    assert (response.status_code, response["Location"]) == (302, JURY_MEMBER_LIST)
    assert (user.full_name, user.is_active, user.has_usable_password()) == ("Nora Nieuw", False, False)
    assert (member.call, member.role, member.invited_at is not None) == (maasland_call, "chair", True)
    assert member.history.first().history_user == manager
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nora.nieuw@example.org"]
    assert mailoutbox[0].subject == f"Je zit in de jury van {maasland_call}"
    assert "voorzitter van de jury" in mailoutbox[0].body
    assert link_in(mailoutbox[0]).startswith("/account/uitnodiging/")


def test_the_invitation_link_opens_the_form_to_choose_a_password(
    client, manager, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitations.appoint(
            maasland_call, email="nora@example.org", full_name="Nora", role="member", by=manager, at=WRITTEN_ROUND
        )
    form_url = client.get(link_in(mailoutbox[0])).url
    response = client.post(form_url, {"new_password1": "Nieuw-Maasland-2023", "new_password2": "Nieuw-Maasland-2023"})
    assert response.status_code == 302
    assert User.objects.get(email="nora@example.org").check_password("Nieuw-Maasland-2023")


def test_appointing_someone_with_an_account_mails_a_login_link_and_leaves_the_account_alone(
    manager, maasland_call, mailoutbox, django_capture_on_commit_callbacks
):
    user = factories.user("jan@example.org", full_name="Jan Jurylid")
    with django_capture_on_commit_callbacks(execute=True):
        member = invitations.appoint(
            maasland_call, email="JAN@example.org", full_name="Ander", role="member", by=manager, at=WRITTEN_ROUND
        )
    user.refresh_from_db()
    assert (member.user, user.full_name, user.check_password("a-Strong-passw0rd")) == (user, "Jan Jurylid", True)
    assert len(mailoutbox) == 1
    assert link_in(mailoutbox[0]) == reverse("accounts:login")


def test_appointing_someone_on_the_jury_already_adds_no_member_and_sends_nothing(
    manager, maasland_call, chair, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member = invitations.appoint(
            maasland_call, email=chair.user.email, full_name="", role="member", by=manager, at=WRITTEN_ROUND
        )
    assert (member, member.role) == (chair, JuryMember.Role.CHAIR)
    assert JuryMember.objects.count() == 1
    assert mailoutbox == []


def test_the_add_form_refuses_someone_on_the_jury_already_at_the_email_field(manager_client, maasland_call, chair):
    response = manager_client.post(
        reverse("admin:jury_jurymember_add"),
        {"call": maasland_call.pk, "email": chair.user.email, "full_name": "Vera", "role": "member"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "email": [dutch("%(email)s is on the jury of this call already.", email=chair.user.email)]
    }


def test_only_a_call_manager_can_appoint_a_juror(maasland_call, chair):
    with pytest.raises(JuryError):
        invitations.appoint(
            maasland_call, email="x@example.org", full_name="X", role="member", by=chair.user, at=WRITTEN_ROUND
        )
    assert not User.objects.filter(email="x@example.org").exists()


def test_sending_the_invitation_again_mails_each_selected_member(
    manager_client, jurors, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(JURY_MEMBER_LIST, action_post(jurors[:2], "send_invitation_again"))
    assert response.status_code == 302
    assert sorted(mail.to[0] for mail in mailoutbox) == ["jurylid1@example.org", "jurylid2@example.org"]
    assert JuryMember.objects.filter(invited_at__isnull=False).count() == 2


def test_the_manager_sets_a_conflict_on_the_jury_members_page(manager_client, manager, candidacies, jurors):
    member = jurors[0]
    url = reverse("admin:jury_jurymember_change", args=[member.pk])
    data = change_form_data(manager_client.get(url))
    data.update(
        {
            "conflicts-TOTAL_FORMS": "1",
            "conflicts-0-candidacy": candidacies[1].pk,
            "conflicts-0-reason": "Zijn partner werkt er.",
            "conflicts-0-jury_member": member.pk,
        }
    )
    response = manager_client.post(url, data)
    conflict = Conflict.objects.get()
    assert response.status_code == 302
    assert (conflict.jury_member, conflict.candidacy, conflict.source) == (member, candidacies[1], "manager")
    assert (conflict.created_by, conflict.reason) == (manager, "Zijn partner werkt er.")
    assert candidacies[1] not in queries.assigned_candidacies(member, Round.WRITTEN)


def test_the_conflict_choices_are_the_candidacies_of_the_members_own_call(manager_client, maasland_call, jurors):
    other_call = copy_call_shifted(maasland_call, slug="ander", subtitle="Ander", reference_prefix="AND", days=365)
    submitted = make_candidacies(maasland_call, 2)
    make_candidacies(maasland_call, 1, status=Candidacy.Status.DRAFT)
    make_candidacies(other_call, 1)
    response = manager_client.get(reverse("admin:jury_jurymember_change", args=[jurors[0].pk]))
    formset = response.context["inline_admin_formsets"][0].formset
    assert list(formset.empty_form.fields["candidacy"].queryset) == submitted


def test_a_wrong_kbo_number_in_the_jurors_profile_is_refused_at_the_field(manager_client, jurors):
    url = reverse("admin:jury_jurymember_change", args=[jurors[0].pk])
    data = change_form_data(manager_client.get(url))
    response = manager_client.post(url, {**data, "enterprise_numbers": "0123.456.789"})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["enterprise_numbers"]


def test_a_kbo_number_in_the_jurors_profile_is_stored_as_ten_digits_and_counts_as_a_conflict(
    manager_client, candidacies, jurors
):
    url = reverse("admin:jury_jurymember_change", args=[jurors[0].pk])
    data = change_form_data(manager_client.get(url))
    number = candidacies[2].organisation.enterprise_number
    typed = f"BE {number[:4]}.{number[4:7]}.{number[7:]}"
    response = manager_client.post(url, {**data, "enterprise_numbers": typed})
    jurors[0].refresh_from_db()
    listed = manager_client.get(JURY_MEMBER_LIST).context["cl"].result_list
    assert response.status_code == 302
    assert jurors[0].enterprise_numbers == number
    assert {member.pk: member.conflict_count for member in listed}[jurors[0].pk] == 1


# Criteria


def criterion_change(manager_client, criterion, **changes):
    url = reverse("admin:jury_criterion_change", args=[criterion.pk])
    data = {**change_form_data(manager_client.get(url)), **changes}
    return manager_client.post(url, data)


def test_a_weight_can_change_while_the_round_has_no_scores(manager_client, maasland_call):
    criterion = Criterion.objects.filter(call=maasland_call, round=Round.WRITTEN).first()
    response = criterion_change(manager_client, criterion, weight="30")
    criterion.refresh_from_db()
    assert (response.status_code, criterion.weight) == (302, 30)


def test_once_the_round_has_scores_its_weights_and_scales_are_read_only_and_a_posted_weight_is_ignored(
    manager_client, maasland_call, candidacies, chair
):
    submitted_sheet(chair, candidacies[0])
    criterion = Criterion.objects.filter(call=maasland_call, round=Round.WRITTEN).first()
    weight = criterion.weight
    page = manager_client.get(reverse("admin:jury_criterion_change", args=[criterion.pk]))
    criterion_change(manager_client, criterion, weight="30")
    criterion.refresh_from_db()
    assert sorted(page.context["adminform"].form.fields) == ["description", "name", "position"]
    assert criterion.weight == weight


def test_a_weight_change_is_refused_at_the_field_once_the_round_has_scores(maasland_call, candidacies, chair):
    """For a page opened before the first score: the model refuses the change itself."""
    submitted_sheet(chair, candidacies[0])
    criterion = Criterion.objects.filter(call=maasland_call, round=Round.WRITTEN).first()
    criterion.weight = 30
    with pytest.raises(ValidationError) as refusal:
        criterion.full_clean()
    assert refusal.value.message_dict == {
        "weight": [dutch("This round already has scores: its weights and scales can no longer change.")]
    }


def test_the_pitch_criteria_stay_editable_while_only_the_written_round_has_scores(
    manager_client, maasland_call, candidacies, chair
):
    submitted_sheet(chair, candidacies[0])
    criterion = Criterion.objects.filter(call=maasland_call, round=Round.PITCH).first()
    response = criterion_change(manager_client, criterion, scale_max="20")
    criterion.refresh_from_db()
    assert (response.status_code, criterion.scale_max) == (302, 20)


# Pitch slots


def slot_data(call, starts_at, *, minutes=30, place="Raadzaal", candidacy=None):
    local = timezone.localtime(starts_at)
    ends = local + datetime.timedelta(minutes=minutes)
    return {
        "call": call.pk,
        "starts_at_0": local.strftime("%d/%m/%Y"),
        "starts_at_1": local.strftime("%H:%M"),
        "ends_at_0": ends.strftime("%d/%m/%Y"),
        "ends_at_1": ends.strftime("%H:%M"),
        "place": place,
        "video_link": "",
        "candidacy": candidacy.pk if candidacy else "",
    }


def test_a_slot_offers_only_the_shortlisted_candidacies_of_its_call_that_have_no_slot(manager_client, maasland_call):
    first, second, third = make_candidacies(maasland_call, 3, status=Candidacy.Status.SHORTLISTED)
    make_candidacies(maasland_call, 1)
    PitchSlot.objects.create(
        call=maasland_call, starts_at=PITCH_DAY, ends_at=PITCH_DAY + datetime.timedelta(minutes=30), candidacy=first
    )
    response = manager_client.get(reverse("admin:jury_pitchslot_add"), {"call": maasland_call.pk})
    assert list(response.context["adminform"].form.fields["candidacy"].queryset) == [second, third]


def test_a_new_slot_with_a_shortlisted_candidacy_is_stored(manager_client, manager, maasland_call, time_machine):
    time_machine.move_to(WRITTEN_ROUND, tick=False)  # a slot that has already started gets no candidacy
    manager_client.force_login(manager)
    (candidacy,) = make_candidacies(maasland_call, 1, status=Candidacy.Status.SHORTLISTED)
    response = manager_client.post(
        reverse("admin:jury_pitchslot_add"), slot_data(maasland_call, PITCH_DAY, candidacy=candidacy)
    )
    slot = PitchSlot.objects.get()
    assert response.status_code == 302
    assert (slot.starts_at, slot.candidacy) == (PITCH_DAY, candidacy)


def test_a_slot_overlapping_another_at_the_same_place_is_refused_at_the_start(manager_client, maasland_call):
    PitchSlot.objects.create(
        call=maasland_call, starts_at=PITCH_DAY, ends_at=PITCH_DAY + datetime.timedelta(minutes=30), place="Raadzaal"
    )
    response = manager_client.post(
        reverse("admin:jury_pitchslot_add"), slot_data(maasland_call, PITCH_DAY + datetime.timedelta(minutes=15))
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["starts_at"]
    assert PitchSlot.objects.count() == 1


def test_a_candidacy_that_has_a_slot_cannot_get_a_second_one(manager_client, maasland_call):
    (candidacy,) = make_candidacies(maasland_call, 1, status=Candidacy.Status.SHORTLISTED)
    PitchSlot.objects.create(
        call=maasland_call, starts_at=PITCH_DAY, ends_at=PITCH_DAY + datetime.timedelta(minutes=30), candidacy=candidacy
    )
    response = manager_client.post(
        reverse("admin:jury_pitchslot_add"),
        slot_data(maasland_call, PITCH_DAY + datetime.timedelta(hours=1), candidacy=candidacy),
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["candidacy"]
    assert PitchSlot.objects.count() == 1


def test_the_day_filter_lists_the_slots_of_that_day_in_brussels_time(manager_client, maasland_call):
    for day in (19, 21):
        PitchSlot.objects.create(
            call=maasland_call, starts_at=brussels(2023, 6, day, 0, 30), ends_at=brussels(2023, 6, day, 1, 0)
        )
    response = manager_client.get(PITCH_SLOT_LIST, {"day": "2023-06-21"})
    assert [slot.starts_at for slot in response.context["cl"].result_list] == [brussels(2023, 6, 21, 0, 30)]


# Moves of candidacies after the deadline


def test_choosing_declare_inadmissible_asks_for_the_reason(manager_client, candidacies):
    response = manager_client.post(CANDIDACY_LIST, action_post(candidacies[:1], "mark_inadmissible"))
    assert response.status_code == 200
    assert response.templates[0].name == "admin/candidacies/candidacy/mark_inadmissible.html"
    assert list(response.context["form"].fields) == ["reason"]


@time_machine.travel(DURING_INTAKE, tick=False)
def test_during_intake_declare_inadmissible_is_refused_at_once_without_asking_for_a_reason(manager_client, candidacies):
    response = manager_client.post(CANDIDACY_LIST, action_post(candidacies[:1], "mark_inadmissible"))
    candidacies[0].refresh_from_db()
    assert response.status_code == 302
    assert messages_of(response) == [
        "De oproep neemt kandidaturen aan tot 1 juni 2023 om 23:59: een kandidatuur onontvankelijk verklaren kan pas na"
        " de deadline."
    ]
    assert candidacies[0].status == Candidacy.Status.SUBMITTED


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_declaring_inadmissible_without_a_reason_asks_again_and_changes_nothing(manager_client, candidacies):
    response = manager_client.post(
        CANDIDACY_LIST, action_post(candidacies[:1], "mark_inadmissible", apply_inadmissible="yes", reason="  ")
    )
    candidacies[0].refresh_from_db()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason"]
    assert candidacies[0].status == Candidacy.Status.SUBMITTED


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_declaring_inadmissible_stores_the_reason_and_who(manager_client, manager, candidacies):
    reason = "Geen begroting toegevoegd."
    response = manager_client.post(
        CANDIDACY_LIST, action_post(candidacies[:2], "mark_inadmissible", apply_inadmissible="yes", reason=reason)
    )
    candidacies[0].refresh_from_db()
    assert response.status_code == 302
    assert (candidacies[0].status, candidacies[0].status_reason) == (Candidacy.Status.INADMISSIBLE, reason)
    assert candidacies[0].history.order_by("history_id").last().history_user == manager
    assert messages_of(response) == ["2 kandidaturen werden onontvankelijk verklaard."]


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_declaring_a_draft_inadmissible_is_refused_with_the_services_words(manager_client, maasland_call):
    (draft,) = make_candidacies(maasland_call, 1, status=Candidacy.Status.DRAFT)
    response = manager_client.post(
        CANDIDACY_LIST, action_post([draft], "mark_inadmissible", apply_inadmissible="yes", reason="Te laat.")
    )
    draft.refresh_from_db()
    refusal = "Onontvankelijk verklaren kan niet: deze kandidatuur is concept."
    assert messages_of(response) == [f"{draft}: {refusal}"]
    assert draft.status == Candidacy.Status.DRAFT


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_the_shortlist_action_shortlists_submitted_candidacies_and_refuses_others(manager_client, maasland_call):
    submitted = make_candidacies(maasland_call, 1)[0]
    RoundClosure.objects.create(
        call=maasland_call, round=Round.WRITTEN, closed_at=WRITTEN_ROUND, closed_by=factories.user()
    )
    withdrawn = factories.candidacy(
        maasland_call, factories.organisation(factories.user()), status=Candidacy.Status.WITHDRAWN, title="Weg"
    )
    response = manager_client.post(CANDIDACY_LIST, action_post([submitted, withdrawn], "shortlist"))
    submitted.refresh_from_db()
    refusal = "Selecteren voor de pitches kan niet: deze kandidatuur is ingetrokken."
    assert submitted.status == Candidacy.Status.SHORTLISTED
    assert messages_of(response) == [f"{withdrawn}: {refusal}", "1 kandidatuur werd geselecteerd voor de pitches."]


@time_machine.travel(DURING_INTAKE, tick=False)
def test_the_shortlist_action_is_refused_before_the_deadline(manager_client, candidacies):
    manager_client.post(CANDIDACY_LIST, action_post(candidacies[:1], "shortlist"))
    candidacies[0].refresh_from_db()
    assert candidacies[0].status == Candidacy.Status.SUBMITTED


@time_machine.travel(PITCH_DAY, tick=False)
def test_the_pitched_action_marks_a_shortlisted_candidacy_as_pitched(manager_client, maasland_call, candidacies):
    (shortlisted,) = make_candidacies(maasland_call, 1, status=Candidacy.Status.SHORTLISTED)
    response = manager_client.post(CANDIDACY_LIST, action_post([shortlisted, candidacies[0]], "mark_pitched"))
    shortlisted.refresh_from_db()
    refusal = "Als gepitcht aanduiden kan niet: deze kandidatuur is ingediend."
    assert shortlisted.status == Candidacy.Status.PITCHED
    assert messages_of(response) == [f"{candidacies[0]}: {refusal}", "1 kandidatuur werd gemarkeerd als gepitcht."]


# Creating slots and planning from the slot list


def test_the_slot_list_links_to_creating_slots_and_planning(manager_client, maasland_call):
    page = manager_client.get(PITCH_SLOT_LIST, {"call__id__exact": maasland_call.pk}).content.decode()
    assert f"{reverse('admin:jury_pitchslot_generate')}?call={maasland_call.pk}" in page
    assert f"{reverse('admin:jury_pitchslot_plan')}?call={maasland_call.pk}" in page


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_creating_slots_fills_every_pitch_day_of_the_call(manager_client, maasland_call):
    data = {"call": maasland_call.pk, "day_start": "09:00", "day_end": "10:00", "length": "25", "pause": "5"}
    response = manager_client.post(reverse("admin:jury_pitchslot_generate"), {**data, "place": "Raadzaal"})
    starts = [timezone.localtime(slot.starts_at) for slot in PitchSlot.objects.order_by("starts_at")]
    assert response.status_code == 302
    assert [(moment.day, moment.strftime("%H:%M")) for moment in starts] == [
        (19, "09:00"),
        (19, "09:30"),
        (21, "09:00"),
        (21, "09:30"),
        (23, "09:00"),
        (23, "09:30"),
    ]
    assert messages_of(response) == ["6 pitchmomenten werden aangemaakt."]


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_creating_slots_without_place_or_link_is_refused_at_the_place(manager_client, maasland_call):
    data = {"call": maasland_call.pk, "day_start": "09:00", "day_end": "10:00", "length": "25", "pause": "5"}
    response = manager_client.post(reverse("admin:jury_pitchslot_generate"), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["place"]
    assert PitchSlot.objects.count() == 0


@time_machine.travel(WRITTEN_ROUND, tick=False)
def test_planning_places_the_shortlisted_and_reports_who_did_not_fit(
    manager_client, maasland_call, django_capture_on_commit_callbacks
):
    first, second = make_candidacies(maasland_call, 2, status=Candidacy.Status.SHORTLISTED)
    PitchSlot.objects.create(
        call=maasland_call, starts_at=PITCH_DAY, ends_at=PITCH_DAY + datetime.timedelta(minutes=30), place="Raadzaal"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("admin:jury_pitchslot_plan"), {"call": maasland_call.pk})
    first.refresh_from_db()
    assert response.status_code == 302
    assert PitchSlot.objects.get().candidacy == first
    assert messages_of(response)[0] == "1 kandidatuur kreeg een pitchmoment."
    assert messages_of(response)[1].startswith(f"{second}: ")


# What the phase no longer allows, and the candidacy's jury side on its page


def test_a_slot_is_read_only_and_cannot_be_deleted_once_its_day_is_over(manager_client, maasland_call, time_machine):
    """A slot that held a candidacy is what happened; an empty past slot can go (tests/jury/test_guards.py)."""
    (candidacy,) = make_candidacies(maasland_call, 1, status=Candidacy.Status.PITCHED)
    slot = PitchSlot.objects.create(
        call=maasland_call,
        starts_at=PITCH_DAY,
        ends_at=PITCH_DAY + datetime.timedelta(minutes=30),
        place="Raadzaal",
        candidacy=candidacy,
    )
    url = reverse("admin:jury_pitchslot_change", args=[slot.pk])
    time_machine.move_to(brussels(2023, 6, 19, 23, 59, 59), tick=False)
    on_the_day = sorted(manager_client.get(url).context["adminform"].form.fields)
    time_machine.move_to(brussels(2023, 6, 20, 0, 0, 0), tick=False)
    after = manager_client.get(url)
    deleting = manager_client.post(reverse("admin:jury_pitchslot_delete", args=[slot.pk]), {"post": "yes"})
    assert on_the_day == ["candidacy", "ends_at", "place", "starts_at", "video_link"]
    assert list(after.context["adminform"].form.fields) == []
    assert (deleting.status_code, PitchSlot.objects.filter(pk=slot.pk).exists()) == (403, True)


def test_the_candidacy_page_shows_its_pitch_slot_and_its_decision(manager_client, maasland_call, chair):
    (candidacy,) = make_candidacies(maasland_call, 1, status=Candidacy.Status.PITCHED)
    PitchSlot.objects.create(
        call=maasland_call,
        starts_at=PITCH_DAY,
        ends_at=PITCH_DAY + datetime.timedelta(minutes=30),
        place="Raadzaal",
        candidacy=candidacy,
    )
    Decision.objects.create(
        candidacy=candidacy, outcome="selected", motivation="Sterk.", recorded_by=chair.user, recorded_at=PITCH_DAY
    )
    response = manager_client.get(reverse("admin:candidacies_candidacy_change", args=[candidacy.pk]))
    shown = {
        inline.formset.model._meta.model_name: [form.instance for form in inline.formset.forms]
        for inline in response.context["inline_admin_formsets"]
    }
    assert shown["pitchslot"] == [candidacy.pitch_slot]
    assert shown["decision"] == [candidacy.decision]


def test_each_score_has_its_history_in_admin(manager_client, candidacies, chair):
    sheet = submitted_sheet(chair, candidacies[0])
    score = sheet.scores.first()
    response = manager_client.get(reverse("admin:jury_score_history", args=[score.pk]))
    assert response.status_code == 200
    assert [record.value for record in response.context["page_obj"]] == [7]
