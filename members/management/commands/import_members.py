from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members import importer
from quai.errors import DomainError


class Command(BaseCommand):
    help = "Import members from a CSV file. Without --commit it is a dry run that writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="write (all or nothing)")

    def handle(self, *args, file, commit, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        data = path.read_bytes()
        try:
            plan = importer.import_plan(data)
            for line in plan.lines:
                self.stdout.write(f"line {line.number}: {line.action} {line.email} {line.reason}".rstrip())
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in plan.counts.items()))
            if commit:
                counts = importer.import_apply(data, by=None)
                self.stdout.write(self.style.SUCCESS(f"imported: {counts}"))
        except DomainError as error:
            raise CommandError(str(error.message)) from error
