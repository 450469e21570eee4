"""Coworking reads: the day grid, my bookings, occupancy. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


from django.db.models import F, FilteredRelation, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coworking.layout import SiteLayout, site_layout  # noqa: F401  (site_layout: read by the views and the API)
from coworking.models import BOOKING_MAX_LENGTH, Booking, Closure, OpeningHours, Resource, Site, span_bound
from coworking.time import PARIS, desk_slots, local_dt
from quai.ical import feed_window_start
from quai.inputs import DATE_MAX, DATE_MIN


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


@dataclass(frozen=True)
class Span:
    """A stretch of a row: a run of busy cells ("taken"/"mine", one booking for "mine"), or a
    choice offered to book (a full day, a room for a duration)."""

    state: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    booking_id: int | None = None

    @property
    def start_label(self) -> str:
        return f"{self.starts_at.astimezone(PARIS):%H:%M}"

    @property
    def end_label(self) -> str:
        return f"{self.ends_at.astimezone(PARIS):%H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def period(self) -> str:
        """"start|end" in ISO 8601: what the move form receives."""
        return f"{self.starts_at.isoformat()}|{self.ends_at.isoformat()}"

    def value(self, resource_id: int) -> str:
        """"resource|start|end": what the booking form receives (BookSlotForm)."""
        return f"{resource_id}|{self.period}"


@dataclass
class Row:
    resource: Resource
    cells: list[Cell] = field(default_factory=list)

    def full_day(self) -> Span | None:
        """A desk free all day (morning and afternoon): booked in one tap."""
        if len(self.cells) == 2 and all(cell.state == "free" for cell in self.cells):
            return Span("free", self.cells[0].column.starts_at, self.cells[1].column.ends_at)
        return None

    def busy(self) -> list[Span]:
        """Taken and mine slots merged into runs ("10:00–11:30"); one run per booking of mine."""
        runs: list[Span] = []
        for cell in self.cells:
            if cell.state not in ("taken", "mine"):
                continue
            last = runs[-1] if runs else None
            if last and last.ends_at == cell.column.starts_at and (last.state, last.booking_id) == (cell.state, cell.booking_id):
                runs[-1] = Span(last.state, last.starts_at, cell.column.ends_at, last.booking_id)
            else:
                runs.append(Span(cell.state, cell.column.starts_at, cell.column.ends_at, cell.booking_id))
        return runs

    def free_starts(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.state == "free"]

    def durations(self, start: datetime.datetime, max_minutes: int) -> list[Span]:
        """Rooms: the lengths that fit from `start` — each 30 minutes more while the slots stay free,
        up to the site's longest booking and the closing time."""
        spans: list[Span] = []
        cells = iter(self.cells)
        for cell in cells:
            if cell.column.starts_at == start:
                break
        else:
            return spans
        current = cell
        while current is not None and current.state == "free":
            span = Span("free", start, current.column.ends_at)
            if span.minutes > max_minutes:
                break
            spans.append(span)
            previous_end = current.column.ends_at
            current = next(cells, None)
            if current is not None and current.column.starts_at != previous_end:
                break
        return spans


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


@dataclass(frozen=True)
class DayCalendar:
    """A site's calendar on one day, as the booking rules read it: whether a closure covers the
    day, and that weekday's opening hours (None: not open that weekday)."""

    site_id: int
    day: datetime.date
    closed: bool
    opens: datetime.time | None
    closes: datetime.time | None


def _calendar_columns(day: datetime.date, *, site: str) -> tuple[dict, dict]:
    """The annotations that read a site's calendar on `day` in the same query as the row that
    leads to the site (`site`: the path to it, "" from the site itself), by two LEFT JOINs: that
    weekday's opening hours (one row per site and weekday at most, opening_one_row_per_weekday)
    and the closures covering the day (a row per closure: the caller takes the first row, and any
    row then says "closed"). Joins rather than subqueries: Django builds them in less time
    (0.25 ms per query, measured). Unordered: the models' default orderings would join again."""
    prefix = f"{site}__" if site else ""
    relations = {
        "day_hours": FilteredRelation(f"{prefix}opening_hours", condition=Q(**{f"{prefix}opening_hours__weekday": day.weekday()})),
        "day_closure": FilteredRelation(
            f"{prefix}closures", condition=Q(**{f"{prefix}closures__start_date__lte": day, f"{prefix}closures__end_date__gte": day})
        ),
    }
    columns = {"day_opens": F("day_hours__opens"), "day_closes": F("day_hours__closes"), "day_closure_id": F("day_closure__id")}
    return relations, columns


