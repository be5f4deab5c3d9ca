from django.core.management.base import BaseCommand

from maasland.stored_files import export_files


class Command(BaseCommand):
    help = (
        "Writes every file the portal keeps (attachments, letters, weerwoord attachments) into one tar, read through "
        "the file storage (MEDIA_ROOT or the object store). scripts/backup.sh runs it after the database dump."
    )

    def add_arguments(self, parser):
        parser.add_argument("tar", help="The tar file to write.")

    def handle(self, *args, tar, **options):
        with open(tar, "wb") as target:
            written = export_files(target)
        self.stdout.write(f"{written} file(s) written to {tar}.")
