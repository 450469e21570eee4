from django.core.management.base import BaseCommand

from quai.management.commands.seed_demo import print_demo_logins


class Command(BaseCommand):
    help = "Print the demo accounts created by seed_demo."

    def handle(self, *args, **options):
        print_demo_logins(self.stdout)
