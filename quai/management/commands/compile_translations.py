from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from quai.i18n import compile_all


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo) without GNU gettext."

    def handle(self, *args, **options):
        for path in compile_all(Path(settings.BASE_DIR)):
            self.stdout.write(f"compiled {path.relative_to(settings.BASE_DIR)}")
