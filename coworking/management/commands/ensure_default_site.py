from django.core.management.base import BaseCommand

from coworking.services import site_ensure_default


class Command(BaseCommand):
    help = "Create the default site (la Ruche Saint-Germain) if it does not exist yet."

    def handle(self, *args, **options):
        site, created = site_ensure_default()
        self.stdout.write(f"{'Created' if created else 'Found'} site: {site.name}")
