"""Coworking reads: the day grid, my bookings, occupancy. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


from django.db import connection
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coworking.models import BOOKING_MAX_LENGTH, Booking, Closure, OpeningHours, Resource, Site, span_bound
from coworking.services import PARIS, desk_slots, local_dt
from quai.gencache import Generation
from quai.ical import feed_window_start


@dataclass(frozen=True)
class Column:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    start_label: str  # "09:00", Paris time
    end_label: str
    start_iso: str
    end_iso: str

    @property
    def value(self) -> str:
        """"start|end" in ISO 8601: what the booking form receives (after the resource id)."""
        return f"{self.start_iso}|{self.end_iso}"

    @property
    def label(self) -> str:
        return f"{self.start_label}–{self.end_label}"


@dataclass
class Cell:
    column: Column
    state: str  # "free", "taken", "mine", "closed", "past"
    booking_id: int | None = None
    label: str = ""


@dataclass
class Row:
    resource: Resource
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Grid:
    site: Site
    day: datetime.date
    kind: str
    zone: str
    zones: list[str]
    columns: tuple[Column, ...]
    rows: list[Row]
    open: bool
    closure_reason: str = ""

    @property
    def fingerprint(self) -> str:
        """Everything the grid's controls and headings show (site, day, kind, zones, columns), as
        one string: the key of their cached markup (see _grid.html)."""
        columns = [(column.start_iso, column.end_iso) for column in self.columns]
        return repr((self.site.pk, self.site.slug, self.site.name, self.day.isoformat(), self.kind, self.zone, self.zones, columns))


@dataclass(frozen=True)
class SiteLayout:
    """What the grid needs about a site besides bookings: it changes rarely, so it is cached."""

    site: Site
    resources: tuple[Resource, ...]  # active ones, in display order
    hours: dict[int, tuple[datetime.time, datetime.time]]  # weekday → (opens, closes)
    closures: tuple[tuple[datetime.date, datetime.date, str], ...]
    # The grid's columns per (day, kind), computed once per process copy of the layout.
    columns_memo: dict = field(default_factory=dict, compare=False, repr=False)

    def closure_on(self, day: datetime.date) -> tuple[datetime.date, datetime.date, str] | None:
        return next((closure for closure in self.closures if closure[0] <= day <= closure[1]), None)


# Dropped whenever a site, resource, opening hours or closure is saved or deleted (see registrations).
layout_generation = Generation("coworking-layout-v2", ttl=600)  # -v2: SiteLayout gained columns_memo
LAYOUT_MODELS = ("coworking.Site", "coworking.Resource", "coworking.OpeningHours", "coworking.Closure")


def _load_layout(*, pk=None, slug=None) -> SiteLayout | None:
    sites = Site.objects.filter(is_active=True)
    site = (sites.filter(pk=pk) if pk is not None else sites.filter(slug=slug) if slug else sites.order_by("pk")).first()
    if site is None:
        return None
    resources = tuple(Resource.objects.filter(site=site, is_active=True).order_by("zone", "position", "name"))
    hours = {row.weekday: (row.opens, row.closes) for row in OpeningHours.objects.filter(site=site)}
    closures = tuple(Closure.objects.filter(site=site).order_by("start_date").values_list("start_date", "end_date", "reason"))
    return SiteLayout(site=site, resources=resources, hours=hours, closures=closures)


def site_layout(*, pk: int | None = None, slug: str | None = None) -> SiteLayout | None:
    """The active site by id, by slug, or the default one (first created), with its resources,
    opening hours and closures: four queries the first time, then one cache read."""
    key = f"id:{pk}" if pk is not None else f"slug:{slug}" if slug else "default"
    return layout_generation.get_or_compute(key, lambda: _load_layout(pk=pk, slug=slug))


def booking_get_for_user(user, pk: int) -> Booking:
    """One booking the user may see: their own, or any for staff. Anything else is a 404."""
    queryset = Booking.objects.select_related("resource__site", "member")
    if not user.is_staff:
        queryset = queryset.filter(member=user)
    return get_object_or_404(queryset, pk=pk)


def bookings_for_member(member, *, upcoming_only: bool = True, now=None):
    """My bookings: one query whatever their number (resource and site joined)."""
    now = now or timezone.now()
    queryset = Booking.objects.filter(member=member).select_related("resource__site")
    if upcoming_only:
        # Ordered by end, as booking_member_upcoming_idx is (a member's bookings never overlap in
        # practice, so it is also the order of their starts): a page reads 20 index entries.
        return queryset.filter(status=Booking.Status.CONFIRMED, span__endswith__gt=now).order_by(span_bound("upper"), "pk")
    return queryset.order_by("span")


def bookings_for_calendar_feed(member, *, now=None):
    """The member's iCal feed: bookings ending in the last 12 months or later, cancelled and
    released ones included (marked STATUS:CANCELLED, so calendar apps drop them)."""
    now = now or timezone.now()
    return (
        Booking.objects.filter(member=member, span__endswith__gte=feed_window_start(now))
        .select_related("resource__site")
        .order_by("span", "pk")
    )


# The grid's one query, the hottest of the application, written once in SQL: building it through
# the ORM cost more than running it. Every booking lasts at most BOOKING_MAX_LENGTH (a database
# constraint), so the bookings overlapping [start, end) all start in [start - that, end): for each
# of the site's resources, a short range of booking_resource_start_idx (btree), whatever the
# history (written `span && …`, PostgreSQL would rather search the GiST index: slower). Same rows as
# Booking.objects.active().filter(resource__in=ids).overlapping(start, end) (tested).
_ACTIVE_BOOKINGS_SQL = f"""
    SELECT resource_id, id, member_id, lower(span), upper(span), label
    FROM {Booking._meta.db_table}
    WHERE status = %s
      AND resource_id = ANY(%s)
      AND lower(span) >= %s AND lower(span) < %s AND upper(span) > %s
