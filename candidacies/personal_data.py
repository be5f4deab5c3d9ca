"""The candidacies app's part of a person's data download: their organisations and those organisations'
candidacies, as the applicant sees them in the portal."""

from django.conf import settings
from django.db.models import Prefetch, Q

from accounts.personal_data import register

from . import queries
from .models import Attachment, Candidacy, CandidacyVersion, Invitation, Membership

ORGANISATION_FIELDS = [
    "name",
    "enterprise_number",
    "street",
    "postal_code",
    "city",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "created_at",
]
# Not in the download: the form's lock counter, and which staff member or colleague pressed a button.
CANDIDACY_SKIPPED_FIELDS = {"lock_version"}


def _candidacy_fields():
    return [
        field
        for field in Candidacy._meta.concrete_fields
        if field.name not in CANDIDACY_SKIPPED_FIELDS
        and not (field.is_relation and field.related_model._meta.label == settings.AUTH_USER_MODEL)
    ]


def _candidacy(candidacy):
    data = {}
    for field in _candidacy_fields():
        if field.name == "call":
            data["call"] = {"slug": candidacy.call.slug, "title": str(candidacy.call)}
        elif field.name == "organisation":
            data["organisation"] = candidacy.organisation.name
        else:
            data[field.name] = getattr(candidacy, field.attname)
    data["challenges"] = [item.title for item in candidacy.challenges.all()]
    data["personas"] = [item.name for item in candidacy.personas.all()]
    data["service_types"] = [item.name for item in candidacy.service_types.all()]
    data["service_points"] = [item.text for item in candidacy.service_points.all()]
    data["municipalities"] = [item.name for item in candidacy.municipalities.all()]
    data["attachments"] = [
        {
            "name": item.name,
            "kind": item.kind,
            "size": item.size,
            "sha256": item.sha256,
            "uploaded_at": item.uploaded_at,
            "removed_at": item.removed_at,
        }
        for item in candidacy.attachments.all()
    ]
    data["versions"] = [
        {"number": item.number, "submitted_at": item.submitted_at, "content": item.content}
        for item in candidacy.versions.all()
    ]
    return data


@register("organisations")
def organisations(user):
    memberships = Membership.objects.filter(user=user).select_related("organisation").order_by("joined_at", "pk")
    return [
        {
            **{field: getattr(membership.organisation, field) for field in ORGANISATION_FIELDS},
            "joined_at": membership.joined_at,
        }
        for membership in memberships
    ]


@register("invitations")
def invitations(user):
    """Invitations this person sent, and those sent to their address."""
    rows = (
        Invitation.objects.filter(Q(invited_by=user) | Q(email__iexact=user.email))
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
    return [
        {
            "organisation": row.organisation.name,
            "email": row.email,
            "sent_by_you": row.invited_by_id == user.pk,
            "created_at": row.created_at,
            "accepted_at": row.accepted_at,
        }
        for row in rows
    ]


@register("candidacies")
def candidacies(user):
    rows = (
        queries.of_member(user)
        .select_related("call", "organisation")
        .prefetch_related(
            "challenges",
            "personas",
            "service_types",
            "service_points",
            "municipalities",
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
            Prefetch("versions", queryset=CandidacyVersion.objects.order_by("number")),
        )
        .order_by("created_at", "pk")
    )
    return [_candidacy(candidacy) for candidacy in rows]
