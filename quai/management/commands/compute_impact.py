from django.core.management.base import BaseCommand

from quai.impact import compute_snapshots


class Command(BaseCommand):
    help = "Compute the impact snapshots now (the nightly Celery task's code, run synchronously)."

    def add_arguments(self, parser):
        parser.add_argument("--codes", help="only these indicator codes, comma-separated (default: all)")

    def handle(self, *args, codes=None, **options):
        selected = [code.strip() for code in codes.split(",")] if codes else None

        def progress(done, total):
            self.stdout.write(f"compute_impact: {done}/{total}")

        count = compute_snapshots(codes=selected, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"compute_impact: {count} figures computed"))
