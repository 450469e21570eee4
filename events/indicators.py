"""Impact indicators of events and Déclic Numérique (DOMAIN.md §1): ESS-1, ESS-2, EVT-1/3/4/5, NUM-1/2, TRN-1.

People are counted by `person_key` ("member:<id>" or the normalised guest e-mail), which survives
erasure. Anonymous walk-ins (person_key "walk-in:…") are never merged into unique people (ESS-1,
EVT-4, EVT-5): ESS-1 reports them apart. A participation or a trainee hour counts whoever it was
(ESS-2, TRN-1: walk-ins included, ESS-2 shows how many).
"""

import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.declic.choices import ActivityType
from events.models import Event, MediationParticipant, Registration
from quai.impact import CountRows, Detail, Indicator, RatioOf, SumOf, local_midnight

ANONYMOUS_PREFIX = "walk-in:"


def _held_between(start: datetime.date, end: datetime.date) -> Q:
    """Events that started in [start, end) and were not cancelled, prefixed for Registration."""
    return Q(event__starts_at__gte=local_midnight(start), event__starts_at__lt=local_midnight(end)) & ~Q(
        event__status=Event.Status.CANCELLED
    )


def _attended(start, end, *, kinds=None, walk_ins=False):
    """Attended registrations (person × event) of events held in [start, end): identified people
    only, unless `walk_ins` (a participation or an hour of training counts, whoever it was; a
    unique person cannot be an anonymous one)."""
    rows = Registration.objects.filter(_held_between(start, end), attended=True)
    if not walk_ins:
        rows = rows.exclude(person_key__startswith=ANONYMOUS_PREFIX)
    if kinds is not None:
        rows = rows.filter(event__kind__in=kinds)
    return rows


# --- ESS-1: people sensitised to the ESS, unique, cumulative --------------------------------------

def ess1_rows(start, end):
    return (
        _attended(start, end, kinds=Event.ESS_KINDS)
        .values("person_key")
        .annotate(first_attended=Min("event__starts_at"), events=Count("event", distinct=True))
        .order_by("first_attended", "person_key")
    )


def anonymous_walk_ins(start, end):
    """Attended anonymous walk-ins at ESS events (reported apart from ESS-1: they cannot be told apart)."""
    return Registration.objects.filter(
        _held_between(start, end), attended=True, event__kind__in=Event.ESS_KINDS, person_key__startswith=ANONYMOUS_PREFIX
    ).values("id", event_start=F("event__starts_at"))


# --- ESS-2: participations in ESS events ----------------------------------------------------------

def ess2_rows(start, end):
    return (
        _attended(start, end, kinds=Event.ESS_KINDS, walk_ins=True)
        .values("id", "person_key", event_title=F("event__title"), event_start=F("event__starts_at"))
        .order_by("event_start", "id")
    )


# --- EVT-1: attendance rate ------------------------------------------------------------------------

def evt1_rows(start, end):
    # Confirmed at the event's start: still confirmed, or cancelled only after it started.
    confirmed_at_start = Q(status=Registration.Status.CONFIRMED) | Q(
        status=Registration.Status.CANCELLED, cancelled_at__gte=F("event__starts_at")
    )
    return (
        Registration.objects.filter(_held_between(start, end), confirmed_at_start, walk_in=False)
        .values("id", "person_key", event_title=F("event__title"), event_start=F("event__starts_at"))
        .annotate(present=Case(When(attended=True, then=Value(1)), default=Value(0), output_field=IntegerField()),
                  expected=Value(1, output_field=IntegerField()))
        .order_by("event_start", "id")
    )


# --- EVT-3: fill rate --------------------------------------------------------------------------------

def evt3_rows(start, end):
    confirmed = (
        Registration.objects.filter(event=OuterRef("pk"), walk_in=False)
        .filter(Q(status=Registration.Status.CONFIRMED) | Q(status=Registration.Status.CANCELLED, cancelled_at__gte=OuterRef("starts_at")))
        .order_by().values("event").annotate(n=Count("pk")).values("n")
    )
    return (
        Event.objects.filter(starts_at__gte=local_midnight(start), starts_at__lt=local_midnight(end))
        .exclude(status=Event.Status.CANCELLED)
        .values("id", "title", "starts_at", "capacity")
        .annotate(confirmed=Coalesce(Subquery(confirmed, output_field=IntegerField()), 0))
        .order_by("starts_at", "id")
    )


# --- EVT-4: repeat participation --------------------------------------------------------------------

def evt4_rows(start, end):
    # "At least two distinct events" is "first event ≠ last event": min and max hash-aggregate,
    # where COUNT(DISTINCT) makes PostgreSQL sort every registration of the period by person.
    return (
        _attended(start, end)
        .values("person_key")
        .annotate(events=Count("event", distinct=True))
        .annotate(repeat=Case(When(GreaterThan(Max("event"), Min("event")), then=Value(1)), default=Value(0), output_field=IntegerField()),
                  one=Value(1, output_field=IntegerField()))
        .order_by("-events", "person_key")
    )


