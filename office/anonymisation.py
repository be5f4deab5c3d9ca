"""Anonymising a call's personal data once its keeping period is over (GDPR storage limitation).

This lives in the office, above the jury, because it sees a call's applicants and jurors together. What goes: the
names, e-mail addresses and phone numbers of the applicants and jurors who worked only on calls whose keeping period
is over, the contact person of the call's organisations and candidacies (also inside the submitted versions and the
history rows), and the addresses of their invitations. What stays, because the public administration must keep it:
references, organisations' names, enterprise numbers and addresses, the proposals' content, statuses, scores,
comments, decisions, letters, weerwoorden, dates and amounts, and every history row (only its personal fields are
replaced). Staff accounts are never touched.

Every object gets a stable placeholder derived from its id, so a second run finds nothing to change.
Live rows and history rows are changed with `update()`: the anonymisation adds no history row of its own.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from candidacies.models import Candidacy, CandidacyVersion, Invitation, Organisation
from challenges.models import Call

PLACEHOLDER_NAME = "Geanonimiseerd"
CONTACT_FIELDS = ["contact_name", "contact_email", "contact_phone"]


def placeholder_email(kind, pk):
    prefix = f"{kind}-" if kind else ""
    return f"anonymised-{prefix}{pk}@invalid.example"


def keeping_date(call):
    """The first moment the call's personal data may go: 1 January after the end of the call's year plus
    ANONYMISE_AFTER_YEARS (5: the keeping period of ESF+ documents). The call ends when its last weerwoord
    window closes."""
    end_year = timezone.localtime(call.weerwoord_ends_at).year
    return timezone.make_aware(datetime.datetime(end_year + settings.ANONYMISE_AFTER_YEARS + 1, 1, 1))


def expired_calls(at):
    return [call for call in Call.objects.order_by("deadline", "pk") if keeping_date(call) <= at]


@dataclass
class Change:
    """One row to update: what it is (for the report), which fields, and their new values."""

    label: str
    model: type
    pk: object
    values: dict
    extra: list = field(default_factory=list)
    old_email: str = ""
    fields: list = field(default_factory=list)

    def describe(self):
        return f"{self.label}: {', '.join([*(self.fields or self.values), *self.extra])}"


@dataclass
class Plan:
    call: Call
    changes: list

    def __bool__(self):
        return bool(self.changes)


def _differences(instance, target):
    return {name: value for name, value in target.items() if getattr(instance, name) != value}


def _contact_target(values, kind, pk):
    """Placeholders for a contact person: a field left empty stays empty."""
    return {
        "contact_name": PLACEHOLDER_NAME if values["contact_name"] else "",
        "contact_email": placeholder_email(kind, pk) if values["contact_email"] else "",
        "contact_phone": "",
    }


def _protected_by_other_calls(call, at):
    """Organisations and users that still work on a call whose keeping period is not over: they keep their
    data until that call's turn comes."""
    live_calls = [other.pk for other in Call.objects.exclude(pk=call.pk) if keeping_date(other) > at]
    organisations = set(
        Candidacy.objects.filter(call_id__in=live_calls).values_list("organisation_id", flat=True).distinct()
    )
    users = set(
        get_user_model()
        .objects.filter(Q(memberships__organisation_id__in=organisations) | Q(jury_memberships__call_id__in=live_calls))
        .values_list("pk", flat=True)
    )
    return organisations, users


def _people_of(call, candidacies):
    """The applicants (members of the call's organisations, and whoever created, submitted or uploaded for its
    candidacies) and the jurors of the call, staff left out."""
    organisation_ids = {candidacy.organisation_id for candidacy in candidacies}
    candidacy_ids = [candidacy.pk for candidacy in candidacies]
    return (
        get_user_model()
        .objects.filter(
            Q(memberships__organisation_id__in=organisation_ids)
            | Q(jury_memberships__call=call)
            | Q(pk__in=[candidacy.created_by_id for candidacy in candidacies])
            | Q(pk__in=CandidacyVersion.objects.filter(candidacy_id__in=candidacy_ids).values("submitted_by_id"))
        )
        .filter(is_staff=False, is_superuser=False)
        .distinct()
        .order_by("pk")
    )


