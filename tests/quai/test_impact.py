"""The 19 impact indicators on hand-built data, with the edge cases of DOMAIN.md §1.

Every test checks the figure AND its drill-down: for a count the rows are the figure.
"""

import datetime
from decimal import Decimal

import pytest

from coworking.models import Booking, Closure, OpeningHours, Resource
from coworking.time import local_dt
from events.declic.services import AnonymousCount, ParticipantData
from events.models import Event, Registration
from events.services import person_key_for
from fabrique import services as fabrique_services
from fabrique.models import Attendance, Deliverable, DeliverableKind, Outcome, Session
from incubator.models import KpiReport
from members.models import Membership, MembershipType
from quai.impact import indicator_by_code, indicators
from tests.coworking.factories import ResourceFactory, SiteFactory, SubscriptionFactory
from tests.events.factories import EventFactory
from tests.events.factories_declic import individual, workshop
from tests.factories import UserFactory
from tests.fabrique.factories import make_cohort
from tests.incubator.factories import ProjectFactory

pytestmark = pytest.mark.django_db

Y2025 = (datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))


def figure(code, start=Y2025[0], end=Y2025[1]):
    return indicator_by_code(code).value(start, end)


def rows(code, start=Y2025[0], end=Y2025[1]):
    return list(indicator_by_code(code).drilldown(start, end))


def event(kind=Event.Kind.ESS_AWARENESS, day=datetime.date(2025, 3, 10), hours=2, **kwargs):
    start = local_dt(day, datetime.time(18))
    return EventFactory(kind=kind, starts_at=start, ends_at=start + datetime.timedelta(hours=hours), **kwargs)


def attend(event, *, member=None, email="", attended=True, status=Registration.Status.CONFIRMED, **kwargs):
    return Registration.objects.create(
        event=event, member=member, guest_email=email.strip().lower(), person_key=person_key_for(member=member, email=email),
        status=status, attended=attended, **kwargs,
    )


def test_all_nineteen_indicators_of_the_domain_are_registered_once():
    assert [indicator.code for indicator in indicators()] == [
        "ESS-1", "ESS-2", "EVT-1", "EVT-3", "EVT-4", "EVT-5", "TRN-1", "PRJ-1", "PRJ-2", "INC-1", "MEM-1", "COW-1", "COW-2",
        "FAB-1", "FAB-2", "FAB-3", "FAB-4", "NUM-1", "NUM-2",
    ]


# --- ESS-1 / ESS-2 ----------------------------------------------------------------------------------

def test_ess1_counts_a_person_at_three_events_once_and_ess2_counts_each_participation(member):
    for day in (3, 10, 17):
        attend(event(day=datetime.date(2025, 3, day)), member=member)

    assert figure("ESS-1") == 1
    assert [row["person_key"] for row in rows("ESS-1")] == [f"member:{member.pk}"]
    assert rows("ESS-1")[0]["events"] == 3
    assert figure("ESS-2") == 3


def test_ess1_ignores_registrations_without_attendance_and_non_ess_events(member, other_member):
    attend(event(), member=member, attended=False)
    attend(event(), member=other_member, attended=None)
    attend(event(kind=Event.Kind.NETWORKING), email="guest@example.org")

    assert figure("ESS-1") == 0
    assert rows("ESS-1") == []


def test_ess1_identifies_guests_by_normalised_email_and_counts_training_events():
    attend(event(), email="  Camille@Example.org ")
    attend(event(kind=Event.Kind.ESS_TRAINING, day=datetime.date(2025, 5, 1)), email="camille@example.org")

    assert figure("ESS-1") == 1
    assert rows("ESS-1")[0]["person_key"] == "camille@example.org"


def test_ess1_still_counts_an_erased_member(member, staff):
    from members.services import member_erase

    attend(event(), member=member)
    member_erase(user=member, by=staff)

    assert figure("ESS-1") == 1
    assert figure("ESS-2") == 1