# --- EVT-5: new participants ------------------------------------------------------------------------

def evt5_rows(start, end):
    # First attended event ever (all history, not just the period), then keep those in the period.
    return (
        Registration.objects.filter(attended=True)
        .exclude(event__status=Event.Status.CANCELLED)
        .exclude(person_key__startswith=ANONYMOUS_PREFIX)
        .values("person_key")
        .annotate(first_attended=Min("event__starts_at"))
        .filter(first_attended__gte=local_midnight(start), first_attended__lt=local_midnight(end))
        .order_by("first_attended", "person_key")
    )


# --- TRN-1: trainee hours -----------------------------------------------------------------------------

def trn1_rows(start, end):
    hours = Func(
        F("event__ends_at"), F("event__starts_at"), arg_joiner=" - ",
        template="(EXTRACT(EPOCH FROM %(expressions)s) / 3600)::numeric(8, 2)",
        output_field=DecimalField(max_digits=8, decimal_places=2),
    )
    return (
        _attended(start, end, kinds=[Event.Kind.ESS_TRAINING], walk_ins=True)
        .values("id", "person_key", event_title=F("event__title"), event_start=F("event__starts_at"))
        .annotate(hours=hours)
        .order_by("event_start", "id")
    )


# --- NUM-1 / NUM-2: Déclic accompaniments ----------------------------------------------------------
# One participant row per accompaniment (DOMAIN.md §2): a workshop of 8 people is 8 rows.

def _accompaniments(start, end):
    return MediationParticipant.objects.filter(activity__date__gte=start, activity__date__lt=end)


def num1_rows(start, end):
    return (
        _accompaniments(start, end)
        .values("id", "activity_id", "position", "commune", date=F("activity__date"), kind=F("activity_type"),
                duration_min=F("activity__duree"))
        .order_by("date", "activity_id", "position")
    )


def num1_split(kind):
    def rows(start, end):
        return _accompaniments(start, end).filter(activity_type=kind).values("id", date=F("activity__date"))

    return rows


def num2_rows(start, end):
    # Beneficiaries are anonymous: a beneficiary is "new" when the mediator ticked "first
    # accompaniment" for that participant; each such participant is one new beneficiary.
    return num1_rows(start, end).filter(first_time=True)


INDICATORS = [
    Indicator(
        code="ESS-1", period_column="first_attended", app_label="events", order=10, unit="people", cumulative=True, target=Decimal(10000),
        label=_("People sensitised to the social and solidarity economy (cumulative, unique)"),
        definition=_("Distinct people (member or guest e-mail) with at least one attended registration at an ESS awareness "
                     "or ESS training event, from the programme start to the end of the period. A registration without "
                     "attendance does not count; erased members still count. Anonymous walk-ins are reported apart."),
        rows=ess1_rows, aggregate=CountRows(),
        columns=(("person_key", _("Person")), ("first_attended", _("First attended")), ("events", _("ESS events attended"))),
        details=(Detail("anonymous_walk_ins", _("Anonymous walk-ins (not in the unique count)"), rows=anonymous_walk_ins,
                        period_column="event_start"),),
    ),
    Indicator(
        code="ESS-2", period_column="event_start", app_label="events", order=11, unit="count", definition_version=2,
        label=_("Participations in ESS events"),
        definition=_("Attended registrations (person × event) at ESS awareness or training events held in the period, "
                     "anonymous walk-ins included (their number is also shown apart)."),
        rows=ess2_rows, aggregate=CountRows(),
        columns=(("person_key", _("Person")), ("event_title", _("Event")), ("event_start", _("Date"))),
        details=(Detail("anonymous_walk_ins", _("Of which anonymous walk-ins"), rows=anonymous_walk_ins,
                        period_column="event_start"),),
    ),
    Indicator(
        code="EVT-1", period_column="event_start", app_label="events", order=20, unit="percent",
        label=_("Attendance rate"),
        definition=_("Attended ÷ confirmed at the event's start, for events held in the period (cancelled events excluded)."),
        rows=evt1_rows, aggregate=RatioOf("present", "expected"),
        columns=(("person_key", _("Person")), ("event_title", _("Event")), ("event_start", _("Date")), ("present", _("Present"))),
    ),
    Indicator(
        code="EVT-3", period_column="starts_at", app_label="events", order=21, unit="percent",
        label=_("Fill rate"),
        definition=_("Confirmed registrations at the event's start ÷ capacity, for events held in the period (cancelled events excluded)."),
        rows=evt3_rows, aggregate=RatioOf("confirmed", "capacity"),
        columns=(("title", _("Event")), ("starts_at", _("Date")), ("confirmed", _("Confirmed")), ("capacity", _("Capacity"))),
    ),
    Indicator(
        code="EVT-4", app_label="events", order=22, unit="percent",
        label=_("Repeat participation"),
        definition=_("Share of the period's unique attendees who attended at least two events in the period."),
        rows=evt4_rows, aggregate=RatioOf("repeat", "one"),
        columns=(("person_key", _("Person")), ("events", _("Events attended"))),
    ),
    Indicator(
        code="EVT-5", period_column="first_attended", app_label="events", order=23, unit="people",
        label=_("New participants"),
        definition=_("Unique attendees whose first attended event ever falls in the period."),
        rows=evt5_rows, aggregate=CountRows(),
        columns=(("person_key", _("Person")), ("first_attended", _("First attended"))),
    ),
    Indicator(
        code="TRN-1", period_column="event_start", app_label="events", order=24, unit="hours", definition_version=2,
        label=_("Trainee hours"),
        definition=_("Σ over ESS training events held in the period of the event's duration (hours) × attendees, "
                     "anonymous walk-ins included."),
        rows=trn1_rows, aggregate=SumOf("hours"),
        columns=(("person_key", _("Person")), ("event_title", _("Event")), ("event_start", _("Date")), ("hours", _("Hours"))),
    ),
    Indicator(
        code="NUM-1", period_column="date", app_label="events", order=70, unit="count",
        label=_("Digital accompaniments"),
        definition=_("Accompaniments (participant × session) of Déclic Numérique in the period: one per person of an "
                     "individual session, one per participant of a workshop."),
        rows=num1_rows, aggregate=CountRows(),
        columns=(("date", _("Date")), ("kind", _("Kind")), ("activity_id", _("Activity")), ("position", _("Participant")),
                 ("duration_min", _("Duration (min)")), ("commune", _("Commune"))),
        details=(Detail("individual", _("Individual"), rows=num1_split(ActivityType.INDIVIDUEL), period_column="date"),
                 Detail("collective", _("Collective"), rows=num1_split(ActivityType.COLLECTIF), period_column="date")),
    ),
    Indicator(
        code="NUM-2", period_column="date", app_label="events", order=71, unit="people",
        label=_("New digital-mediation beneficiaries"),
        definition=_("Beneficiaries whose first accompaniment falls in the period (beneficiaries are anonymous: the "
                     "mediator records a first visit)."),
        rows=num2_rows, aggregate=CountRows(),
        columns=(("date", _("Date")), ("kind", _("Kind")), ("activity_id", _("Activity")), ("commune", _("Commune"))),
    ),
]


