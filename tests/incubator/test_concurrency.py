"""Races the database settles: the same reviewer scoring twice at once, the same member applying twice
at once, the same founder accepted into two projects at once. Real threads, a barrier, one connection each."""

import threading

import pytest
from django.db import connection

from coworking.models import Subscription
from incubator import services
from incubator.models import Application, Review
from quai.errors import ConflictError
from tests.factories import StaffFactory, UserFactory
from tests.incubator.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 — the outcome is the assertion
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_same_reviewer_scoring_twice_at_once_keeps_one_review():
    staff = StaffFactory()
    application = ApplicationFactory()
    scores = {c.pk: 4 for c in application.call.criteria.all()}
    outcomes = _race(*[lambda: services.application_review(application=application, by=staff, scores=scores)] * 4)
    assert sum(isinstance(o, Review) for o in outcomes) == 1
    assert sum(isinstance(o, ConflictError) for o in outcomes) == 3
    assert Review.objects.count() == 1


def test_same_member_applying_twice_at_once_keeps_one_application():
    call, member = CallFactory(), UserFactory()

    def apply():
        return services.application_save(call=call, applicant=member, project_name="La Cantine", summary="S",
                                         answers=["a", "b"], submit=True)

    outcomes = _race(apply, apply, apply)
    assert sum(isinstance(o, Application) for o in outcomes) == 1
    assert sum(isinstance(o, ConflictError) for o in outcomes) == 2
    assert Application.objects.count() == 1


def test_founder_accepted_twice_at_once_gets_one_incubated_plan():
    staff_a, staff_b = StaffFactory(), StaffFactory()
    founder = UserFactory()
    first, second = ApplicationFactory(applicant=founder), ApplicationFactory(applicant=founder)
    outcomes = _race(lambda: services.application_decide(application=first, by=staff_a, decision="accepted"),
                     lambda: services.application_decide(application=second, by=staff_b, decision="accepted"))
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    assert Subscription.objects.filter(member=founder).count() == 1
