"""The directory's daily limit holds when one member sends from several tabs at once: real
threads, each with its own database connection, released together by a barrier."""

import threading
from unittest import mock

import pytest
from django.db import connection

from members import services
from quai.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
SENDS = 8


def listed(user):
    services.profile_update(user=user, first_name=user.first_name, last_name=user.last_name, consents={"directory": True})
    return user


def race(sender, recipients) -> list[str]:
    barrier = threading.Barrier(len(recipients))
    outcomes = [""] * len(recipients)

    def worker(index, recipient):
        try:
            barrier.wait()
            services.directory_contact_send(sender=sender, recipient=recipient, message=f"Bonjour, message {index}.")
            outcomes[index] = "sent"
        except services.ContactLimitReached:
            outcomes[index] = "limited"
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, r)) for i, r in enumerate(recipients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_eight_simultaneous_sends_deliver_exactly_the_daily_limit():
    sender = listed(UserFactory())
    recipients = [listed(UserFactory()) for _ in range(SENDS)]
    outcomes = race(sender, recipients)
    assert sorted(outcomes) == ["limited"] * 3 + ["sent"] * 5
    assert OutboxMessage.objects.filter(key__startswith=f"directory-contact:{sender.pk}:").count() == 5


def test_without_the_lock_on_the_sender_the_limit_is_overrun():
    """Control: with the row lock made a no-op, every thread counts before any writes."""
    from django.db.models.query import QuerySet

    sender = listed(UserFactory())
    recipients = [listed(UserFactory()) for _ in range(SENDS)]
    count = QuerySet.count
    gate = threading.Barrier(SENDS)

    def slow_count(self):
        result = count(self)
        if self.model.__name__ == "AuditLog":
            gate.wait(timeout=10)  # every thread has counted before anyone writes
        return result

    with mock.patch.object(QuerySet, "select_for_update", lambda self, *a, **k: self), mock.patch.object(QuerySet, "count", slow_count):
        outcomes = race(sender, recipients)
    assert outcomes.count("sent") == SENDS
