"""State changes of the challenges app."""

import datetime

from django.db import transaction

from .models import Call, CallNote, PitchDay, ServiceTypePoint


def shift_instant(moment, days):
    """Move an instant by whole local days, so 23:59:59 in Brussels stays 23:59:59 across summer time."""
    from django.utils import timezone

    local = timezone.localtime(moment)
    naive = datetime.datetime.combine(local.date() + datetime.timedelta(days=days), local.time())
    return timezone.make_aware(naive)


@transaction.atomic
def copy_call_shifted(source, *, slug, subtitle, reference_prefix, days):
    """A copy of a call with every date moved by `days`, in the same order and spacing.

    Run again for an existing slug, it moves the dates of that copy and leaves its content alone.
    """
    shift = datetime.timedelta(days=days)
    dates = {
        "launch_date": source.launch_date + shift,
        "deadline": shift_instant(source.deadline, days),
        "assessment_starts_on": source.assessment_starts_on + shift,
        "assessment_ends_on": source.assessment_ends_on + shift,
        "decisions_before": source.decisions_before + shift,
    }
    copy = Call.objects.filter(slug=slug).first()
    if copy is not None:
        for field, value in dates.items():
            setattr(copy, field, value)
        copy.save(update_fields=list(dates))
        copy.pitch_days.all().delete()
        PitchDay.objects.bulk_create(PitchDay(call=copy, date=day.date + shift) for day in source.pitch_days.all())
        return copy

    copy = Call.objects.get(pk=source.pk)
    copy.pk = None
    copy.slug = slug
    copy.subtitle = subtitle
    copy.reference_prefix = reference_prefix
    copy.is_demo = True
    for field, value in dates.items():
        setattr(copy, field, value)
    copy.save()
    copy.municipalities.set(source.municipalities.all())
    PitchDay.objects.bulk_create(PitchDay(call=copy, date=day.date + shift) for day in source.pitch_days.all())

    personas = {}
    for persona in source.personas.all():
        old_pk = persona.pk
        persona.pk = None
        persona.call = copy
        persona.save()
        personas[old_pk] = persona
    for challenge in source.challenges.prefetch_related("personas"):
        persona_pks = [persona.pk for persona in challenge.personas.all()]
        challenge.pk = None
        challenge.call = copy
        challenge.save()
        challenge.personas.set([personas[pk] for pk in persona_pks])
    for service_type in source.service_types.prefetch_related("points"):
        points = list(service_type.points.all())
        service_type.pk = None
        service_type.call = copy
        service_type.save()
        ServiceTypePoint.objects.bulk_create(
            ServiceTypePoint(service_type=service_type, position=point.position, text=point.text) for point in points
        )
    CallNote.objects.bulk_create(
        CallNote(call=copy, kind=note.kind, position=note.position, text=note.text) for note in source.notes.all()
    )
    return copy