def _calendar(site_id: int, day: datetime.date, row: dict) -> DayCalendar:
    return DayCalendar(
        site_id=site_id, day=day, closed=row["day_closure_id"] is not None, opens=row["day_opens"], closes=row["day_closes"]
    )


def day_calendar(site: Site, day: datetime.date) -> DayCalendar:
    """The site's calendar on `day`: one query."""
    relations, columns = _calendar_columns(day, site="")
    row = next(iter(Site.objects.filter(pk=site.pk).annotate(**relations).values(**columns).order_by()[:1]), None)
    return _calendar(site.pk, day, row or {"day_closure_id": None, "day_opens": None, "day_closes": None})


def resource_for_booking(*, pk: int, day: datetime.date) -> tuple[Resource, DayCalendar] | None:
    """The resource to book (with its site) and its site's calendar on `day`, in one query: what a
    booking checks before its transaction (services.booking_create). None: no such resource."""
    relations, columns = _calendar_columns(day, site="site")
    resource = next(iter(Resource.objects.select_related("site").filter(pk=pk).annotate(**relations, **columns).order_by()[:1]), None)
    if resource is None:
        return None
    row = {name: resource.__dict__.pop(name) for name in columns}  # read, not left on the model
    return resource, _calendar(resource.site_id, day, row)


def booking_get_for_user(user, pk: int) -> Booking:
    """One booking the user may see: their own, or any for staff. Anything else is a 404."""
    return get_object_or_404(Booking.objects.visible_to(user).select_related("resource__site", "member"), pk=pk)


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


def _active_bookings(resource_ids: list[int], start: datetime.datetime, end: datetime.datetime):
    """The confirmed bookings of these resources that may overlap [start, end): those starting in
    [start - BOOKING_MAX_LENGTH, end).

    Every booking lasts at most BOOKING_MAX_LENGTH (a database constraint), so this finds them all,
    for each resource a short range of booking_resource_start_idx (btree on resource,
    lower(span)), whatever the history. It may also return bookings of the day before that ended
    before `start`: the caller compares each booking with its slots anyway. No condition on
    upper(span) on purpose: PostgreSQL would then pick booking_member_upcoming_idx and read every
    future booking of every site (seen with EXPLAIN: benchmarks/explain.py).
    """
    # In UTC: subtracting from a Paris time would count wall-clock hours across a DST change.
    earliest = start.astimezone(datetime.timezone.utc) - BOOKING_MAX_LENGTH
    return (
        Booking.objects.active()
        .alias(starts=span_bound("lower"))
        .filter(resource_id__in=resource_ids, starts__gte=earliest, starts__lt=end)
        .order_by()
        .values_list("resource_id", "pk", "member_id", "span", "label")
    )


def _columns(layout: SiteLayout, day: datetime.date, kind: str) -> tuple[Column, ...]:
    """The day's slots: desks by half-day, rooms by 30 minutes within the opening hours."""
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


def day_is_open(layout: SiteLayout, day: datetime.date) -> bool:
    return day.weekday() in layout.hours and layout.closure_on(day) is None


def _has_bookable_slot(layout: SiteLayout, day: datetime.date, kind: str, now: datetime.datetime) -> bool:
    if not day_is_open(layout, day):
        return False
    opens, closes = (local_dt(day, at) for at in layout.hours[day.weekday()])
    return any(
        column.starts_at >= now and opens <= column.starts_at and column.ends_at <= closes
        for column in _columns(layout, day, kind)
    )


