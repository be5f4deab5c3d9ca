"""The rules of a candidacy's life: deadline, one per organisation, versions, references, conflicts, files."""

import datetime
import uuid

import pytest
from django.test import override_settings

from candidacies import services
from candidacies.models import Attachment, Candidacy, CandidacyVersion
from tests import factories

from .conftest import DURING_INTAKE, FIRST_SECOND_LATE, LAST_SECOND


def submit(candidacy, by, at=DURING_INTAKE, token=None, **overrides):
    content = {**factories.complete_content(candidacy.call), **overrides}
    return services.submit(
        candidacy, content, lock_version=candidacy.lock_version, token=token or uuid.uuid4(), by=by, at=at
    )


def test_a_submission_at_the_last_second_is_taken(draft, applicant):
    version = submit(draft, applicant, at=LAST_SECOND)
    draft.refresh_from_db()
    assert (draft.status, version.number) == (Candidacy.Status.SUBMITTED, 1)


def test_a_submission_at_midnight_is_refused_and_changes_nothing(draft, applicant):
    with pytest.raises(services.DeadlinePassed, match="1 juni 2023 om 23:59"):
        submit(draft, applicant, at=FIRST_SECOND_LATE)
    draft.refresh_from_db()
    assert (draft.status, draft.reference, draft.summary, CandidacyVersion.objects.count()) == ("draft", None, "", 0)


def test_the_first_submission_gets_a_reference_of_the_call(draft, applicant):
    submit(draft, applicant)
    draft.refresh_from_db()
    assert draft.reference == "MAAS-2023-001"


def test_references_count_up_per_call_and_are_never_reused(maasland_call, applicant, other_applicant, organisation):
    other = factories.organisation(other_applicant)
    first = factories.candidacy(maasland_call, organisation)
    second = factories.candidacy(maasland_call, other)
    submit(first, applicant)
    services.withdraw(Candidacy.objects.get(pk=first.pk), by=applicant, at=DURING_INTAKE)
    submit(second, other_applicant)
    third = factories.candidacy(maasland_call, organisation)
    submit(third, applicant)
    references = list(Candidacy.objects.order_by("pk").values_list("reference", flat=True))
    assert references == ["MAAS-2023-001", "MAAS-2023-002", "MAAS-2023-003"]


def test_submitting_again_keeps_the_reference_and_adds_a_version(draft, applicant):
    submit(draft, applicant)
    draft.refresh_from_db()
    submit(draft, applicant, title="Samen nog sterker")
    draft.refresh_from_db()
    versions = list(draft.versions.values_list("number", "content__title"))
    assert (draft.reference, versions) == (
        "MAAS-2023-001",
        [(1, "Samen sterker in Maasland"), (2, "Samen nog sterker")],
    )


def test_the_same_form_posted_twice_makes_one_submission(draft, applicant):
    token = uuid.uuid4()
    lock = draft.lock_version
    content = factories.complete_content(draft.call)
    first = services.submit(draft, content, lock_version=lock, token=token, by=applicant, at=DURING_INTAKE)
    again = services.submit(
        Candidacy.objects.get(pk=draft.pk), content, lock_version=lock, token=token, by=applicant, at=DURING_INTAKE
    )
    assert (first.pk, CandidacyVersion.objects.count()) == (again.pk, 1)


def test_a_second_tab_with_an_old_form_cannot_overwrite_silently(draft, applicant):
    opened = draft.lock_version
    services.save_draft(draft, {"summary": "Uit tab één"}, lock_version=opened, by=applicant, at=DURING_INTAKE)
    with pytest.raises(services.EditConflict) as refusal:
        services.save_draft(
            Candidacy.objects.get(pk=draft.pk),
            {"summary": "Uit tab twee"},
            lock_version=opened,
            by=applicant,
            at=DURING_INTAKE,
        )
    draft.refresh_from_db()
    assert (draft.summary, refusal.value.current.summary) == ("Uit tab één", "Uit tab één")


def test_a_draft_keeps_whatever_is_filled_in(draft, applicant):
    services.save_draft(draft, {"summary": "Half af"}, lock_version=draft.lock_version, by=applicant, at=DURING_INTAKE)
    draft.refresh_from_db()
    assert (draft.summary, draft.status, draft.budget) == ("Half af", "draft", None)


def test_saving_a_submitted_candidacy_keeps_it_submitted_and_marks_the_change(draft, applicant):
    submit(draft, applicant)
    draft.refresh_from_db()
    services.save_draft(draft, {"summary": "Nieuw"}, lock_version=draft.lock_version, by=applicant, at=DURING_INTAKE)
    draft.refresh_from_db()
    assert (draft.status, draft.changed_since_submission, draft.versions.get().content["summary"]) == (
        "submitted",
        True,
        "Buddywerking en taalcoaching voor vrouwen in Maasmechelen.",
    )


def test_a_withdrawn_candidacy_can_no_longer_change(draft, applicant):
    services.withdraw(draft, by=applicant, at=DURING_INTAKE)
    draft.refresh_from_db()
    with pytest.raises(services.NotAllowed):
        services.save_draft(draft, {"summary": "x"}, lock_version=draft.lock_version, by=applicant, at=DURING_INTAKE)
    assert draft.status == "withdrawn"


