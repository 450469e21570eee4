"""One pending renewal per member: a database rule (membership_one_pending_per_member), not a
check-then-insert. Real threads, released together, each on its own connection."""

import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from members import services
from members.models import Membership, MembershipType
from quai.errors import ConflictError
from tests.factories import UserFactory

THREADS = 12


def race(target, count=THREADS) -> list:
    """Run `target()` in `count` threads released by one barrier; each result or raised exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index):
        barrier.wait()
        try:
            results[index] = target()
        except Exception as error:  # the outcome under test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_renewal_requests_leave_exactly_one_pending_and_the_others_get_a_409():
    member = UserFactory()
    kind = MembershipType.objects.create(name="Individuelle", kind="individual", amount_eur=Decimal("20"))
    results = race(lambda: services.membership_renew_request(member=member, type=kind))
    created = [r for r in results if isinstance(r, Membership)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(created) == 1 and len(refused) == THREADS - 1, results
    assert {r.status_code for r in refused} == {409}
    assert Membership.objects.filter(member=member, paid_on__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_control_without_the_friendly_check_the_database_alone_refuses_the_second_pending_renewal():
    """The guard is the constraint: inserts that skip every check still end with one pending row."""
    member = UserFactory()
    kind = MembershipType.objects.create(name="Individuelle", kind="individual", amount_eur=Decimal("20"))

    def insert():
        with transaction.atomic():
            return Membership.objects.create(member=member, type=kind, starts_on="2026-01-01", ends_on="2026-12-31")

    results = race(insert)
    assert sum(isinstance(r, Membership) for r in results) == 1
    assert sum(isinstance(r, IntegrityError) for r in results) == THREADS - 1
    assert Membership.objects.filter(member=member, paid_on__isnull=True).count() == 1


def test_a_second_renewal_request_is_a_409(db):
    member = UserFactory()
    kind = MembershipType.objects.create(name="Individuelle", kind="individual", amount_eur=Decimal("20"))
    services.membership_renew_request(member=member, type=kind)
    with pytest.raises(ConflictError) as refused:
        services.membership_renew_request(member=member, type=kind)
    assert refused.value.status_code == 409
    assert Membership.objects.filter(member=member).count() == 1
