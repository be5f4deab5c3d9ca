"""Services are the only writers of state: for every registered ModelAdmin of a model with state, a superuser who
posts the change form with a state field changed either changes nothing (the field is read-only or the page is
view-only), or the change goes through the model's service (its history reason, and the mail it sends)."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.urls import reverse
from django.utils import timezone

from candidacies import services
from candidacies.models import Candidacy, CandidacyVersion
from jury import scheduling
from jury.models import Decision, DecisionLetter, PitchSlot, RoundClosure, ScoreSheet, Weerwoord
from maasland.clock import BRUSSELS
from tests import factories
from tests.seeded import WRITTEN_ROUND

# The state of each registered model, declared once. Call dates are the call's settings, not a state a service
# moves, and stay editable in CallAdmin.
STATE_FIELDS = {
    Candidacy: ["status", "submitted_at", "withdrawn_at", "extended_until"],
    CandidacyVersion: ["submitted_at"],
    ScoreSheet: ["submitted_at"],
    RoundClosure: ["closed_at"],
    PitchSlot: ["candidacy", "starts_at"],
    Decision: ["outcome", "communicated_at", "revised_at"],
    DecisionLetter: ["outcome", "sent_at"],
    Weerwoord: ["assessment", "assessed_at"],
}
# A model with a field of one of these names holds state: it must be in STATE_FIELDS.
STATE_NAMES = {"status", "outcome", "assessment", "communicated_at", "submitted_at"}
# What the admin may change, and the history reason of the service it must go through.
THROUGH_SERVICE = {(PitchSlot, "starts_at"): "rescheduled", (PitchSlot, "candidacy"): "assigned"}

CASES = [(model, name) for model, names in STATE_FIELDS.items() for name in names]


def test_every_registered_model_with_state_declares_its_state_fields():
    with_state = {
        model
        for model in admin.site._registry
        if STATE_NAMES & {field.name for field in model._meta.get_fields() if field.concrete}
    }
    assert with_state - set(STATE_FIELDS) == set()
    assert set(STATE_FIELDS) - set(admin.site._registry) == set()


def shortlisted(call):
    owner = factories.user()
    return factories.candidacy(
        call, factories.organisation(owner), status=Candidacy.Status.SHORTLISTED, reference=f"STATE-{owner.pk:03d}"
    )


def future_slot(seeded, capture):
    """A slot tomorrow holding a shortlisted candidacy, placed through the service."""
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
    with capture(execute=True):
        slot = scheduling.create_slot(
            seeded.call,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=30),
            place="Raadzaal",
            by=seeded.superuser,
            at=timezone.now(),
        )
        scheduling.assign(slot, shortlisted(seeded.call), by=seeded.superuser, at=timezone.now())
    return PitchSlot.objects.get(pk=slot.pk)


def row_of(model, seeded, capture):
    if model is PitchSlot:
        return future_slot(seeded, capture)
    return model.objects.order_by("pk").first()


def other_value(row, name, seeded):
    field = row._meta.get_field(name)
    current = getattr(row, field.attname)
    if field.choices:
        return next(value for value, _label in field.choices if value and value != current)
    if isinstance(field, models.DateTimeField):
        return (current or timezone.now()) + datetime.timedelta(days=1, hours=1)
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        return shortlisted(seeded.call)
    raise AssertionError(f"no other value for {row._meta.label}.{name}")


def posted(value, name, widget):
    """The field's value as the browser posts it."""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        if widget is None or isinstance(widget, AdminSplitDateTime):
            return {f"{name}_0": local.strftime("%d/%m/%Y"), f"{name}_1": local.strftime("%H:%M:%S")}
        return {name: local.strftime("%Y-%m-%d %H:%M:%S")}
    if isinstance(value, models.Model):
        return {name: value.pk}
    return {name: value}


def change_form_data(response):
    """What the browser posts back from the change form left as it was shown."""
    adminform = response.context["adminform"]
    forms = [adminform.form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()})
        forms += formset.forms
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is not None:
                data.update(posted(value, form.add_prefix(name), field.widget))
    return data


def stored(row, name):
    return getattr(type(row).objects.get(pk=row.pk), row._meta.get_field(name).attname)


@pytest.mark.parametrize(("model", "name"), CASES, ids=[f"{model.__name__}.{name}" for model, name in CASES])
def test_a_plain_admin_save_does_not_change_state_around_its_service(
    model, name, seeded_call_shared, client, mailoutbox, django_capture_on_commit_callbacks
):
    seeded = seeded_call_shared
    client.force_login(seeded.superuser)
    row = row_of(model, seeded, django_capture_on_commit_callbacks)
    assert row is not None, f"the seeded call has no {model.__name__}"
    before, mails_before = stored(row, name), len(mailoutbox)
    url = reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk])
    shown = client.get(url)
    form = shown.context["adminform"].form
    value = other_value(row, name, seeded)
    widget = form.fields[name].widget if name in form.fields else None
    data = {**change_form_data(shown), **posted(value, name, widget)}
    if (model, name) == (PitchSlot, "starts_at"):  # the slot moves as a whole
        data.update(posted(row.ends_at + (value - before), "ends_at", form.fields["ends_at"].widget))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    after = stored(row, name)
    reason = THROUGH_SERVICE.get((model, name))
    if reason is None:
        assert (name in form.fields, after) == (False, before)
        assert response.status_code in (302, 403)
    else:
        latest = row.history.latest()
        assert response.status_code == 302
        assert after == getattr(value, "pk", value)
        assert (latest.history_change_reason, latest.history_user) == (reason, seeded.superuser)
        assert len(mailoutbox) > mails_before


# The history screens of these models read in Dutch: field names, choice labels, Brussels times, "—" for nothing (not
# "EXTENDED_UNTIL", "not_selected", "None" or UTC; maasland.history.ReadableHistoryMixin).

UNTIL = datetime.datetime(2023, 6, 20, 23, 59, 59, tzinfo=BRUSSELS)


def test_a_candidacys_history_reads_in_dutch_with_brussels_times(seeded_call_shared, client):
    seeded = seeded_call_shared
    client.force_login(seeded.superuser)
    draft = seeded.candidacies["draft"]
    services.grant_extension(draft, until=UNTIL, reason="Overmacht: brand", by=seeded.manager, at=WRITTEN_ROUND)
    page = client.get(reverse("admin:candidacies_candidacy_history", args=[draft.pk])).content.decode()
    assert "Uitstel tot" in page and "20-06-2023 23:59:59" in page and "uitstel toegekend" in page
    assert "Concept" in page and "Liesbet Adams" in page
    for raw in ("extended_until", "EXTENDED_UNTIL", "None", "+00:00", "21:59:59"):
        assert raw not in page


def test_a_decided_candidacys_and_its_decisions_history_show_labels_not_stored_values(seeded_call_shared, client):
    client.force_login(seeded_call_shared.superuser)
    candidacy = seeded_call_shared.candidacies["not_selected"]
    decision = Decision.objects.get(candidacy=candidacy)
    pages = [
        client.get(reverse("admin:candidacies_candidacy_history", args=[candidacy.pk])).content.decode(),
        client.get(reverse("admin:jury_decision_history", args=[decision.pk])).content.decode(),
    ]
    for page in pages:
        assert "Niet geselecteerd" in page and "not_selected" not in page and ">None<" not in page
    assert "10-07-2023 10:00" in pages[1] and "meegedeeld" in pages[1]