def test_ess1_reports_anonymous_walk_ins_apart():
    ess = event()
    attend(ess, email="a@example.org")
    Registration.objects.create(event=ess, guest_name="Sans nom", person_key="walk-in:1", walk_in=True, attended=True,
                                status=Registration.Status.CONFIRMED)
    Registration.objects.create(event=ess, guest_name="Autre", person_key="walk-in:2", walk_in=True, attended=True,
                                status=Registration.Status.CONFIRMED)
    training = event(kind=Event.Kind.ESS_TRAINING, hours=3)
    Registration.objects.create(event=training, guest_name="Sans nom", person_key="walk-in:3", walk_in=True, attended=True,
                                status=Registration.Status.CONFIRMED)
    Registration.objects.create(event=training, guest_name="Absent", person_key="walk-in:4", walk_in=True, attended=False,
                                status=Registration.Status.CONFIRMED)
    indicator = indicator_by_code("ESS-1")

    # Never merged into unique people (ESS-1, EVT-5), reported apart…
    assert figure("ESS-1") == 1 and figure("EVT-5") == 1
    assert indicator.detail_values(*Y2025) == {"anonymous_walk_ins": 3}
    # …but each of them is a participation and trainee hours (DOMAIN: attended registrations; duration × attendees).
    assert figure("ESS-2") == 4
    assert indicator_by_code("ESS-2").detail_values(*Y2025) == {"anonymous_walk_ins": 3}
    assert [row["person_key"] for row in rows("ESS-2")] == ["a@example.org", "walk-in:1", "walk-in:2", "walk-in:3"]
    assert figure("TRN-1") == Decimal("3.00")
    assert [(row["person_key"], row["hours"]) for row in rows("TRN-1")] == [("walk-in:3", Decimal("3.00"))]


def test_ess1_is_cumulative_from_the_programme_start_and_ignores_cancelled_events(member, other_member):
    attend(event(day=datetime.date(2024, 6, 1)), member=member)
    attend(event(day=datetime.date(2025, 6, 1)), member=other_member)
    attend(event(day=datetime.date(2025, 6, 2), status=Event.Status.CANCELLED), email="x@example.org")

    assert figure("ESS-1") == 2  # 2025 includes the 2024 attendee: cumulative
    assert figure("ESS-1", datetime.date(2024, 1, 1), datetime.date(2025, 1, 1)) == 1
    assert figure("ESS-2") == 1  # a participation is in its period only


# --- EVT-1 / EVT-3 / EVT-4 / EVT-5 / TRN-1 --------------------------------------------------------

def test_evt1_is_attended_over_confirmed_at_the_event_start():
    held = event(capacity=10)
    for n in range(3):
        attend(held, email=f"p{n}@example.org")
    attend(held, email="absent@example.org", attended=False)
    # Cancelled after the start: they were expected; cancelled before: not.
    attend(held, email="late@example.org", attended=None, status=Registration.Status.CANCELLED,
           cancelled_at=held.starts_at + datetime.timedelta(minutes=5))
    attend(held, email="early@example.org", attended=None, status=Registration.Status.CANCELLED,
           cancelled_at=held.starts_at - datetime.timedelta(days=1))
    attend(event(status=Event.Status.CANCELLED), email="p0@example.org", attended=False)

    assert figure("EVT-1") == Decimal("60.00")  # 3 ÷ 5
    assert len(rows("EVT-1")) == 5
    assert figure("EVT-3") == Decimal("50.00")  # 5 confirmed at start ÷ capacity 10


def test_evt4_is_the_share_of_attendees_with_two_events_or_more(member, other_member):
    attend(event(day=datetime.date(2025, 2, 1)), member=member)
    attend(event(kind=Event.Kind.NETWORKING, day=datetime.date(2025, 2, 8)), member=member)
    attend(event(day=datetime.date(2025, 2, 15)), member=other_member)

    assert figure("EVT-4") == Decimal("50.00")
    assert {row["person_key"]: row["events"] for row in rows("EVT-4")} == {f"member:{member.pk}": 2, f"member:{other_member.pk}": 1}