def card_events_week(today) -> dict:
    from quai.compiled import aggregate_once

    monday = today - datetime.timedelta(days=today.weekday())
    # ONE query, from the week's events (event_agenda_idx), each counting its seats from
    # registration_seat_idx alone. Counting the registrations `event__in=week` in a second query
    # sent the planner to a parallel scan of every event (30–60 ms at scale 100; now 3 ms in the
    # database for 276 events and 11 000 seats).
    counts = aggregate_once(("events.week", monday), lambda: (  # its SQL built once a week (quai/compiled.py)
        Event.objects.filter(starts_at__gte=local_midnight(monday), starts_at__lt=local_midnight(monday + datetime.timedelta(days=7)))
        .exclude(status=Event.Status.CANCELLED)
        .with_seats_taken()
        .aggregate(events=Count("pk"), capacity=Sum("capacity"), confirmed=Sum("seats_taken"))
    ))
    confirmed, capacity = int(counts["confirmed"] or 0), int(counts["capacity"] or 0)
    fill = round(100 * confirmed / capacity) if capacity else 0
    return {
        "value": counts["events"],
        "detail": _("%(confirmed)s of %(capacity)s seats taken (%(fill)s %%)") % {
            "confirmed": confirmed, "capacity": capacity, "fill": fill},
    }


def card_declic_month(today) -> dict:
    from events.declic.choices import ActivityType
    from events.declic.models import MediationActivity
    from quai.compiled import aggregate_once
    from quai.impact import add_months, month_start

    start = month_start(today)
    # From the month's activities (date index). The database holds that every activity has at
    # least one participant (constraint trigger declic_activity_has_a_participant) and an
    # individual one exactly one (declic_individual_one_participant): a session is an activity,
    # and only workshops count their participants (participant→activity index), ≈ 1 activity in 7;
    # the activities are read from declic_activity_date_idx alone (it includes the type and the id).
    # Counting every activity's participants took 4 000 index probes at scale 100 (32–43 ms; now 4 ms).
    def count():
        participants = (
            MediationParticipant.objects.filter(activity=OuterRef("pk")).order_by().values("activity").annotate(n=Count("*")).values("n")
        )
        return MediationActivity.objects.filter(date__gte=start, date__lt=add_months(start, 1)).aggregate(
            sessions=Count("pk"),
            individual=Count("pk", filter=Q(type=ActivityType.INDIVIDUEL)),
            workshops=Sum(Subquery(participants, output_field=IntegerField()), filter=Q(type=ActivityType.COLLECTIF)),
        )

    month = aggregate_once(("events.declic", start), count)  # its SQL built once a month (quai/compiled.py)
    return {"value": month["individual"] + int(month["workshops"] or 0),
            "detail": ngettext("%(sessions)s session", "%(sessions)s sessions", month["sessions"]) % month}