"""


def _active_bookings(resource_ids: list[int], start: datetime.datetime, end: datetime.datetime) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            _ACTIVE_BOOKINGS_SQL,
            # In UTC: subtracting from a Paris time would count wall-clock hours across a DST change.
            [Booking.Status.CONFIRMED.value, resource_ids, start.astimezone(datetime.timezone.utc) - BOOKING_MAX_LENGTH, end, start],
        )
        return cursor.fetchall()


def _columns(layout: SiteLayout, day: datetime.date, kind: str) -> tuple[Column, ...]:
    """The day's columns: they only depend on the layout, so each copy of it keeps them."""
    key = (day, kind)
    columns = layout.columns_memo.get(key)
    if columns is None:
        if len(layout.columns_memo) >= 64:
            layout.columns_memo.clear()
        columns = layout.columns_memo[key] = _compute_columns(layout, day, kind)
    return columns


def _compute_columns(layout: SiteLayout, day: datetime.date, kind: str) -> tuple[Column, ...]:
    if kind == "desk":
        slots = desk_slots(layout.site, day)
        spans = [slots["am"], slots["pm"]]
    else:
        spans = []
        hours = layout.hours.get(day.weekday())
        if hours is not None:
            cursor = local_dt(day, hours[0])
            if cursor.minute % 30:
                cursor += datetime.timedelta(minutes=30 - cursor.minute % 30)
            closes = local_dt(day, hours[1])
            while cursor + datetime.timedelta(minutes=30) <= closes:
                spans.append((cursor, cursor + datetime.timedelta(minutes=30)))
                cursor += datetime.timedelta(minutes=30)
    return tuple(
        Column(
            starts_at=start,
            ends_at=end,
            start_label=f"{start.astimezone(PARIS):%H:%M}",
            end_label=f"{end.astimezone(PARIS):%H:%M}",
            start_iso=start.isoformat(),
            end_iso=end.isoformat(),
        )
        for start, end in spans
    )


