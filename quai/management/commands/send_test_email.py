import uuid

from django.core.management.base import BaseCommand
from django.db import transaction

from quai.outbox import outbox_enqueue


class Command(BaseCommand):
    help = "Send a test e-mail to ADDRESS through the outbox (checks the e-mail configuration end to end)."

    def add_arguments(self, parser):
        parser.add_argument("address")

    def handle(self, *args, address, **options):
        with transaction.atomic():
            message, _created = outbox_enqueue(
                key=f"test-email:{uuid.uuid4().hex}",
                to=address,
                template="test_message",
                context={"name": address, "title": "Quai can send e-mail."},
            )
        self.stdout.write(f"queued outbox message #{message.pk} to {address}")
