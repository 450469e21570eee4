"""Property: on random data, every figure is the aggregate of its own drill-down rows.

A count is the number of rows; a sum is the Σ of the rows' column; a ratio is Σ numerator ÷ Σ
denominator over the rows. Random events, registrations (attended or not, cancelled, walk-ins),
memberships, projects, Fabrique enrolments with validations, KPI reports, desk bookings and
Déclic sessions, and a random period.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from coworking.models import Booking
from coworking.time import local_dt
from events.declic.services import AnonymousCount, ParticipantData, mediation_activity_create
from events.models import Event, Registration
from fabrique.models import Cohort, Deliverable, DeliverableKind, Enrolment, Outcome
from incubator.models import KpiReport, Project
from members.models import Membership, MembershipType, User
from quai.impact import CountRows, Period, RatioOf, RatioTo, SumOf, indicators, period_details, period_values

START = datetime.date(2024, 1, 1)
DAYS = 500

day = st.integers(min_value=0, max_value=DAYS)
registrations = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 5), st.sampled_from(["confirmed", "cancelled", "waitlisted"]),
                                   st.sampled_from([True, False, None]), st.booleans()), max_size=25)
events = st.lists(st.tuples(st.sampled_from(Event.Kind.values), day, st.sampled_from(["published", "cancelled"]),
                            st.integers(1, 4), st.integers(1, 10)), min_size=1, max_size=6)
names = st.sampled_from(["Alpha", "alpha ", "Beta", "Gamma", "Delta"])


def d(offset):
    return START + datetime.timedelta(days=offset)


def expected(indicator, rows, start, end):
    aggregate = indicator.aggregate
    if isinstance(aggregate, CountRows):
        return Decimal(len(rows))
    if isinstance(aggregate, SumOf):
        if not rows:
            return None if aggregate.none_if_empty else Decimal(0)
        return Decimal(sum(Decimal(row[aggregate.column]) for row in rows))
    if isinstance(aggregate, RatioOf):
        den = sum(row[aggregate.denominator] for row in rows)
        return Decimal(sum(row[aggregate.numerator] for row in rows)) * 100 / Decimal(den) if den else None
    if isinstance(aggregate, RatioTo):
        den = aggregate.denominator(start, end)
        return Decimal(sum(row[aggregate.numerator] for row in rows)) * 100 / Decimal(den) if den else None
    raise AssertionError(aggregate)


class FigureEqualsDrilldown(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        events=events, registrations=registrations,
        memberships=st.lists(st.tuples(st.integers(0, 7), day, st.integers(1, 400), st.booleans()), max_size=8),
        projects=st.lists(st.tuples(names, day, st.one_of(st.none(), st.integers(0, 400)), st.one_of(st.none(), day)), max_size=4),
        enrolments=st.lists(st.tuples(names, st.integers(0, 1), st.one_of(st.none(), day), st.one_of(st.none(), day)), max_size=4),
        reports=st.lists(st.tuples(st.integers(0, 3), day, st.integers(0, 8)), max_size=6),
        bookings=st.lists(st.tuples(st.integers(0, 7), day, st.booleans()), max_size=8, unique_by=lambda b: b[1]),
        sessions=st.lists(st.tuples(day, st.sampled_from(["individuel", "collectif"]), st.integers(1, 9), st.booleans()), max_size=6),
        period=st.tuples(day, st.integers(1, 400)),
    )
    def test_every_figure_equals_its_drilldown(self, events, registrations, memberships, projects, enrolments, reports,
                                               bookings, sessions, period):
        people = User.objects.bulk_create(User(email=f"p{n}@example.org") for n in range(8))
        made = [
            Event.objects.create(title="E", kind=kind, status=status, capacity=capacity,
                                 starts_at=local_dt(d(offset), datetime.time(10)),
                                 ends_at=local_dt(d(offset), datetime.time(10)) + datetime.timedelta(hours=hours))
            for kind, offset, status, hours, capacity in events
        ]
        seen = set()
        for person, event_index, status, attended, walk_in in registrations:
            event = made[event_index % len(made)]
            key = f"walk-in:{len(seen)}" if walk_in else f"member:{people[person].pk}"
            if (event.pk, key) in seen:
                continue
            seen.add((event.pk, key))
            Registration.objects.create(event=event, member=None if walk_in else people[person], person_key=key, status=status,
                                        attended=attended, walk_in=walk_in, guest_name="X" if walk_in else "",
                                        cancelled_at=event.starts_at if status == "cancelled" else None)
        kind = MembershipType.objects.create(kind="individual", name="I", amount_eur=20)
        pending = set()
        for person, offset, length, paid in memberships:
            if not paid:
                if person in pending:
                    continue  # one renewal waiting for payment per member (membership_one_pending_per_member)
                pending.add(person)
            Membership.objects.create(member=people[person], type=kind, starts_on=d(offset), ends_on=d(offset + length),
                                      paid_on=d(offset) if paid else None)
        made_projects = [
            Project.objects.create(name=name, incubation_start=d(offset), incubation_end=d(offset + length) if length is not None else None,
                                   status="active" if length is None else "graduated",
                                   created_on=d(created) if created is not None else None,
                                   creation_kind="legal" if created is not None else "",
                                   creation_evidence="SIRET" if created is not None else "")
            for name, offset, length, created in projects
        ]
        for project_index, offset, fte in reports:
            if made_projects:
                KpiReport.objects.get_or_create(project=made_projects[project_index % len(made_projects)], reported_on=d(offset),
                                                defaults={"fte": fte})
        cohorts = [Cohort.objects.create(name=f"P{year}", year=year, start=datetime.date(year, 2, 1), end=datetime.date(year, 8, 1))
                   for year in (2024, 2025)]
        for index, (name, cohort, vp, bp) in enumerate(enrolments):
            enrolment = Enrolment.objects.create(cohort=cohorts[cohort], holder=people[index], project_name=name)
            for kind_, validated in ((DeliverableKind.VALUE_PROPOSITION, vp), (DeliverableKind.BUSINESS_PLAN, bp)):
                Deliverable.objects.create(enrolment=enrolment, kind=kind_, title="D", due_on=d(0),
                                           status="validated" if validated is not None else "todo",
                                           validated_on=d(validated) if validated is not None else None)
            if vp is not None:
                Outcome.objects.create(enrolment=enrolment, name=name, commune="Poissy", opened_on=d(vp))
        from tests.coworking.factories import ResourceFactory

        desk = ResourceFactory()
        for person, offset, full_day in bookings:
            Booking.objects.create(resource=desk, member=people[person],
                                   span=(local_dt(d(offset), datetime.time(9)), local_dt(d(offset), datetime.time(18 if full_day else 13))))
        for offset, kind_, participants, first in sessions:
            # One known participant (new or not); a workshop's others are counted without details.
            mediation_activity_create(
                by=None, type=kind_, date=d(offset), duree=60, thematiques=["email"], participants=[ParticipantData(first_time=first)],
                anonymous=AnonymousCount(total=participants - 1) if kind_ == "collectif" else None,
            )

        start = d(period[0])
        end = start + datetime.timedelta(days=period[1])
        for indicator in indicators():
            window = indicator.window(start, end)
            rows = list(indicator.rows(*window))
            want = expected(indicator, rows, *window)
            if want is not None:
                want = want.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            assert indicator.value(start, end) == want, indicator.code
            if isinstance(indicator.aggregate, CountRows):
                assert indicator.drilldown(start, end).count() == len(rows), indicator.code

        # The snapshot computes all periods of an indicator at once (one query grouped by day when
        # it has a period column): the same figure as each period alone, for the random period,
        # the days around its ends, the months it touches and the whole range.
        periods = [Period("custom", start, end), Period("day", start, start + datetime.timedelta(days=1)),
                   Period("day", end - datetime.timedelta(days=1), end), Period("custom", d(0), d(DAYS + 1)),
                   Period("month", start.replace(day=1), (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1))]
        for indicator in indicators():
            assert period_values(indicator, periods) == [indicator.value(p.start, p.end) for p in periods], indicator.code
            assert period_details(indicator, periods) == [indicator.detail_values(p.start, p.end) for p in periods], indicator.code