def test_withdrawing_after_the_deadline_is_refused(draft, applicant):
    submit(draft, applicant)
    with pytest.raises(services.DeadlinePassed):
        services.withdraw(Candidacy.objects.get(pk=draft.pk), by=applicant, at=FIRST_SECOND_LATE)
    assert Candidacy.objects.get(pk=draft.pk).status == "submitted"


def test_an_applicant_of_another_organisation_cannot_change_the_candidacy(draft, other_applicant):
    with pytest.raises(services.NotAllowed):
        services.save_draft(
            draft, {"summary": "x"}, lock_version=draft.lock_version, by=other_applicant, at=DURING_INTAKE
        )
    draft.refresh_from_db()
    assert draft.summary == ""


def test_a_second_candidacy_of_the_same_organisation_is_refused_with_the_first(
    maasland_call, organisation, draft, applicant
):
    with pytest.raises(services.DuplicateCandidacy) as refusal:
        services.start_candidacy(maasland_call, organisation, title="Nog een", by=applicant, at=DURING_INTAKE)
    assert (refusal.value.existing, Candidacy.objects.count()) == (draft, 1)


def test_after_a_withdrawal_the_organisation_may_start_again(maasland_call, organisation, draft, applicant):
    services.withdraw(draft, by=applicant, at=DURING_INTAKE)
    again = services.start_candidacy(maasland_call, organisation, title="Opnieuw", by=applicant, at=DURING_INTAKE)
    assert (again.status, Candidacy.objects.count()) == ("draft", 2)


def test_the_call_can_allow_several_candidacies_per_organisation(maasland_call, organisation, draft, applicant):
    maasland_call.one_candidacy_per_organisation = False
    maasland_call.save()
    services.start_candidacy(maasland_call, organisation, title="Tweede", by=applicant, at=DURING_INTAKE)
    assert Candidacy.objects.count() == 2


def test_starting_a_candidacy_after_the_deadline_is_refused(maasland_call, organisation, applicant):
    with pytest.raises(services.DeadlinePassed):
        services.start_candidacy(maasland_call, organisation, title="Te laat", by=applicant, at=FIRST_SECOND_LATE)
    assert Candidacy.objects.count() == 0


def test_an_extension_lets_one_candidacy_submit_after_the_deadline(draft, applicant):
    manager = factories.user(is_staff=True, is_superuser=True)
    until = FIRST_SECOND_LATE + datetime.timedelta(days=2)
    services.grant_extension(draft, until=until, reason="Overmacht: brand", by=manager, at=FIRST_SECOND_LATE)
    draft.refresh_from_db()
    version = submit(draft, applicant, at=FIRST_SECOND_LATE + datetime.timedelta(days=1))
    record = draft.history.filter(history_change_reason__startswith="extension").get()
    assert (version.number, draft.extension_granted_by, record.history_user) == (1, manager, manager)


def test_an_extension_ends_at_its_own_last_second(draft, applicant):
    manager = factories.user(is_staff=True, is_superuser=True)
    until = FIRST_SECOND_LATE + datetime.timedelta(days=2)
    services.grant_extension(draft, until=until, reason="Overmacht", by=manager, at=FIRST_SECOND_LATE)
    draft.refresh_from_db()
    with pytest.raises(services.DeadlinePassed):
        submit(draft, applicant, at=until + datetime.timedelta(seconds=1))


def test_an_extension_that_ends_before_the_moment_it_is_granted_is_refused_and_changes_nothing(draft, mailoutbox):
    manager = factories.user(is_staff=True, is_superuser=True)
    granted_at = FIRST_SECOND_LATE + datetime.timedelta(days=3)
    with pytest.raises(services.CandidacyError) as refusal:
        services.grant_extension(
            draft, until=granted_at - datetime.timedelta(seconds=1), reason="Te laat", by=manager, at=granted_at
        )
    draft.refresh_from_db()
    assert (refusal.value.field, draft.extended_until, mailoutbox) == ("until", None, [])


def test_only_a_call_manager_grants_an_extension(draft, applicant):
    with pytest.raises(services.NotAllowed):
        services.grant_extension(
            draft,
            until=FIRST_SECOND_LATE + datetime.timedelta(days=1),
            reason="Graag",
            by=applicant,
            at=FIRST_SECOND_LATE,
        )
    draft.refresh_from_db()
    assert draft.extended_until is None


def test_every_change_is_kept_in_the_history_with_who(maasland_call, organisation, applicant):
    draft = services.start_candidacy(maasland_call, organisation, title="Plan", by=applicant, at=DURING_INTAKE)
    services.save_draft(draft, {"summary": "Eerste"}, lock_version=draft.lock_version, by=applicant, at=DURING_INTAKE)
    submit(Candidacy.objects.get(pk=draft.pk), applicant)
    rows = draft.history.order_by("history_id").values_list("history_change_reason", "history_user__email")
    reasons = [row for index, row in enumerate(rows) if index == 0 or row != rows[index - 1]]
    assert reasons == [("started", None), ("saved", "an@example.org"), ("submitted", "an@example.org")]