def test_evt5_counts_people_whose_first_attended_event_ever_is_in_the_period(member, other_member):
    attend(event(day=datetime.date(2024, 11, 1)), member=member)
    attend(event(day=datetime.date(2025, 2, 1)), member=member)
    attend(event(day=datetime.date(2025, 2, 1)), member=other_member)

    assert figure("EVT-5") == 1
    assert [row["person_key"] for row in rows("EVT-5")] == [f"member:{other_member.pk}"]


def test_trn1_is_training_hours_times_attendees():
    training = event(kind=Event.Kind.ESS_TRAINING, hours=3)
    attend(training, email="a@example.org")
    attend(training, email="b@example.org")
    attend(training, email="c@example.org", attended=False)
    attend(event(kind=Event.Kind.ESS_AWARENESS, hours=2), email="a@example.org")

    assert figure("TRN-1") == Decimal("6.00")
    assert sum(row["hours"] for row in rows("TRN-1")) == Decimal("6.00")


# --- PRJ-1 / PRJ-2 / INC-1 -----------------------------------------------------------------------------

def test_prj1_counts_a_project_both_incubated_and_in_the_fabrique_once(staff):
    ProjectFactory(name="Vélos Solidaires", status="graduated", incubation_start=datetime.date(2024, 9, 1),
                   incubation_end=datetime.date(2025, 9, 1))
    ProjectFactory(name="Ancien projet", status="graduated", incubation_start=datetime.date(2022, 1, 1),
                   incubation_end=datetime.date(2023, 1, 1))
    cohort = make_cohort(staff, year=2025, start=datetime.date(2025, 1, 6))
    fabrique_services.enrol(cohort=cohort, holder=UserFactory(), project_name=" vélos solidaires")
    fabrique_services.enrol(cohort=cohort, holder=UserFactory(), project_name="La Serre de Marly")

    assert figure("PRJ-1") == 2
    assert [row["project"] for row in rows("PRJ-1")] == ["la serre de marly", "vélos solidaires"]


def test_prj2_counts_created_projects_with_evidence_and_opened_tiers_lieux_cumulatively(staff):
    ProjectFactory(name="Créé", created_on=datetime.date(2023, 5, 1), creation_kind="legal", creation_evidence="SIRET 123")
    ProjectFactory(name="Pas encore")
    ProjectFactory(name="Plus tard", created_on=datetime.date(2026, 2, 1), creation_kind="first_revenue",
                   creation_evidence="Première facture")
    cohort = make_cohort(staff, year=2024, start=datetime.date(2024, 1, 8))
    enrolment = fabrique_services.enrol(cohort=cohort, holder=UserFactory(), project_name="Le Hangar")
    Outcome.objects.create(enrolment=enrolment, name="Le Hangar", commune="Poissy", opened_on=datetime.date(2025, 4, 1))

    assert figure("PRJ-2") == 2
    assert [row["project"] for row in rows("PRJ-2")] == ["créé", "le hangar"]


def test_inc1_without_any_report_is_no_data_not_zero():
    ProjectFactory(fte_at_entry=Decimal("1"))

    assert figure("INC-1") is None


def test_inc1_sums_the_latest_fte_reported_before_the_period_end_minus_fte_at_entry():
    grower = ProjectFactory(name="A", fte_at_entry=Decimal("1"), incubation_start=datetime.date(2024, 1, 1))
    KpiReport.objects.create(project=grower, reported_on=datetime.date(2025, 3, 1), fte=Decimal("2"))
    KpiReport.objects.create(project=grower, reported_on=datetime.date(2025, 9, 1), fte=Decimal("3.5"))
    KpiReport.objects.create(project=grower, reported_on=datetime.date(2026, 3, 1), fte=Decimal("9"))
    ProjectFactory(name="B sans rapport", fte_at_entry=Decimal("2"), incubation_start=datetime.date(2024, 1, 1))

    assert figure("INC-1") == Decimal("2.50")
    assert [(row["name"], row["jobs_created"]) for row in rows("INC-1")] == [("A", Decimal("2.50"))]


