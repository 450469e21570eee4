"""Graduation (FAB-2) and attendance: exactly when the rules are met; the indicators."""

import datetime

import pytest
from django.utils import timezone

from fabrique import selectors, services
from fabrique.models import Attendance
from quai.errors import DomainError
from quai.models import AuditLog
from tests.fabrique.factories import make_cohort, make_sessions
from tests.fabrique.helpers import deliverable_of, validate

pytestmark = pytest.mark.django_db


def test_graduation_exactly_when_the_rules_are_met(enrolment, member, coach):
    sessions = make_sessions(enrolment.cohort, n=4)
    # two sessions started, a third with attendance taken (held), a fourth still to come
    services.attendance_record(session=sessions[0], by=coach, statuses={enrolment.pk: "present"})
    services.attendance_record(session=sessions[1], by=coach, statuses={enrolment.pk: "present"})
    services.attendance_record(session=sessions[2], by=coach, statuses={enrolment.pk: "excused"})
    validate(enrolment, "value_proposition", member, coach, on=datetime.date(2026, 2, 20))
    validate(enrolment, "business_plan", member, coach, on=datetime.date(2026, 6, 10))
    enrolment.refresh_from_db()
    assert enrolment.graduated_at is None  # both validated, attendance 2 of 3 held = 67 % < 75 %
    progress = selectors.progress_for(enrolment)
    assert (progress["attendance_rate"], progress["held"], progress["planned"]) == (67, 3, 4)
    assert progress["excused"] == 1 and not progress["eligible"]
    # 3 of 4 held = 75 %: the rules are met now; the date is the last required validation (FAB-2)
    services.attendance_record(session=sessions[3], by=coach, statuses={enrolment.pk: "present"})
    enrolment.refresh_from_db()
    assert enrolment.graduated_at == datetime.date(2026, 6, 10)
    assert AuditLog.objects.filter(action="fabrique.graduated").count() == 1


def test_progress_counted_in_sql_agrees_with_progress_from_the_rows(enrolment, member, coach):
    """The coach's and staff's lists count the deliverables in SQL; the holder's page and graduation
    count the loaded rows: the same figures, including the last required validation (FAB-2)."""
    from fabrique.models import Enrolment

    sessions = make_sessions(enrolment.cohort, n=2)
    services.attendance_record(session=sessions[0], by=coach, statuses={enrolment.pk: "present"})
    validate(enrolment, "value_proposition", member, coach, on=datetime.date(2026, 2, 20))
    validate(enrolment, "business_plan", member, coach, on=datetime.date(2026, 6, 10))
    validate(enrolment, "diagnostic", member, coach, on=datetime.date(2026, 7, 1))  # not required: not counted
    [listed] = selectors.enrolments_with_progress(Enrolment.objects.filter(pk=enrolment.pk))
    from_rows = selectors.progress_for(enrolment)
    assert listed.progress == from_rows
    assert (from_rows["required_count"], from_rows["validated_count"], from_rows["last_validation"]) == (
        2, 2, datetime.date(2026, 6, 10))
    assert (from_rows["present"], from_rows["held"], from_rows["attendance_ok"]) == (1, 2, False)  # 50 % < 75 %
    assert (from_rows["steps_done"], from_rows["steps_total"], from_rows["eligible"]) == (2, 3, False)


def test_no_graduation_with_attendance_but_one_required_deliverable_missing(enrolment, member, coach):
    sessions = make_sessions(enrolment.cohort, n=2)
    for session in sessions:
        services.attendance_record(session=session, by=coach, statuses={enrolment.pk: "present"})
    validate(enrolment, "business_plan", member, coach)
    for kind in ("diagnostic", "market_study"):
        validate(enrolment, kind, member, coach)
    enrolment.refresh_from_db()
    assert enrolment.graduated_at is None
    submission = services.submission_create(deliverable=deliverable_of(enrolment, "value_proposition"), by=member, text="VP")
    services.submission_review(submission=submission, by=coach, decision="changes_requested", feedback="Pas encore")
    enrolment.refresh_from_db()
    assert enrolment.graduated_at is None
    submission = services.submission_create(deliverable=deliverable_of(enrolment, "value_proposition"), by=member, text="VP2")
    services.submission_review(submission=submission, by=coach, decision="validated", feedback="Oui")
    enrolment.refresh_from_db()
    assert enrolment.graduated_at == timezone.localdate()


def test_threshold_is_configurable(settings, staff, member, coach):
    settings.FABRIQUE_ATTENDANCE_THRESHOLD = 50
    cohort = make_cohort(staff, year=2031)
    assert cohort.attendance_threshold == 50
    enrolment = services.enrol(cohort=cohort, holder=member, coach=coach, project_name="P")
    sessions = make_sessions(cohort, n=2)
    services.attendance_record(session=sessions[0], by=coach, statuses={enrolment.pk: "present"})
    validate(enrolment, "value_proposition", member, coach)
    validate(enrolment, "business_plan", member, coach)
    enrolment.refresh_from_db()
    assert enrolment.graduated_at is not None


def test_attendance_is_one_row_per_holder_and_session_and_only_for_coaches(enrolment, other_enrolment, coach, other_member):
    session = make_sessions(enrolment.cohort, n=1)[0]
    with pytest.raises(DomainError):
        services.attendance_record(session=session, by=other_member, statuses={enrolment.pk: "present"})
    services.attendance_record(session=session, by=coach, statuses={enrolment.pk: "present", other_enrolment.pk: "absent"})
    services.attendance_record(session=session, by=coach, statuses={enrolment.pk: "excused"})
    assert Attendance.objects.count() == 2
    assert Attendance.objects.get(enrolment=enrolment).status == "excused"


def test_indicators(enrolment, other_enrolment):
    assert selectors.fab1_holders_supported(start=datetime.date(2026, 1, 1), end=datetime.date(2027, 1, 1)) == 2
    assert selectors.fab1_holders_supported(start=datetime.date(2027, 1, 1), end=datetime.date(2028, 1, 1)) == 0
    rows = selectors.fab4_attendance(cohort=enrolment.cohort)
    assert len(rows) == 2