def availability(
    *, layout: SiteLayout, day: datetime.date, kind: str, user=None, zone: str = "", now=None
) -> Grid:
    """The day grid: resources × slots (desks: morning/afternoon; rooms: 30 minutes).

    One query whatever the number of resources and bookings (the day's active bookings, see
    _active_bookings); the site's resources, opening hours and closures come from the cached
    layout (`site_layout`).
    """
    now = now or timezone.now()
    # Plain strings: a TextChoices member does not hash like its value.
    kinds = {Resource.Kind.DESK.value} if kind == "desk" else {Resource.Kind.ROOM.value, Resource.Kind.BOOTH.value}
    resources = [resource for resource in layout.resources if resource.kind in kinds]
    zones = sorted({resource.zone for resource in resources if resource.zone})
    if zone:
        resources = [resource for resource in resources if resource.zone == zone]
    hours = layout.hours.get(day.weekday())
    closure = layout.closure_on(day)
    is_open = hours is not None and closure is None
    columns = _columns(layout, day, kind)
    opens_at, closes_at = (local_dt(day, hours[0]), local_dt(day, hours[1])) if hours else (None, None)

    by_resource: dict[int, list[tuple]] = {}
    if resources and columns:
        day_start, day_end = local_dt(day, datetime.time(0)), local_dt(day + datetime.timedelta(days=1), datetime.time(0))
        ids = [resource.pk for resource in resources]
        for resource_id, pk, member_id, lower, upper, label in _active_bookings(ids, day_start, day_end):
            by_resource.setdefault(resource_id, []).append((lower, upper, pk, member_id, label))

    user_pk = getattr(user, "pk", None)
    base_states = []
    for column in columns:
        if not is_open or column.starts_at < opens_at or column.ends_at > closes_at:
            base_states.append("closed")
        elif column.ends_at <= now:
            base_states.append("past")
        else:
            base_states.append("free")

    # A resource with no booking that day shows the day's base cells (shared: cells are read-only).
    base_cells = [Cell(column, state) for column, state in zip(columns, base_states)]
    grid_rows = []
    for resource in resources:
        bookings = by_resource.get(resource.pk, ())
        fixed_for_other = resource.assigned_to_id is not None and resource.assigned_to_id != user_pk
        if not bookings and not fixed_for_other:
            grid_rows.append(Row(resource=resource, cells=list(base_cells)))
            continue
        cells = []
        for column, state in zip(columns, base_states):
            booking_id, label = None, ""
            for lower, upper, pk, member_id, booking_label in bookings:
                if lower < column.ends_at and column.starts_at < upper:
                    mine = user_pk is not None and member_id == user_pk
                    state, booking_id = ("mine", pk) if mine else ("taken", None)
                    label = booking_label
                    break
            if state == "free" and fixed_for_other:
                state, label = "taken", "fixed"
            cells.append(Cell(column, state, booking_id, label))
        grid_rows.append(Row(resource=resource, cells=cells))
    return Grid(
        site=layout.site, day=day, kind=kind, zone=zone, zones=zones, columns=columns, rows=grid_rows, open=is_open,
        closure_reason=closure[2] if closure else "",
    )