# --- MEM-1 / COW-1 / COW-2 -------------------------------------------------------------------------------

def membership(member, start, end, paid=True):
    kind, _ = MembershipType.objects.get_or_create(kind="individual", defaults={"name": "Individuelle", "amount_eur": 20})
    return Membership.objects.create(member=member, type=kind, starts_on=start, ends_on=end, paid_on=start if paid else None)


def test_mem1_counts_members_with_a_paid_membership_valid_on_the_last_day_erased_ones_included(member, other_member, staff):
    from members.services import member_erase

    membership(member, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    membership(other_member, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), paid=False)
    expired = UserFactory()
    membership(expired, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    member_erase(user=member, by=staff)

    assert figure("MEM-1") == 1
    assert [row["id"] for row in rows("MEM-1")] == [member.pk]
    assert figure("MEM-1", datetime.date(2025, 6, 1), datetime.date(2025, 7, 1)) == 2


def test_a_figure_alone_is_the_snapshots_query_when_the_indicator_has_one(member, django_assert_num_queries):
    """MEM-1 alone (API, indicator page, funder report) is computed by the very query a snapshot
    uses for all its periods, not by counting the drill-down: one code path, the same figure."""
    import dataclasses

    membership(member, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    mem1 = indicator_by_code("MEM-1")
    asked = []
    spy = dataclasses.replace(mem1, figures_many=lambda windows: asked.append(windows) or mem1.figures_many(windows))
    with django_assert_num_queries(1):
        assert spy.value(datetime.date(2025, 1, 1), datetime.date(2026, 1, 1)) == Decimal("1.00")
    assert asked == [[(datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))]]
    assert spy.drilldown(datetime.date(2025, 1, 1), datetime.date(2026, 1, 1)).count() == 1


def test_cow1_counts_people_with_a_plan_or_a_booking_in_the_period_once(member, other_member):
    desk = ResourceFactory()
    SubscriptionFactory(member=member, starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 3, 31))
    for day in (3, 4):  # a subscriber who also books counts once
        Booking.objects.create(resource=desk, member=member, span=(local_dt(datetime.date(2025, 2, day), datetime.time(9)),
                                                                   local_dt(datetime.date(2025, 2, day), datetime.time(13))))
    Booking.objects.create(resource=desk, member=other_member, span=(local_dt(datetime.date(2025, 5, 5), datetime.time(9)),
                                                                     local_dt(datetime.date(2025, 5, 5), datetime.time(13))))
    Booking.objects.create(resource=desk, member=UserFactory(), status=Booking.Status.CANCELLED,
                           span=(local_dt(datetime.date(2025, 5, 6), datetime.time(9)), local_dt(datetime.date(2025, 5, 6), datetime.time(13))))

    assert figure("COW-1") == 2
    assert figure("COW-1", datetime.date(2025, 5, 1), datetime.date(2025, 6, 1)) == 1


