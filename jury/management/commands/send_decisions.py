from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from challenges.models import Call
from jury import tasks


class Command(BaseCommand):
    help = (
        "Sends every decision of a call that has not gone out yet, as the call manager does with the admin's action: "
        "one task per decision (jury.tasks.send_decision) prints its letter and marks it communicated, then one task "
        "per letter mails it (jury.tasks.mail_letter). With CELERY_BROKER_URL the worker does this; without, this "
        "command does."
    )

    def add_arguments(self, parser):
        parser.add_argument("call", help="The call's slug.")
        parser.add_argument("--by", required=True, help="The e-mail address of the call manager who sends them.")

    def handle(self, *args, call, by, **options):
        found = Call.objects.filter(slug=call).first()
        if found is None:
            raise CommandError(f"No call {call!r}.")
        manager = get_user_model().objects.filter(email__iexact=by).first()
        if manager is None:
            raise CommandError(f"No user {by!r}.")
        count = tasks.send_decisions(found.pk, manager.pk)
        self.stdout.write(f"{count} decision(s) queued.")
