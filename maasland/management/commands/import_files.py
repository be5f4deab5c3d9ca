from django.core.management.base import BaseCommand, CommandError

from maasland.stored_files import StoreNotEmpty, check_empty, import_files


class Command(BaseCommand):
    help = (
        "Puts every file of a tar made by export_files into the file storage (MEDIA_ROOT or the object store), which "
        "must be empty. --check only says whether it is. scripts/restore.sh runs it."
    )

    def add_arguments(self, parser):
        parser.add_argument("tar", help="The tar file to read.")
        parser.add_argument("--check", action="store_true", help="Only check that the store is empty.")

    def handle(self, *args, tar, check, **options):
        try:
            if check:
                check_empty()
                return
            with open(tar, "rb") as source:
                put = import_files(source)
        except StoreNotEmpty as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"{put} file(s) restored from {tar}.")