def test_cow2_divides_booked_desk_half_days_by_open_half_days_minus_closures(member):
    site = SiteFactory(hours=False)
    for weekday in range(5):
        OpeningHours.objects.create(site=site, weekday=weekday, opens=datetime.time(9), closes=datetime.time(18))
    desk = ResourceFactory(site=site)
    ResourceFactory(site=site, kind=Resource.Kind.ROOM, name="Salle")
    monday = datetime.date(2025, 3, 3)
    week = (monday, monday + datetime.timedelta(days=7))
    Booking.objects.create(resource=desk, member=member, span=(local_dt(monday, datetime.time(9)), local_dt(monday, datetime.time(18))))
    tuesday = monday + datetime.timedelta(days=1)
    Booking.objects.create(resource=desk, member=member, span=(local_dt(tuesday, datetime.time(9)), local_dt(tuesday, datetime.time(13))))

    assert figure("COW-2", *week) == Decimal("30.00")  # 3 half-days ÷ (5 open days × 2)
    Closure.objects.create(site=site, start_date=monday + datetime.timedelta(days=2), end_date=monday + datetime.timedelta(days=2))
    assert figure("COW-2", *week) == Decimal("37.50")  # 3 ÷ (4 × 2): the closure is subtracted
    assert [row["half_days"] for row in rows("COW-2", *week)] == [2, 1]
    details = indicator_by_code("COW-2").detail_values(*week)
    assert details == {"open_desk_half_days": 8.0, "room_occupancy": 0.0}


# --- FAB-1 .. FAB-4 -------------------------------------------------------------------------------------

@pytest.fixture
def cohort_2025(staff):
    return make_cohort(staff, year=2025, start=datetime.date(2025, 1, 6))


def validate(enrolment, kind, day):
    Deliverable.objects.filter(enrolment=enrolment, kind=kind).update(status=Deliverable.Status.VALIDATED, validated_on=day)


def test_fab1_counts_holders_of_cohorts_overlapping_the_period(staff, cohort_2025):
    old = make_cohort(staff, year=2023, start=datetime.date(2023, 1, 9))
    holder = UserFactory()
    fabrique_services.enrol(cohort=cohort_2025, holder=holder, project_name="A")
    fabrique_services.enrol(cohort=old, holder=holder, project_name="A")
    fabrique_services.enrol(cohort=old, holder=UserFactory(), project_name="B")

    assert figure("FAB-1") == 1
    assert figure("FAB-1", datetime.date(2021, 1, 1), datetime.date(2026, 1, 1)) == 2


def test_fab2_graduates_on_the_last_of_the_two_required_validations(cohort_2025):
    both = fabrique_services.enrol(cohort=cohort_2025, holder=UserFactory(), project_name="Both")
    validate(both, DeliverableKind.VALUE_PROPOSITION, datetime.date(2025, 3, 1))
    validate(both, DeliverableKind.BUSINESS_PLAN, datetime.date(2025, 7, 1))
    half = fabrique_services.enrol(cohort=cohort_2025, holder=UserFactory(), project_name="Half")
    validate(half, DeliverableKind.VALUE_PROPOSITION, datetime.date(2025, 3, 1))
    validate(half, DeliverableKind.MARKET_STUDY, datetime.date(2025, 4, 1))

    assert figure("FAB-2") == 1
    assert rows("FAB-2")[0]["graduated_on"] == datetime.date(2025, 7, 1)
    assert figure("FAB-2", datetime.date(2025, 1, 1), datetime.date(2025, 7, 1)) == 0


def test_fab3_counts_openings_in_the_period_and_reports_the_cumulative_apart(staff, cohort_2025):
    first = fabrique_services.enrol(cohort=cohort_2025, holder=UserFactory(), project_name="A")
    second = fabrique_services.enrol(cohort=cohort_2025, holder=UserFactory(), project_name="B")
    Outcome.objects.create(enrolment=first, name="Tiers-lieu A", commune="Chatou", opened_on=datetime.date(2024, 12, 1))
    Outcome.objects.create(enrolment=second, name="Tiers-lieu B", commune="Poissy", opened_on=datetime.date(2025, 10, 1))

    assert figure("FAB-3") == 1
    assert indicator_by_code("FAB-3").detail_values(*Y2025) == {"cumulative": 2}


