import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from challenges.models import Call
from office import anonymisation


def moment(value):
    """An ISO 8601 moment; without an offset it is Brussels time."""
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--now: not an ISO 8601 moment: {value!r}") from error
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def report(command, plan, *, dry_run):
    slug = plan.call.slug
    if not plan:
        command.stdout.write(f"{slug}: nothing to anonymise (already done).")
        return
    verb = "would change" if dry_run else "changed"
    command.stdout.write(f"{slug}: {verb} {len(plan.changes)} rows{' (dry run: nothing changed)' if dry_run else ''}")
    for change in plan.changes:
        command.stdout.write(f"  {change.describe()}")


class Command(BaseCommand):
    help = (
        "Replaces the personal data of one call's applicants and jurors (names, e-mail addresses, phone numbers, "
        "contact persons, also in submitted versions and history rows) with placeholders, keeping references, "
        "outcomes, scores, decisions, dates and amounts. Refused before the call's keeping date (1 January after "
        "the end of the call's year + ANONYMISE_AFTER_YEARS) unless --force. Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The call's slug, e.g. maasland-2023.")
        parser.add_argument("--dry-run", action="store_true", help="List what would change; change nothing.")
        parser.add_argument("--force", action="store_true", help="Anonymise even before the keeping date.")
        parser.add_argument("--now", help="Run as at this ISO 8601 moment (default: now).")

    def handle(self, *args, slug, dry_run=False, force=False, now=None, **options):
        at = moment(now) if now else timezone.now()
        call = Call.objects.filter(slug=slug).first()
        if call is None:
            raise CommandError(f"No call with the slug {slug!r}.")
        kept_until = anonymisation.keeping_date(call)
        if at < kept_until and not force:
            raise CommandError(
                f"{slug}: its personal data are kept until {timezone.localdate(kept_until):%Y-%m-%d} "
                "(end of the call's year + ANONYMISE_AFTER_YEARS); use --force to anonymise earlier."
            )
        plan = anonymisation.plan(call, at=at)
        if not dry_run:
            anonymisation.apply(plan)
        report(self, plan, dry_run=dry_run)
