"""Impact indicators of coworking (DOMAIN.md §1): COW-1 active coworkers, COW-2 occupancy."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from coworking.models import BOOKING_MAX_LENGTH, Booking, Resource, Subscription, span_bound
from members.models import User
from quai.impact import CountRows, Detail, Indicator, PeriodQuantity, RatioTo, local_midnight


def _booked_in(start, end):
    return Booking.objects.active().overlapping(local_midnight(start), local_midnight(end))


def cow1_rows(start, end):
    last_day = end - datetime.timedelta(days=1)
    plan = Subscription.objects.filter(starts_on__lte=last_day, ends_on__gte=start)
    booked = _booked_in(start, end).filter(member__isnull=False)
    # Set-based: one semi-join on the union of both sets of members, not two EXISTS probes per account.
    return (
        User.objects.filter(pk__in=plan.order_by().values("member").union(booked.order_by().values("member").distinct()))
        .values("id", "last_name", "first_name")
        .annotate(with_plan=Exists(plan.filter(member=OuterRef("pk"))))
        .order_by("last_name", "first_name", "id")
    )


# A desk booking longer than this is a full day (two half-days); shorter is one half-day.
HALF_DAY_LIMIT = datetime.timedelta(hours=5, minutes=30)


def cow2_rows(start, end):
    """Confirmed desk bookings starting in the period, each with its half-days (1 or 2)."""
    length = span_bound("upper") - span_bound("lower")
    return (
        Booking.objects.active()
        .filter(resource__kind=Resource.Kind.DESK)
        .annotate(starts_at=span_bound("lower"), length=length)
        .filter(starts_at__gte=local_midnight(start), starts_at__lt=local_midnight(end))
        .values("id", "starts_at", resource_name=F("resource__name"), site_name=F("resource__site__name"))
        .annotate(half_days=Case(When(length__gt=HALF_DAY_LIMIT, then=Value(2)), default=Value(1), output_field=IntegerField()))
        .order_by("starts_at", "id")
    )


# Open days of each active site in [%(start)s, %(end)s): a day with opening hours that no closure covers.
OPEN_DAYS_SQL = """
    SELECT s.id AS site_id, d.day::date AS day, oh.opens, oh.closes
    FROM generate_series(%(start)s::date, %(end)s::date - 1, interval '1 day') AS d(day)
    JOIN coworking_site s ON s.is_active
    JOIN coworking_openinghours oh ON oh.site_id = s.id AND oh.weekday = EXTRACT(ISODOW FROM d.day)::int - 1
    WHERE NOT EXISTS (
        SELECT 1 FROM coworking_closure c WHERE c.site_id = s.id AND d.day::date BETWEEN c.start_date AND c.end_date
    )
"""

# The windows [start, stop) asked for, numbered in order (n): every period of a snapshot at once.
WINDOWS_SQL = "SELECT * FROM unnest(%(starts)s::date[], %(stops)s::date[]) WITH ORDINALITY AS w(start, stop, n)"


def _per_window(sql: str, windows: list, **params) -> list[tuple]:
    """Run a query over the span of all windows (its days once), one result row per window, in order."""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"starts": [start for start, _end in windows], "stops": [end for _start, end in windows],
                             "start": min(start for start, _end in windows), "end": max(end for _start, end in windows),
                             **params})
        return cursor.fetchall()


def _open_desk_half_days(windows) -> list[Decimal]:
    """Σ over open days of each site of (active desks × 2 half-days), for each window: one query,
    the span's days summed once per day (a few thousand rows), each window the sum of its days."""
    rows = _per_window(
        f"""
        WITH open_days AS MATERIALIZED (
            SELECT open_days.day, SUM(2 * desks.n) AS half_days FROM ({OPEN_DAYS_SQL}) open_days
            JOIN LATERAL (
                SELECT count(*) AS n FROM coworking_resource r
                WHERE r.site_id = open_days.site_id AND r.kind = 'desk' AND r.is_active
            ) desks ON true
            GROUP BY open_days.day
        )
        SELECT COALESCE(SUM(open_days.half_days), 0) FROM ({WINDOWS_SQL}) w
        LEFT JOIN open_days ON open_days.day >= w.start AND open_days.day < w.stop
        GROUP BY w.n ORDER BY w.n
        """,
        windows,
    )
    return [Decimal(half_days) for (half_days,) in rows]


open_desk_half_days = PeriodQuantity(_open_desk_half_days)