def test_fab4_is_present_over_expected_with_excused_shown_apart(staff, cohort_2025):
    enrolment = fabrique_services.enrol(cohort=cohort_2025, holder=UserFactory(), project_name="A")
    sessions = [
        Session.objects.create(cohort=cohort_2025, title=f"Atelier {n}", starts_at=local_dt(datetime.date(2025, 2, n + 1), datetime.time(9)),
                               ends_at=local_dt(datetime.date(2025, 2, n + 1), datetime.time(12)))
        for n in range(4)
    ]
    Attendance.objects.create(session=sessions[0], enrolment=enrolment, status=Attendance.Status.PRESENT)
    Attendance.objects.create(session=sessions[1], enrolment=enrolment, status=Attendance.Status.PRESENT)
    Attendance.objects.create(session=sessions[2], enrolment=enrolment, status=Attendance.Status.EXCUSED)

    assert figure("FAB-4") == Decimal("50.00")
    assert rows("FAB-4") == [{"id": enrolment.pk, "project_name": "A", "expected": 4, "present": 2, "excused": 1,
                              "holder_last_name": enrolment.holder.last_name}]
    assert indicator_by_code("FAB-4").detail_values(*Y2025) == {"excused": 1}


# --- NUM-1 / NUM-2 -----------------------------------------------------------------------------------------

def test_num1_counts_one_accompaniment_per_participant_and_num2_the_first_visits():
    first_visit = ParticipantData(first_time=True)
    individual(date=datetime.date(2025, 4, 1), participant=first_visit)
    group = workshop(date=datetime.date(2025, 4, 2), participants=[first_visit, ParticipantData()], anonymous=AnonymousCount(total=6))
    individual(date=datetime.date(2024, 4, 2), participant=first_visit)

    assert figure("NUM-1") == 9
    assert indicator_by_code("NUM-1").detail_values(*Y2025) == {"individual": 1, "collective": 8}
    assert [(row["activity_id"], row["position"]) for row in rows("NUM-1")][1:] == [(group.pk, n) for n in range(1, 9)]
    assert figure("NUM-2") == 2
    assert [row["kind"] for row in rows("NUM-2")] == ["individuel", "collectif"]


# --- Snapshots -----------------------------------------------------------------------------------------

def test_compute_impact_command_computes_the_codes_asked_for_and_refuses_unknown_ones(member, settings):
    import io

    from django.core.management import CommandError, call_command

    from quai.models import IndicatorSnapshot

    settings.QUAI_PROGRAMME_START = datetime.date(2025, 1, 1)
    attend(event(), member=member)
    out = io.StringIO()
    call_command("compute_impact", "--codes", "ess-1, MEM-1", stdout=out)
    rows = IndicatorSnapshot.objects.count()
    assert set(IndicatorSnapshot.objects.values_list("code", flat=True)) == {"ESS-1", "MEM-1"}
    assert out.getvalue().splitlines()[-1] == f"compute_impact: {rows} figures computed"
    for codes in ("ESS-1,NOPE-9", " , "):
        with pytest.raises(CommandError, match="unknown indicator code"):
            call_command("compute_impact", "--codes", codes, stdout=io.StringIO())
    assert IndicatorSnapshot.objects.count() == rows  # nothing computed on a refusal


def test_snapshot_run_twice_leaves_the_same_rows(member, settings):
    from django.db import connection

    from quai.impact import compute_snapshots
    from quai.models import IndicatorSnapshot

    settings.QUAI_PROGRAMME_START = datetime.date(2025, 1, 1)
    attend(event(), member=member)
    today = datetime.date(2025, 4, 15)
    computed = compute_snapshots(today=today)

    def table():
        with connection.cursor() as cursor:
            cursor.execute("SELECT xmin::text, code, period_kind, period_start, period_end, value, details, computed_at "
                           "FROM quai_indicatorsnapshot ORDER BY code, period_kind, period_start")
            return cursor.fetchall()

    first = table()
    assert computed == 19 * (1 + 1 + 4 + 7)  # since start, 2025, Jan–Apr, 7 days
    assert len(first) == computed
    compute_snapshots(today=today)
    assert table() == first  # same rows, same values, not even rewritten (same xmin)
    ess = IndicatorSnapshot.objects.get(code="ESS-1", period_kind="month", period_start=datetime.date(2025, 3, 1))
    assert ess.value == 1 and ess.definition_version == 1
    assert IndicatorSnapshot.objects.get(code="INC-1", period_kind="year").value is None

    attend(event(day=datetime.date(2025, 3, 20)), email="new@example.org")
    compute_snapshots(today=today)
    ess.refresh_from_db()
    assert ess.value == 2


