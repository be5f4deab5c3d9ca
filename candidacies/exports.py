"""The candidacies as one spreadsheet row each, every field, for the call manager's export (CSV or XLSX)."""

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import capfirst
from django.utils.translation import gettext

from challenges.models import Challenge, Municipality, Persona, ServiceType, ServiceTypePoint
from maasland.spreadsheets import DECIMAL, INTEGER, MOMENT, TEXT, Column, Table

from .models import Attachment, Candidacy, Organisation


def attachment_count_subquery():
    """The number of attachments the applicant has not removed."""
    current = (
        Attachment.objects.filter(candidacy=OuterRef("pk"), removed_at__isnull=True)
        .order_by()
        .values("candidacy")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(current, output_field=IntegerField()), Value(0))


def label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def joined(items):
    return ", ".join(str(item) for item in items)


def yes_no(value):
    return gettext("yes") if value else gettext("no")


def candidacy_columns():
    """(column, value of a candidacy) pairs, in the order of the proposal form."""
    return [
        (Column(label(Candidacy, "reference")), lambda c: c.reference or ""),
        (Column(label(Candidacy, "title")), lambda c: c.title),
        (Column(label(Candidacy, "organisation")), lambda c: c.organisation.name),
        (Column(label(Organisation, "enterprise_number")), lambda c: c.organisation.enterprise_number_display),
        (Column(label(Organisation, "city")), lambda c: c.organisation.city),
        (Column(label(Candidacy, "call")), lambda c: str(c.call)),
        (Column(label(Candidacy, "status")), lambda c: c.get_status_display()),
        (Column(label(Candidacy, "status_reason")), lambda c: c.status_reason),
        (Column(label(Candidacy, "summary")), lambda c: c.summary),
        (Column(label(Candidacy, "challenges")), lambda c: joined(c.challenges.all())),
        (Column(label(Candidacy, "personas")), lambda c: joined(c.personas.all())),
        (Column(label(Candidacy, "service_types")), lambda c: joined(c.service_types.all())),
        (Column(label(Candidacy, "service_points")), lambda c: joined(c.service_points.all())),
        (Column(label(Candidacy, "municipalities")), lambda c: joined(c.municipalities.all())),
        (Column(label(Candidacy, "approach")), lambda c: c.approach),
        (Column(label(Candidacy, "collaboration")), lambda c: c.collaboration),
        (Column(label(Candidacy, "expected_participants"), INTEGER), lambda c: c.expected_participants),
        (Column(label(Candidacy, "duration_months"), INTEGER), lambda c: c.duration_months),
        (Column(label(Candidacy, "budget"), DECIMAL), lambda c: c.budget),
        (Column(label(Candidacy, "budget_breakdown")), lambda c: c.budget_breakdown),
        (Column(label(Candidacy, "team")), lambda c: c.team),
        (Column(label(Candidacy, "contact_name")), lambda c: c.contact_name),
        (Column(label(Candidacy, "contact_email")), lambda c: c.contact_email),
        (Column(label(Candidacy, "contact_phone")), lambda c: c.contact_phone),
        (Column(label(Candidacy, "created_by")), lambda c: c.created_by.email),
        (Column(label(Candidacy, "created_at"), MOMENT), lambda c: c.created_at),
        (Column(label(Candidacy, "submitted_at"), MOMENT), lambda c: c.submitted_at),
        (Column(label(Candidacy, "withdrawn_at"), MOMENT), lambda c: c.withdrawn_at),
        (Column(label(Candidacy, "changed_since_submission"), TEXT), lambda c: yes_no(c.changed_since_submission)),
        (Column(label(Candidacy, "extended_until"), MOMENT), lambda c: c.extended_until),
        (Column(label(Candidacy, "extension_reason")), lambda c: c.extension_reason),
        (Column(capfirst(gettext("number of attachments")), INTEGER), lambda c: c.attachment_count),
    ]


def export_queryset(queryset):
    """The candidacies with everything the rows show, in a fixed number of queries."""
    if "attachment_count" not in queryset.query.annotations:
        queryset = queryset.annotate(attachment_count=attachment_count_subquery())
    return (
        queryset.select_related("call", "organisation", "created_by")
        .prefetch_related(
            Prefetch("challenges", queryset=Challenge.objects.order_by("number")),
            Prefetch("personas", queryset=Persona.objects.order_by("position", "name")),
            Prefetch("service_types", queryset=ServiceType.objects.order_by("position")),
            Prefetch(
                "service_points", queryset=ServiceTypePoint.objects.order_by("service_type__position", "position")
            ),
            Prefetch("municipalities", queryset=Municipality.objects.order_by("position", "name")),
        )
        .order_by(F("reference").asc(nulls_last=True), "pk")
    )


def candidacy_table(queryset):
    columns = candidacy_columns()
    return Table(
        name=capfirst(gettext("candidacies")),
        columns=[column for column, _value in columns],
        rows=[[value(candidacy) for _column, value in columns] for candidacy in export_queryset(queryset)],
    )