def _room_occupancy(windows) -> list[float | None]:
    """Rooms: booked hours ÷ open hours (opening hours minus closures), as a percentage, for each
    window: one query that reads the rooms' bookings of the whole span once, per local day."""
    span_start, span_end = min(start for start, _end in windows), max(end for _start, end in windows)
    rows = _per_window(
        f"""
        WITH open_hours AS MATERIALIZED (
            SELECT open_days.day, SUM(EXTRACT(EPOCH FROM (open_days.closes - open_days.opens)) / 3600 * rooms.n) AS h
            FROM ({OPEN_DAYS_SQL}) open_days
            JOIN LATERAL (
                SELECT count(*) AS n FROM coworking_resource r
                WHERE r.site_id = open_days.site_id AND r.kind IN ('room', 'booth') AND r.is_active
            ) rooms ON true
            GROUP BY open_days.day
        ), booked AS MATERIALIZED (
            SELECT (lower(b.span) AT TIME ZONE %(tz)s)::date AS day, SUM(EXTRACT(EPOCH FROM (upper(b.span) - lower(b.span))) / 3600) AS h
            FROM coworking_booking b JOIN coworking_resource r ON r.id = b.resource_id
            WHERE b.status = 'confirmed' AND r.kind IN ('room', 'booth')
              AND lower(b.span) >= %(start_at)s AND lower(b.span) < %(end_at)s
            GROUP BY 1
        )
        SELECT (SELECT COALESCE(SUM(booked.h), 0) FROM booked WHERE booked.day >= w.start AND booked.day < w.stop),
               (SELECT COALESCE(SUM(open_hours.h), 0) FROM open_hours WHERE open_hours.day >= w.start AND open_hours.day < w.stop)
        FROM ({WINDOWS_SQL}) w ORDER BY w.n
        """,
        windows, tz=settings.TIME_ZONE, start_at=local_midnight(span_start), end_at=local_midnight(span_end),
    )
    return [None if not open_hours else round(float(booked) * 100 / float(open_hours), 2) for booked, open_hours in rows]


room_occupancy = PeriodQuantity(_room_occupancy)


INDICATORS = [
    Indicator(
        code="COW-1", app_label="coworking", order=50, unit="people", target=Decimal(60),
        label=_("Active coworkers"),
        definition=_("Distinct people with a coworking plan valid during the period, or at least one booking in the period."),
        rows=cow1_rows, aggregate=CountRows(),
        columns=(("id", _("Member")), ("last_name", _("Last name")), ("first_name", _("First name")), ("with_plan", _("Plan"))),
    ),
    Indicator(
        code="COW-2", period_column="starts_at", app_label="coworking", order=51, unit="percent",
        label=_("Desk occupancy"),
        definition=_("Booked desk half-days ÷ open desk half-days (opening days minus closures, × active desks × 2). "
                     "Rooms apart: booked hours ÷ open hours."),
        rows=cow2_rows, aggregate=RatioTo("half_days", open_desk_half_days),
        columns=(("starts_at", _("Start")), ("site_name", _("Site")), ("resource_name", _("Desk")), ("half_days", _("Half-days"))),
        details=(
            Detail("open_desk_half_days", _("Open desk half-days"), open_desk_half_days),
            Detail("room_occupancy", _("Room occupancy (%)"), room_occupancy),
        ),
    ),
]


def card_bookings_today(today) -> dict:
    from django.db.models import Count

    from quai.compiled import aggregate_once

    day_start, day_end = local_midnight(today), local_midnight(today + datetime.timedelta(days=1))
    # The day's bookings found by their start (booking_confirmed_start_idx): none lasts longer than
    # BOOKING_MAX_LENGTH, so they all start in [day start − that, day end); those of the day before
    # that ended before the day started are left out by the counts' own condition, not by
    # `span && day` in WHERE, which sends the planner to the GiST index (86 ms at scale 100).
    earliest = day_start.astimezone(datetime.timezone.utc) - BOOKING_MAX_LENGTH
    today_q = Q(ends__gt=day_start)
    desk = Q(resource__kind=Resource.Kind.DESK)
    counts = aggregate_once(("coworking.today", today), lambda: (  # its SQL built once a day (quai/compiled.py)
        Booking.objects.active()
        .alias(starts=span_bound("lower"), ends=span_bound("upper"))
        .filter(starts__gte=earliest, starts__lt=day_end)
        .aggregate(
            desks=Count("pk", filter=today_q & desk),
            desks_in=Count("pk", filter=today_q & desk & Q(checked_in_at__isnull=False)),
            rooms=Count("pk", filter=today_q & ~desk),
            rooms_in=Count("pk", filter=today_q & ~desk & Q(checked_in_at__isnull=False)),
        )
    ))
    return {
        "value": counts["desks"] + counts["rooms"],
        "detail": _("desks %(desks)s (%(desks_in)s checked in) · rooms %(rooms)s (%(rooms_in)s checked in)") % counts,
    }
