import datetime

from django.db.models import Q
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
    return (
        Registration.objects.filter(member=member, event__ends_at__gte=timezone.now())
        .exclude(status="cancelled")
        .select_related("event__site")
        .order_by("event__starts_at")
    )