# --- Staff home cards reworked for the scale-100 data: same figures, indexed reads ----------------------

def test_renewals_card_counts_pending_renewals_and_members_whose_paid_membership_ends_this_month_unrenewed(member, other_member, staff):
    from members.indicators import card_renewals

    today = datetime.date(2026, 3, 15)
    membership(member, datetime.date(2025, 3, 20), datetime.date(2026, 3, 19))  # ends this month, not renewed
    membership(other_member, datetime.date(2025, 3, 10), datetime.date(2026, 3, 9))  # ends this month…
    membership(other_member, datetime.date(2026, 3, 10), datetime.date(2027, 3, 9))  # …renewed and paid: not counted
    membership(staff, datetime.date(2025, 5, 1), datetime.date(2026, 4, 30))  # ends next month
    membership(staff, datetime.date(2026, 5, 1), datetime.date(2027, 4, 30), paid=False)  # a renewal waiting for payment

    card = card_renewals(today)

    assert card["value"] == 1
    assert card["detail"] == "1 adhésion se termine ce mois-ci"


def test_declic_card_counts_this_months_accompaniments_and_sessions():
    from events.indicators import card_declic_month

    individual(date=datetime.date(2026, 3, 2))
    workshop(date=datetime.date(2026, 3, 12), anonymous=AnonymousCount(total=4))
    workshop(date=datetime.date(2026, 3, 31), participants=[ParticipantData(), ParticipantData()], anonymous=AnonymousCount(total=1))
    individual(date=datetime.date(2026, 2, 27))  # last month

    card = card_declic_month(datetime.date(2026, 3, 20))

    assert card["value"] == 1 + 4 + 3  # an individual accompaniment is one; a workshop, each of its participants
    assert card["detail"] == "3 séances"
    assert card_declic_month(datetime.date(2026, 2, 5)) == {"value": 1, "detail": "1 séance"}
    assert card_declic_month(datetime.date(2026, 4, 5)) == {"value": 0, "detail": "0 séance"}


def test_events_card_counts_this_weeks_events_and_the_seats_taken_in_one_query(member, other_member, django_assert_num_queries):
    from events.indicators import card_events_week

    monday = datetime.date(2026, 3, 16)
    first = event(day=monday, capacity=10)
    attend(first, member=member)
    attend(first, member=other_member, status=Registration.Status.WAITLISTED)  # no seat
    attend(first, email="walk-in@example.org", walk_in=True)  # at the door: no seat counted
    attend(first, email="gone@example.org", status=Registration.Status.CANCELLED)
    sunday = event(day=monday + datetime.timedelta(days=6), capacity=5)
    attend(sunday, member=member)
    attend(sunday, email="guest@example.org")
    attend(event(day=monday, capacity=50, status=Event.Status.CANCELLED), member=other_member)  # cancelled: not counted
    attend(event(day=monday + datetime.timedelta(days=7), capacity=20), member=other_member)  # next week
    event(day=monday - datetime.timedelta(days=1), capacity=20)  # last week

    with django_assert_num_queries(1):
        card = card_events_week(monday + datetime.timedelta(days=2))

    assert card == {"value": 2, "detail": "3 places prises sur 15 (20 %)"}
    assert card_events_week(datetime.date(2026, 3, 9)) == {"value": 1, "detail": "0 places prises sur 20 (0 %)"}