def first_bookable_day(layout: SiteLayout, *, kind: str, now=None) -> datetime.date:
    """The day the grid opens on: today while something can still be booked today, else the next
    open day within the booking window (today when there is none). From the layout: no query."""
    now = now or timezone.now()
    today = timezone.localdate(now, PARIS)
    for offset in range(layout.site.booking_window_days + 1):
        day = today + datetime.timedelta(days=offset)
        if _has_bookable_slot(layout, day, kind, now):
            return day
    return today


def neighbour_open_day(layout: SiteLayout, day: datetime.date, *, step: int, limit: int = 62) -> datetime.date | None:
    """The previous (step=-1) or next (step=1) open day, skipping weekends and closures; None
    when none within `limit` days (a site with no opening hours)."""
    for offset in range(1, limit + 1):
        candidate = day + datetime.timedelta(days=step * offset)
        if not DATE_MIN < candidate < DATE_MAX:  # the grid pages are bounded a day inside the handled years
            return None
        if day_is_open(layout, candidate):
            return candidate
    return None


def availability(
    *, layout: SiteLayout, day: datetime.date, kind: str, user=None, zone: str = "", now=None, ignore_booking: int | None = None
) -> Grid:
    """The day grid: resources × slots (desks: morning/afternoon; rooms: 30 minutes).

    One query whatever the number of resources and bookings (the day's active bookings, see
    _active_bookings); the site's resources, opening hours and closures come from the layout
    (`coworking.layout.site_layout`).
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
        for resource_id, pk, member_id, span, label in _active_bookings(ids, day_start, day_end):
            if pk == ignore_booking:
                continue
            by_resource.setdefault(resource_id, []).append((span.lower, span.upper, pk, member_id, label))

    user_pk = getattr(user, "pk", None)
    base_states = []
    for column in columns:
        if not is_open or column.starts_at < opens_at or column.ends_at > closes_at:
            base_states.append("closed")
        elif column.starts_at < now:  # started: the services refuse it (a start in the past)
            base_states.append("past")
        else:
            base_states.append("free")

    grid_rows = []
    for resource in resources:
        bookings = by_resource.get(resource.pk, ())
        fixed_for_other = resource.assigned_to_id is not None and resource.assigned_to_id != user_pk
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


def resource_day(
    *, layout: SiteLayout, resource: Resource, day: datetime.date, user, ignore_booking: int | None = None, now=None
) -> Row:
    """One resource's slots on a day, as the grid shows them (one query), `ignore_booking` counted
    as free: the move page offers the booking's own slot and the free ones around it."""
    now = now or timezone.now()
    kind = "desk" if resource.kind == Resource.Kind.DESK else "room"
    single = SiteLayout(site=layout.site, resources=(resource,), hours=layout.hours, closures=layout.closures)
    grid = availability(layout=single, day=day, kind=kind, user=user, now=now, ignore_booking=ignore_booking)
    return grid.rows[0] if grid.rows else Row(resource=resource)


def move_choices(row: Row, *, minutes: int | None, max_minutes: int) -> list[tuple[str, Span]]:
    """Where a booking may move on its resource's day (`row` built without it): a desk's free
    morning, afternoon and whole day ("am", "pm", "day"); a room's free starts where `minutes` fit ("")."""
    if row.resource.kind == Resource.Kind.DESK:
        choices = [
            (which, Span("free", cell.column.starts_at, cell.column.ends_at))
            for which, cell in zip(("am", "pm"), row.cells)
            if cell.state == "free"
        ]
        full_day = row.full_day()
        return choices + ([("day", full_day)] if full_day else [])
    choices = []
    for cell in row.free_starts():
        fitting = [span for span in row.durations(cell.column.starts_at, max_minutes) if span.minutes == minutes]
        if fitting:
            choices.append(("", fitting[0]))
    return choices


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


def today_occupancy(*, site: Site, now=None, day: datetime.date | None = None) -> list[Booking]:
    """Staff view of a day (today by default): every active booking of the site that day, with
    member and resource (1 query)."""
    if day is None:
        day = timezone.localdate(now or timezone.now(), PARIS)
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