def _login_records(email):
    from axes.models import AccessAttempt, AccessLog

    return [AccessAttempt.objects.filter(username__iexact=email), AccessLog.objects.filter(username__iexact=email)]


def plan(call, *, at):
    """Every change the anonymisation of `call` would make now; empty when it was done before."""
    changes = []
    kept_organisations, kept_users = _protected_by_other_calls(call, at)
    candidacies = list(Candidacy.objects.filter(call=call).select_related("organisation").order_by("pk"))
    organisations = {
        candidacy.organisation_id: candidacy.organisation
        for candidacy in candidacies
        if candidacy.organisation_id not in kept_organisations
    }

    for organisation in sorted(organisations.values(), key=lambda item: item.pk):
        target = {
            "contact_name": PLACEHOLDER_NAME,
            "contact_email": placeholder_email("organisation", organisation.pk),
            "contact_phone": "",
        }
        values = _differences(organisation, target)
        if values:
            changes.append(
                Change(f"organisation {organisation.pk} ({organisation.name})", Organisation, organisation.pk, values)
            )
        history = Organisation.history.model
        for row in history.objects.filter(id=organisation.pk).order_by("history_id"):
            values = _differences(row, target)
            if values:
                changes.append(
                    Change(
                        f"history of organisation {organisation.pk}, row {row.history_id}",
                        history,
                        row.history_id,
                        values,
                    )
                )
        for invitation in Invitation.objects.filter(organisation=organisation).order_by("pk"):
            values = _differences(invitation, {"email": placeholder_email("invitation", invitation.pk)})
            if values:
                changes.append(Change(f"invitation {invitation.pk}", Invitation, invitation.pk, values))

    for candidacy in candidacies:
        label = candidacy.reference or f"draft {candidacy.pk}"
        target = _contact_target({name: getattr(candidacy, name) for name in CONTACT_FIELDS}, "candidacy", candidacy.pk)
        values = _differences(candidacy, target)
        if values:
            changes.append(Change(f"candidacy {label}", Candidacy, candidacy.pk, values))
        history = Candidacy.history.model
        for row in history.objects.filter(id=candidacy.pk).order_by("history_id"):
            row_target = _contact_target(
                {name: getattr(row, name) for name in CONTACT_FIELDS}, "candidacy", candidacy.pk
            )
            values = _differences(row, row_target)
            if values:
                changes.append(
                    Change(f"history of candidacy {label}, row {row.history_id}", history, row.history_id, values)
                )
        for version in CandidacyVersion.objects.filter(candidacy=candidacy).order_by("number"):
            content = dict(version.content)
            content.update(
                _contact_target({name: content.get(name, "") for name in CONTACT_FIELDS}, "candidacy", candidacy.pk)
            )
            if content != version.content:
                changed = [name for name in CONTACT_FIELDS if content[name] != version.content.get(name)]
                changes.append(
                    Change(
                        f"candidacy {label}, version {version.number}",
                        CandidacyVersion,
                        version.pk,
                        {"content": content},
                        fields=[f"content.{name}" for name in changed],
                    )
                )

    for user in _people_of(call, candidacies):
        if user.pk in kept_users:
            continue
        target = {
            "full_name": f"{PLACEHOLDER_NAME} {user.pk}",
            "email": placeholder_email("", user.pk),
            "phone": "",
            "is_active": False,
        }
        values = _differences(user, target)
        extra = []
        if user.has_usable_password():
            values["password"] = make_password(None)
        logins = sum(records.count() for records in _login_records(user.email))
        if logins:
            extra.append(f"{logins} login records deleted")
        if values or extra:
            changes.append(Change(f"user {user.pk}", get_user_model(), user.pk, values, extra, old_email=user.email))
    return Plan(call=call, changes=changes)


@transaction.atomic
def apply(plan):
    for change in plan.changes:
        change.model._base_manager.filter(pk=change.pk).update(**change.values)
        if change.old_email:
            for records in _login_records(change.old_email):
                records.delete()
    return plan