def occupancy(*, site: Site, start: datetime.date, end: datetime.date) -> list[dict]:
    """COW-2 per resource for [start, end]: booked hours ÷ open hours (opening hours minus closures).

    Desks count in half-days (booked half-days ÷ open half-days), rooms in hours. A fixed number
    of queries: resources, opening hours, closures, bookings of the period.
    """
    resources = list(Resource.objects.filter(site=site, is_active=True).order_by("kind", "zone", "name"))
    hours = {row.weekday: row for row in OpeningHours.objects.filter(site=site)}
    closures = list(Closure.objects.filter(site=site, start_date__lte=end, end_date__gte=start))
    open_days = []
    day = start
    while day <= end:
        if day.weekday() in hours and not any(c.start_date <= day <= c.end_date for c in closures):
            open_days.append(day)
        day += datetime.timedelta(days=1)
    period_start = local_dt(start, datetime.time(0))
    period_end = local_dt(end + datetime.timedelta(days=1), datetime.time(0))
    bookings = Booking.objects.active().filter(resource__site=site).overlapping(period_start, period_end).values_list(
        "resource_id", "span"
    )
    booked_hours: dict[int, Decimal] = {}
    for resource_id, span in bookings:
        hours_booked = Decimal((span.upper - span.lower).total_seconds()) / 3600
        booked_hours[resource_id] = booked_hours.get(resource_id, Decimal(0)) + hours_booked
    open_room_hours = sum(
        (Decimal((local_dt(d, hours[d.weekday()].closes) - local_dt(d, hours[d.weekday()].opens)).total_seconds()) / 3600)
        for d in open_days
    )
    desk_day_hours = Decimal((datetime.datetime.combine(start, site.desk_pm_end) - datetime.datetime.combine(start, site.desk_am_start)).total_seconds()) / 3600
    rows = []
    for resource in resources:
        booked = booked_hours.get(resource.pk, Decimal(0))
        if resource.kind == Resource.Kind.DESK:
            # A half-day is half a desk day: booked hours ÷ (open days × desk day length).
            available = desk_day_hours * len(open_days)
        else:
            available = open_room_hours
        rate = (booked / available) if available else Decimal(0)
        rows.append({"resource": resource, "booked_hours": booked.quantize(Decimal("0.1")), "open_hours": Decimal(available).quantize(Decimal("0.1")), "rate": min(rate, Decimal(1))})
    return rows


def today_occupancy(*, site: Site, now=None) -> list[Booking]:
    """Staff view of today: every active booking of the site today, with member and resource (1 query)."""
    now = now or timezone.now()
    day = timezone.localdate(now, PARIS)
    return list(
        Booking.objects.active()
        .filter(resource__site=site)
        .overlapping(local_dt(day, datetime.time(0)), local_dt(day + datetime.timedelta(days=1), datetime.time(0)))
        .select_related("resource", "member")
        .order_by("span", "resource__name")
    )


def active_coworkers(*, start: datetime.date, end: datetime.date) -> int:
    """COW-1: distinct people with a plan valid in the period, or ≥ 1 booking in the period."""
    from coworking.models import Subscription

    with_plan = set(Subscription.objects.filter(starts_on__lte=end, ends_on__gte=start).values_list("member_id", flat=True))
    booked = set(
        Booking.objects.active()
        .filter(member__isnull=False)
        .overlapping(local_dt(start, datetime.time(0)), local_dt(end + datetime.timedelta(days=1), datetime.time(0)))
        .values_list("member_id", flat=True)
    )
    return len(with_plan | booked)


def sites_for_picker():
    return Site.objects.filter(is_active=True).order_by("name")


def subscription_current(member, day=None):
    from coworking.models import Subscription

    day = day or timezone.localdate()
    return Subscription.objects.filter(member=member, starts_on__lte=day, ends_on__gte=day).select_related("plan").first()


@dataclass(frozen=True)
class MemberPlan:
    """What the grid shows of a member's plan on a day (display only: booking rules read PostgreSQL)."""

    name: str
    credits_remaining: Decimal | None
    ends_on: datetime.date


# Dropped whenever a subscription or a plan is saved or deleted: every booking that spends or
# returns a credit saves its subscription (see registrations; bulk writes call bump()).
plan_generation = Generation("coworking-plans")
PLAN_MODELS = ("coworking.Subscription", "coworking.Plan")


def member_plan(member, day: datetime.date) -> MemberPlan | None:
    """The member's plan valid on `day` and its credit left, as the grid shows it: one query the
    first time, then from the cache until a subscription or plan changes."""

    def load() -> MemberPlan | None:
        subscription = subscription_current(member, day)
        if subscription is None:
            return None
        return MemberPlan(subscription.plan.name, subscription.credits_remaining, subscription.ends_on)

    return plan_generation.get_or_compute(f"{member.pk}:{day.isoformat()}", load)
