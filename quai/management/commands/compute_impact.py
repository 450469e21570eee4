from django.core.management.base import BaseCommand, CommandError

from quai.impact import compute_snapshots, indicator_by_code


class Command(BaseCommand):
    help = "Compute the impact snapshots now (the nightly Celery task's code, run synchronously)."

    def add_arguments(self, parser):
        parser.add_argument("--codes", help="only these indicator codes, comma-separated (default: all)")

    def handle(self, *args, codes=None, **options):
        selected = [code.strip().upper() for code in codes.split(",") if code.strip()] if codes else None
        unknown = [code for code in selected or () if indicator_by_code(code) is None]
        if unknown or selected == []:
            raise CommandError(f"unknown indicator code: {', '.join(unknown) or codes!r} (see the codes on /staff/)")

        def progress(done, total):
            self.stdout.write(f"compute_impact: {done}/{total}")

        count = compute_snapshots(codes=selected, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"compute_impact: {count} figures computed"))
