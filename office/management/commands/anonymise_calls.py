from django.core.management.base import BaseCommand
from django.utils import timezone

from office import anonymisation

from .anonymise_call import moment, report


class Command(BaseCommand):
    help = (
        "Anonymises every call whose keeping date has passed (see anonymise_call). Meant for a monthly cron; "
        "calls done before report 'nothing to anonymise'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would change; change nothing.")
        parser.add_argument("--now", help="Run as at this ISO 8601 moment (default: now).")

    def handle(self, *args, dry_run=False, now=None, **options):
        at = moment(now) if now else timezone.now()
        calls = anonymisation.expired_calls(at)
        if not calls:
            self.stdout.write("No call is past its keeping date.")
        for call in calls:
            plan = anonymisation.plan(call, at=at)
            if not dry_run:
                anonymisation.apply(plan)
            report(self, plan, dry_run=dry_run)
