import datetime

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from events.models import Event, Registration
from quai.ical import feed_window_start


def events_for_public_feed(*, now=None):
    """The public iCal feed: public events ending in the last 12 months or later, cancelled included."""
    now = now or timezone.now()
    return Event.objects.visible_to(None).filter(ends_at__gte=feed_window_start(now)).select_related("site").order_by("starts_at", "pk")


def agenda(*, user, kind: str = "", theme: str = "", month: str = "", now=None):
    """The agenda with seat counts: one query whatever the number of events and registrations."""
    now = now or timezone.now()
    queryset = (
        Event.objects.visible_to(user)
        .filter(ends_at__gte=now)
        .select_related("site")
        .with_seats_taken()
        .order_by("starts_at")
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if theme:
        queryset = queryset.filter(themes__contains=[theme])
    if month:
        try:
            first = datetime.date.fromisoformat(f"{month}-01")
            queryset = queryset.filter(starts_at__year=first.year, starts_at__month=first.month)
        except ValueError:
            pass
    return queryset


def event_get_for_user(user, pk: int) -> Event:
    """An event the user may see, with `seats_taken`; anything else is a 404."""
    return get_object_or_404(Event.objects.visible_to(user).select_related("site", "room").with_seats_taken(), pk=pk)


def registration_of_visitor(event: Event, *, member, guest_registration_pk=None) -> Registration | None:
    """The visitor's active registration for this event: a member's own, or the one a guest made
    from this browser (its id kept in their session)."""
    queryset = event.registrations.exclude(status=Registration.Status.CANCELLED).select_related("member")
    if member is not None and member.is_authenticated:
        return queryset.filter(member=member).first()
    if guest_registration_pk:
        return queryset.filter(pk=guest_registration_pk, member__isnull=True).first()
    return None


def waitlist_position(registration: Registration) -> int:
    """1 for the first person waiting: the order in which freed seats are given (services._promote)."""
    return Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED,
    ).filter(Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)).count() + 1


def registration_get_for_user(user, pk: int) -> Registration:
    """A member's own registration, or any for staff; anything else is a 404."""
    return get_object_or_404(Registration.objects.visible_to(user).select_related("event", "member"), pk=pk)


def door_list(event: Event, *, search: str = ""):
    """The émargement: everyone expected or present, by name; two queries whatever the size."""
    queryset = event.registrations.exclude(status=Registration.Status.CANCELLED).select_related("member")
    if search:
        queryset = queryset.filter(
            Q(guest_name__icontains=search) | Q(member__first_name__icontains=search)
            | Q(member__last_name__icontains=search) | Q(guest_email__icontains=search) | Q(member__email__icontains=search)
        )
    return queryset.order_by("status", "member__last_name", "guest_name", "pk")


def door_counts(event: Event) -> dict:
    """The door list counters, in one query: present (walk-ins included), expected (confirmed seats),
    walk-ins, and people waiting."""
    active = ~Q(status=Registration.Status.CANCELLED)
    return event.registrations.aggregate(
        present=Count("pk", filter=active & Q(attended=True)),
        expected=Count("pk", filter=Q(status=Registration.Status.CONFIRMED, walk_in=False)),
        walk_ins=Count("pk", filter=active & Q(walk_in=True)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
    )


def ess1_unique_people(*, until) -> int:
    """ESS-1: distinct people (person_key) with ≥ 1 attended registration at an ESS awareness/training
    event, from the start to `until`. Anonymous walk-ins (no e-mail) are a separate figure."""
    return (
        Registration.objects.filter(
            attended=True, event__kind__in=Event.ESS_KINDS, event__starts_at__lt=until,
        )
        .exclude(status="cancelled")
        .exclude(person_key__startswith="walk-in:")
        .values("person_key")
        .distinct()
        .count()
    )


def ess1_anonymous_walk_ins(*, until) -> int:
    return Registration.objects.filter(
        attended=True, event__kind__in=Event.ESS_KINDS, event__starts_at__lt=until, person_key__startswith="walk-in:"
    ).count()


def registrations_for_member(member):
    """A member's registrations for events not over yet, the next first. Ordered by the events'
    end, as event_ends_idx is (a member's events rarely overlap, so it is also the order of their
    starts): the home page's three read the first events of that index, where an order by start
    sorted every upcoming event (2 400 at seed_demo --scale 100) in a parallel query."""
    return (
        Registration.objects.filter(member=member, event__ends_at__gte=timezone.now())
        .exclude(status="cancelled")
        .select_related("event__site")
        .order_by("event__ends_at", "event__starts_at", "pk")
    )


def rooms_free_between(*, starts_at=None, ends_at=None, keep_booking_id: int | None = None):
    """Rooms and booths that can host an event: active, on an active site, and — when the times are
    known — with no confirmed coworking booking overlapping them (the event's own booking aside)."""
    from coworking.models import Booking, Resource

    rooms = Resource.objects.filter(
        kind__in=[Resource.Kind.ROOM, Resource.Kind.BOOTH], is_active=True, site__is_active=True,
    ).select_related("site").order_by("site__name", "position", "name")
    if starts_at and ends_at and starts_at < ends_at:
        taken = Booking.objects.active().overlapping(starts_at, ends_at)
        if keep_booking_id:
            taken = taken.exclude(pk=keep_booking_id)
        rooms = rooms.exclude(pk__in=taken.values("resource_id"))
    return rooms


def staff_events(*, now=None):
    """The staff list: this week's events (from Monday: their door lists are still being closed, and
    the staff home's "events this week" links here) and every later one, whatever their status,
    with seat counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    monday = datetime.datetime.combine(today - datetime.timedelta(days=today.weekday()), datetime.time.min,
                                       tzinfo=timezone.get_current_timezone())
    return (
        Event.objects.filter(ends_at__gte=min(monday, now - datetime.timedelta(days=1)))
        .select_related("site", "room")
        .with_seats_taken()
        .order_by("starts_at", "pk")
    )
