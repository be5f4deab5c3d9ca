import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from maasland.clock import BRUSSELS
from office import reminders


def moment(value):
    """An ISO 8601 moment; without an offset it is Brussels time."""
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--now: not an ISO 8601 moment: {value!r}") from error
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, BRUSSELS)


class Command(BaseCommand):
    help = (
        "Mails the call managers and each call's contact what is due about decisions and weerwoorden: decisions not "
        "sent before the call's date, weerwoord windows closing within two days, weerwoorden to assess. Meant for a "
        "daily cron. Nothing due, no mail. A second run on the same day with nothing changed sends nothing again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Run as at this ISO 8601 moment (default: now); for tests and catch-up.")
        parser.add_argument("--dry-run", action="store_true", help="Show who would get a mail; send nothing.")
        parser.add_argument(
            "--include-demo", action="store_true", help="Also the demo copies of a call (their contact is real)."
        )

    def handle(self, *args, now=None, dry_run=False, include_demo=False, **options):
        at = moment(now) if now else timezone.now()
        report = reminders.send_reminders(at, include_demo=include_demo, dry_run=dry_run)
        verb = "would mail" if dry_run else "mailed"
        for call, sent in report:
            self.stdout.write(f"{call.slug}: {verb} {', '.join(sent) or 'nobody'}")
        if not report:
            self.stdout.write("Nothing due.")
