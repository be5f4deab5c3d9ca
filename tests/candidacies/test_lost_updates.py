"""A change made from a copy loaded before someone else's change keeps that other change: each service writes only
the fields it owns, under a row lock (issue 13, "lost updates")."""

import datetime
from types import SimpleNamespace

from django.contrib import admin
from django.test import RequestFactory

from candidacies import services
from candidacies.models import Candidacy
from tests import factories

from .conftest import DURING_INTAKE

UNTIL = DURING_INTAKE + datetime.timedelta(days=9)


def extend(candidacy):
    """The call manager grants an extension on her own copy of the candidacy."""
    manager = factories.user(is_staff=True, is_superuser=True)
    services.grant_extension(
        Candidacy.objects.get(pk=candidacy.pk), until=UNTIL, reason="Overmacht: brand", by=manager, at=DURING_INTAKE
    )
    return manager


def extension_of(candidacy):
    return Candidacy.objects.values_list("extended_until", "extension_reason").get(pk=candidacy.pk)


def test_a_draft_save_from_a_copy_loaded_before_an_extension_keeps_the_extension(draft, applicant):
    stale = Candidacy.objects.get(pk=draft.pk)
    extend(draft)
    services.save_draft(stale, {"summary": "Later"}, lock_version=stale.lock_version, by=applicant, at=DURING_INTAKE)
    stored = Candidacy.objects.get(pk=draft.pk)
    assert (extension_of(draft), stored.summary) == ((UNTIL, "Overmacht: brand"), "Later")


def test_a_withdrawal_from_a_copy_loaded_before_an_extension_keeps_the_extension(draft, applicant):
    stale = Candidacy.objects.get(pk=draft.pk)
    extend(draft)
    services.withdraw(stale, by=applicant, at=DURING_INTAKE)
    stored = Candidacy.objects.get(pk=draft.pk)
    assert (extension_of(draft), stored.status) == ((UNTIL, "Overmacht: brand"), Candidacy.Status.WITHDRAWN)


def test_a_submission_from_a_copy_loaded_before_an_extension_keeps_the_extension(draft, applicant):
    stale = Candidacy.objects.get(pk=draft.pk)
    extend(draft)
    services.submit(
        stale,
        factories.complete_content(draft.call),
        lock_version=stale.lock_version,
        token="6f1c1f9e-4c1e-4a57-9a43-2b1f0a6d0c01",
        by=applicant,
        at=DURING_INTAKE,
    )
    assert extension_of(draft) == (UNTIL, "Overmacht: brand")


def test_an_admin_save_from_a_copy_loaded_before_an_extension_keeps_the_extension(draft):
    stale = Candidacy.objects.get(pk=draft.pk)
    manager = extend(draft)
    stale.title = "Titel uit het beheer"
    request = RequestFactory().post("/")
    request.user = manager
    form = SimpleNamespace(has_changed=lambda: True, changed_data=["title"])
    admin.site._registry[Candidacy].save_model(request, stale, form, change=True)
    stored = Candidacy.objects.get(pk=draft.pk)
    assert (extension_of(draft), stored.title) == ((UNTIL, "Overmacht: brand"), "Titel uit het beheer")


def test_a_withdrawal_from_a_stale_copy_of_a_candidacy_declared_inadmissible_meanwhile_is_refused(draft, applicant):
    stale = Candidacy.objects.get(pk=draft.pk)
    Candidacy.objects.filter(pk=draft.pk).update(status=Candidacy.Status.INADMISSIBLE)
    try:
        services.withdraw(stale, by=applicant, at=DURING_INTAKE)
    except services.CandidacyError as refusal:
        message = refusal.message
    else:
        message = None
    assert (Candidacy.objects.get(pk=draft.pk).status, message is not None) == (Candidacy.Status.INADMISSIBLE, True)
