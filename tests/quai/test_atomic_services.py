"""Services are atomic: all their rows and their audit row, or nothing.

Each test makes the last write of a service fail (the audit row, or the rows written after the
main one) and checks that the rows written before it were rolled back with it.
"""

import datetime
from unittest import mock

import pytest
from django.db import DatabaseError

from fabrique import services as fabrique
from fabrique.models import Cohort, Deliverable, Enrolment, Module, Outcome
from members import services as members
from quai.models import AuditLog
from tests.fabrique.factories import make_cohort
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def failing(*args, **kwargs):
    raise DatabaseError("the disk is full")


def test_cohort_create_writes_the_cohort_its_curriculum_and_its_audit_row_or_nothing():
    staff = StaffFactory()
    with mock.patch("fabrique.services.audit_log", failing), pytest.raises(DatabaseError):
        fabrique.cohort_create(by=staff, name="Promotion 2031", year=2031, start=datetime.date(2031, 1, 1),
                               end=datetime.date(2031, 6, 30))
    assert (Cohort.objects.count(), Module.objects.count(), AuditLog.objects.count()) == (0, 0, 0)
    cohort = fabrique.cohort_create(by=staff, name="Promotion 2031", year=2031, start=datetime.date(2031, 1, 1),
                                    end=datetime.date(2031, 6, 30))
    assert (cohort.modules.count(), AuditLog.objects.filter(action="fabrique.cohort_created").count()) == (6, 1)


def test_enrol_writes_the_enrolment_and_its_deliverables_or_nothing():
    cohort = make_cohort(StaffFactory(), year=2031)
    holder = UserFactory()
    with mock.patch.object(Deliverable.objects, "bulk_create", failing), pytest.raises(DatabaseError):
        fabrique.enrol(cohort=cohort, holder=holder, project_name="La Grange")
    assert (Enrolment.objects.count(), Deliverable.objects.count()) == (0, 0)
    enrolment = fabrique.enrol(cohort=cohort, holder=holder, project_name="La Grange")
    assert enrolment.deliverables.count() == 6


def test_outcome_record_writes_the_outcome_with_its_audit_row_or_nothing():
    staff = StaffFactory()
    enrolment = fabrique.enrol(cohort=make_cohort(staff, year=2031), holder=UserFactory(), project_name="La Grange")
    audits = AuditLog.objects.count()
    with mock.patch("fabrique.services.audit_log", failing), pytest.raises(DatabaseError):
        fabrique.outcome_record(enrolment=enrolment, by=staff, name="La Grange", commune="Poissy",
                                opened_on=datetime.date(2026, 9, 1))
    assert (Outcome.objects.count(), AuditLog.objects.count()) == (0, audits)


def test_member_set_staff_changes_the_role_with_its_audit_row_or_not_at_all():
    admin = StaffFactory(is_superuser=True)
    person = UserFactory()
    with mock.patch("members.services.audit_log", failing), pytest.raises(DatabaseError):
        members.member_set_staff(user=person, is_staff=True, by=admin)
    person.refresh_from_db()
    assert person.is_staff is False
    assert AuditLog.objects.filter(action="members.role_changed").count() == 0
    members.member_set_staff(user=person, is_staff=True, by=admin)
    person.refresh_from_db()
    assert person.is_staff is True
    assert AuditLog.objects.filter(action="members.role_changed", target_id=str(person.pk)).count() == 1


def test_a_recurring_series_is_booked_in_one_transaction(settings):
    from coworking import services as coworking
    from coworking.models import Booking
    from tests.coworking.factories import ResourceFactory, SiteFactory, SubscriptionFactory

    member = UserFactory()
    SubscriptionFactory(member=member)
    room = ResourceFactory(site=SiteFactory(), kind="room", name="Salle Seine", capacity=8, zone="")
    day = datetime.date.today() + datetime.timedelta(days=7)
    while day.weekday() > 4:
        day += datetime.timedelta(days=1)
    start = coworking.local_dt(day, datetime.time(10))
    end = coworking.local_dt(day, datetime.time(11))
    calls = {"n": 0}
    real = coworking.booking_create

    def third_fails(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise DatabaseError("the connection dropped")
        return real(**kwargs)

    with mock.patch("coworking.services.booking_create", third_fails), pytest.raises(DatabaseError):
        coworking.booking_series_create(member=member, resource=room, starts_at=start, ends_at=end, weeks=4)
    assert Booking.objects.count() == 0
