"""The demo tells a coherent story (issue 14): people who use the Quai are members on the days they
do, no test data leaks in, and dates follow one another. Each rule is one set-based query over a
`seed_demo` (scale 1) database that lists the rows breaking it: the expectation is exactly none.

The database is seeded once for the module, inside a transaction rolled back at the end.
"""

import io
import random

import pytest
from django.db import connection, transaction

from quai.registry import registry

# The mark makes pytest-django create the test database (it looks at the items' marks); each test
# then runs in a savepoint inside the module's transaction.
pytestmark = [pytest.mark.django_db, pytest.mark.timeout(900)]  # seeding in one transaction: minutes on a busy machine

PARIS_DAY = "(({col}) AT TIME ZONE 'Europe/Paris')::date"
TODAY = "(clock_timestamp() AT TIME ZONE 'Europe/Paris')::date"  # the Quai's today (the session is in UTC)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Every seeder of `seed_demo`, as it runs them, but the impact snapshots (figures computed
    from the rows checked here, and a minute of work on a busy machine)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            rng = random.Random(2026)  # seed_demo's default
            for seeder in registry.seeders:
                if seeder.name != "quai.impact":
                    seeder.func(scale=1, rng=rng, stdout=io.StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture
def offenders(seeded, django_db_blocker):
    def run(sql: str, params=None) -> list:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def _member_on(member: str, day: str) -> str:
    """SQL: `member` holds a membership on `day`."""
    return (f"EXISTS (SELECT 1 FROM members_membership m WHERE m.member_id = {member} "
            f"AND m.starts_on <= {day} AND m.ends_on >= {day})")


# --- Who uses the Quai is a member ---------------------------------------------------------------

def test_every_booking_is_made_by_a_member_on_its_day(offenders):
    day = PARIS_DAY.format(col="lower(b.span)")
    assert offenders(f"SELECT b.id FROM coworking_booking b WHERE b.member_id IS NOT NULL AND NOT {_member_on('b.member_id', day)}") == []


def test_every_booking_falls_within_a_plan_of_its_member(offenders):
    day = PARIS_DAY.format(col="lower(b.span)")
    assert offenders(f"""
        SELECT b.id FROM coworking_booking b WHERE b.member_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM coworking_subscription s WHERE s.member_id = b.member_id AND s.starts_on <= {day} AND s.ends_on >= {day})
    """) == []


def test_every_coworking_plan_starts_while_its_holder_is_a_member(offenders):
    assert offenders(f"SELECT s.id FROM coworking_subscription s WHERE NOT {_member_on('s.member_id', 's.starts_on')}") == []


def test_fabrique_holders_are_members_from_their_cohort_start_to_its_end_or_today(offenders):
    last_day = 'LEAST(c."end", ' + TODAY + ")"
    assert offenders(f"""
        SELECT e.id FROM fabrique_enrolment e JOIN fabrique_cohort c ON c.id = e.cohort_id
        WHERE NOT {_member_on('e.holder_id', 'c.start')} OR NOT {_member_on('e.holder_id', last_day)}
    """) == []


def test_incubator_team_members_are_members_while_their_project_is_incubated(offenders):
    last_day = f"LEAST(COALESCE(p.incubation_end, {TODAY}), {TODAY})"
    assert offenders(f"""
        SELECT t.id FROM incubator_teammember t JOIN incubator_project p ON p.id = t.project_id
        WHERE NOT {_member_on('t.member_id', 'p.incubation_start')}
           OR NOT {_member_on('t.member_id', last_day)}
    """) == []


def test_coaches_who_are_members_are_members_on_the_days_they_coach(offenders):
    is_member = "EXISTS (SELECT 1 FROM members_membership any_m WHERE any_m.member_id = {coach})"
    assert offenders(f"""
        SELECT 'mentoring', s.id FROM incubator_mentoringsession s
        WHERE {is_member.format(coach='s.coach_id')} AND NOT {_member_on('s.coach_id', 's.date')}
        UNION ALL
        SELECT 'fabrique', e.id FROM fabrique_enrolment e JOIN fabrique_cohort c ON c.id = e.cohort_id
        WHERE {is_member.format(coach='e.coach_id')} AND NOT {_member_on('e.coach_id', 'c.start')}
    """) == []


def test_the_demo_accounts_who_use_the_quai_are_members_today(offenders):
    assert offenders(f"""
        SELECT u.email FROM members_user u
        WHERE u.email IN ('membre@demo.quai.test', 'coworker@demo.quai.test', 'incube@demo.quai.test',
                          'porteur@demo.quai.test', 'coach@demo.quai.test')
          AND NOT {_member_on('u.id', TODAY)}
    """) == []


# --- No test data in the demo --------------------------------------------------------------------

def test_every_address_is_on_a_demo_domain(offenders):
    assert offenders("""
        SELECT 'user', email FROM members_user WHERE email NOT LIKE '%@demo.quai.test' AND email NOT LIKE '%.demo.quai.test'
        UNION ALL
        SELECT 'guest', guest_email FROM events_registration
        WHERE guest_email <> '' AND guest_email NOT LIKE '%.demo.quai.test'
    """) == []


def test_people_have_plausible_names(offenders):
    # A first and a last name, letters only (hyphens, apostrophes, spaces inside), nothing that
    # reads like a test fixture.
    name = r"^[[:alpha:]][[:alpha:] '’-]*$"
    assert offenders("""
        SELECT 'user', email, first_name, last_name FROM members_user
        WHERE first_name !~ %s OR last_name !~ %s
           OR first_name || ' ' || last_name ~* '(test|example|exemple|participant|invit)'
        UNION ALL
        SELECT 'guest', guest_email, guest_name, '' FROM events_registration
        WHERE member_id IS NULL AND (guest_name !~ %s OR guest_name !~ ' ' OR guest_name ~* '(test|example|exemple|participant|invit)')
    """, [name, name, name]) == []


# --- Dates follow one another --------------------------------------------------------------------

def test_attendance_is_recorded_only_for_events_and_sessions_already_held(offenders):
    assert offenders("""
        SELECT 'event', r.id FROM events_registration r JOIN events_event e ON e.id = r.event_id
        WHERE r.attended IS NOT NULL AND e.ends_at > clock_timestamp()
        UNION ALL
        SELECT 'fabrique', a.id FROM fabrique_attendance a JOIN fabrique_session s ON s.id = a.session_id
        WHERE s.starts_at > clock_timestamp() OR a.recorded_at > clock_timestamp() OR a.recorded_at < s.starts_at
    """) == []


def test_registrations_come_after_the_announcement_and_the_account_and_before_the_event(offenders):
    assert offenders("""
        SELECT r.id FROM events_registration r JOIN events_event e ON e.id = r.event_id
        LEFT JOIN members_user u ON u.id = r.member_id
        WHERE r.created_at > e.starts_at OR r.created_at < e.created_at OR r.created_at > clock_timestamp()
           OR r.created_at < u.date_joined OR e.created_at > e.starts_at
    """) == []


def test_bookings_are_made_before_their_day_and_cancelled_or_checked_in_consistently(offenders):
    assert offenders("""
        SELECT b.id FROM coworking_booking b
        WHERE b.created_at > lower(b.span) OR b.created_at > clock_timestamp()
           OR (b.status = 'cancelled') <> (b.cancelled_at IS NOT NULL)
           OR b.cancelled_at NOT BETWEEN b.created_at AND lower(b.span)
           OR (b.checked_in_at IS NOT NULL AND (b.status <> 'confirmed' OR b.checked_in_at > clock_timestamp()
                                                OR b.checked_in_at NOT BETWEEN lower(b.span) AND upper(b.span)))
    """) == []


def test_memberships_are_paid_by_people_who_had_joined_and_never_in_the_future(offenders):
    assert offenders(f"""
        SELECT m.id FROM members_membership m JOIN members_user u ON u.id = m.member_id
        WHERE m.paid_on < {PARIS_DAY.format(col='u.date_joined')} OR m.paid_on > {TODAY} OR u.date_joined > clock_timestamp()
    """) == []


def test_fabrique_work_is_submitted_and_reviewed_in_order_and_not_in_the_future(offenders):
    assert offenders("""
        SELECT s.id FROM fabrique_submission s LEFT JOIN fabrique_review r ON r.submission_id = s.id
        WHERE s.submitted_at > clock_timestamp() OR r.reviewed_at < s.submitted_at OR r.reviewed_at > clock_timestamp()
    """) == []


def test_declic_sessions_are_held_on_the_days_the_desk_opens(offenders):
    """Monday to Saturday: nobody is accompanied at the Déclic desk on a Sunday."""
    assert offenders("SELECT id, date FROM events_mediationactivity WHERE extract(isodow FROM date) = 7") == []
