from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import services


class Command(BaseCommand):
    help = "Loads the Maasland call, three demo copies in other phases and demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Also with DEBUG off (never in production).")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo creates accounts with a known password; it runs only with DEBUG on.")
        result = services.seed()
        self.stdout.write(self.style.SUCCESS("Demo loaded:"))
        for call in result["calls"]:
            self.stdout.write(f"  {call.subtitle:<50} /oproepen/{call.slug}/")
        self.stdout.write(f"Demo logins (password for all: {services.DEMO_PASSWORD}):")
        for account in services.DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.role:<14} {account.email}")
        self.stdout.write(
            "Staff and jury log in with a second step: add the key "
            f"{services.DEMO_AUTHENTICATOR_KEY} to an authenticator app (time-based, 6 digits), or run "
            f"`.venv/bin/python manage.py demo_code` for the current code (now: {services.demo_authenticator_code()})."
        )
