from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members import importer
from quai.errors import DomainError


class Command(BaseCommand):
    help = "Import members from a CSV file. Without --commit it is a dry run that writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="write (refused while a line is rejected, unless --valid-lines-only)")
        parser.add_argument("--valid-lines-only", action="store_true", help="with --commit: import the valid lines, leave rejected ones out")

    def handle(self, *args, file, commit, valid_lines_only, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        data = path.read_bytes()
        try:
            plan = importer.import_plan(data)
            for line in plan.lines:
                why = line.reason or "; ".join(line.details)
                self.stdout.write(f"line {line.number}: {line.action} {line.email} {why}".rstrip())
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in plan.counts.items()))
            if commit:
                counts = importer.import_apply(data, by=None, skip_rejected=valid_lines_only)
                self.stdout.write(self.style.SUCCESS(f"imported: {counts}"))
        except DomainError as error:
            raise CommandError(str(error.message)) from error
