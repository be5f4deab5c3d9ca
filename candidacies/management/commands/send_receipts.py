import time

from django.core.management.base import BaseCommand

from candidacies.emails import send_pending_receipts


class Command(BaseCommand):
    help = (
        "Mails the PDF receipt of every submitted version whose receipt has not gone out yet (oldest first). "
        "With RECEIPT_MAIL=queued this is how receipts leave; with either setting it retries receipts a failing mail "
        "server left behind. --loop N keeps running, every N seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, metavar="SECONDS", help="Run again every SECONDS until stopped.")

    def handle(self, *args, loop=None, **options):
        while True:
            sent = send_pending_receipts()
            if sent or not loop:
                self.stdout.write(f"{sent} receipt(s) mailed.")
            if not loop:
                return
            time.sleep(loop)
