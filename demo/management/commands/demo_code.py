from django.core.management.base import BaseCommand

from demo import services


class Command(BaseCommand):
    help = "Prints the current code of the demo accounts' authenticator (their second step after the password)."

    def handle(self, *args, **options):
        self.stdout.write(services.demo_authenticator_code())