@pytest.mark.parametrize("make_file", [factories.pdf_file, factories.docx_file, factories.odt_file])
def test_pdf_docx_and_odt_are_accepted_by_their_bytes(draft, applicant, make_file):
    attachment = services.add_attachment(draft, make_file(), by=applicant, at=DURING_INTAKE)
    assert attachment.kind == make_file().name.rsplit(".", 1)[1]


def test_an_exe_renamed_to_pdf_is_refused_and_nothing_is_stored(draft, applicant):
    with pytest.raises(services.CandidacyError, match="geen PDF-, DOCX- of ODT-document"):
        services.add_attachment(draft, factories.exe_file(), by=applicant, at=DURING_INTAKE)
    assert Attachment.objects.count() == 0


@override_settings(ATTACHMENT_MAX_SIZE=1000)
def test_a_file_over_the_size_limit_is_refused(draft, applicant):
    with pytest.raises(services.CandidacyError, match="hoogstens"):
        services.add_attachment(draft, factories.pdf_file(size=1001), by=applicant, at=DURING_INTAKE)
    assert Attachment.objects.count() == 0


def test_a_sixth_attachment_is_refused(draft, applicant):
    for number in range(5):
        services.add_attachment(draft, factories.pdf_file(f"deel{number}.pdf"), by=applicant, at=DURING_INTAKE)
    with pytest.raises(services.CandidacyError, match="hoogstens 5 bijlagen"):
        services.add_attachment(draft, factories.pdf_file("zes.pdf"), by=applicant, at=DURING_INTAKE)
    assert draft.attachments.count() == 5


def test_a_removed_attachment_frees_a_place_but_keeps_its_file(draft, applicant):
    attachments = [
        services.add_attachment(draft, factories.pdf_file(f"deel{n}.pdf"), by=applicant, at=DURING_INTAKE)
        for n in range(5)
    ]
    services.remove_attachment(attachments[0], by=applicant, at=DURING_INTAKE)
    services.add_attachment(draft, factories.pdf_file("nieuw.pdf"), by=applicant, at=DURING_INTAKE)
    assert (draft.attachments.current().count(), draft.attachments.count()) == (5, 6)
    assert attachments[0].file.storage.exists(attachments[0].file.name)


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("pl\x00an\x1b[31m.pdf", "plan_31m.pdf"),
        ("jaarverslag 2023 (definitief).exe", "jaarverslag 2023 (definitief).pdf"),
        ("....pdf", "bijlage.pdf"),
    ],
)
def test_file_names_are_sanitised_and_end_in_the_detected_type(draft, applicant, name, stored):
    attachment = services.add_attachment(draft, factories.pdf_file(name), by=applicant, at=DURING_INTAKE)
    assert attachment.name == stored
    assert "/" not in attachment.name and ".." not in attachment.file.name


def test_the_stored_path_says_nothing_of_the_name(draft, applicant):
    attachment = services.add_attachment(draft, factories.pdf_file("geheim-plan.pdf"), by=applicant, at=DURING_INTAKE)
    assert "geheim" not in attachment.file.name
    assert attachment.file.name.startswith("attachments/")


def test_a_submitted_version_lists_its_attachments_with_digests(draft, applicant):
    attachment = services.add_attachment(draft, factories.pdf_file(), by=applicant, at=DURING_INTAKE)
    version = submit(Candidacy.objects.get(pk=draft.pk), applicant)
    assert version.content["attachments"] == [
        {"id": attachment.pk, "name": "plan.pdf", "kind": "pdf", "size": attachment.size, "sha256": attachment.sha256}
    ]
    assert len(attachment.sha256) == 64


def test_a_decision_moves_a_submitted_candidacy_with_who_and_why_in_the_history(draft, applicant):
    submit(draft, applicant)
    services.mark_decided(
        draft, Candidacy.Status.SELECTED, by=applicant, at=DURING_INTAKE, reason="decision communicated"
    )
    latest = Candidacy.objects.get(pk=draft.pk).history.latest()
    assert (latest.status, latest.history_change_reason, latest.history_user) == (
        Candidacy.Status.SELECTED,
        "decision communicated",
        applicant,
    )


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        (Candidacy.Status.SHORTLISTED, "Een beslissing versturen kan niet eindigen in “geselecteerd voor de pitches”."),
        (Candidacy.Status.SELECTED, "Een beslissing versturen kan niet: deze kandidatuur is ingetrokken."),
    ],
)
def test_a_decision_is_refused_for_a_status_that_is_no_outcome_or_a_withdrawn_candidacy(
    draft, applicant, outcome, message
):
    services.withdraw(draft, by=applicant, at=DURING_INTAKE)
    with pytest.raises(services.CandidacyError) as refusal:
        services.mark_decided(draft, outcome, by=applicant, at=DURING_INTAKE, reason="decision communicated")
    assert refusal.value.message == message
    assert Candidacy.objects.get(pk=draft.pk).status == Candidacy.Status.WITHDRAWN
