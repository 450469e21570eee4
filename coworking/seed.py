"""Demo coworking: la Ruche Saint-Germain (2 open-space zones of 15 desks, 6 fixed desks, rooms of 4,
8 and 12 people, a phone booth), 60 coworkers on a mix of plans, 18 months of bookings.

--scale N adds N-1 more sites of the same shape (N × the bookings), for benchmarks; run again with
a larger N, it adds the missing sites only.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from faker import Faker

from coworking.models import Booking, OpeningHours, Plan, Resource, Site, Subscription
from coworking.layout import layout_changed
from coworking.services import site_ensure_default
from coworking.time import PARIS, desk_slots, local_dt
from members.models import User
from members.seed import memberships_ensure
from quai.bulk import copy_rows, run_parallel

PLANS = [
    (Plan.Kind.DAY_PASS, "Journée", Decimal("1"), Decimal("20")),
    (Plan.Kind.TEN_DAYS, "Carnet de 10 jours", Decimal("10"), Decimal("170")),
    (Plan.Kind.PART_TIME, "Temps partiel (8 jours par mois)", Decimal("8"), Decimal("130")),
    (Plan.Kind.FULL_TIME, "Temps plein", None, Decimal("250")),
    (Plan.Kind.RESIDENT, "Résident (bureau fixe)", None, Decimal("320")),
    (Plan.Kind.INCUBATED, "Incubé (inclus)", None, Decimal("0")),
]


def _layout(site: Site, residents: list) -> list[Resource]:
    resources = []
    for zone_index, zone in enumerate(["Open space Seine", "Open space Forêt"]):
        for n in range(1, 16):
            resources.append(Resource(site=site, kind="desk", name=f"{zone[11:]} {n:02d}", zone=zone, position=n))
    for n, resident in enumerate(residents, start=1):
        resources.append(Resource(site=site, kind="desk", name=f"Bureau fixe {n}", zone="Bureaux fixes", assigned_to=resident, position=n))
    resources += [
        Resource(site=site, kind="room", name="Salle Cèdre", capacity=4, amenities="Écran"),
        Resource(site=site, kind="room", name="Salle Tilleul", capacity=8, amenities="Écran, visio"),
        Resource(site=site, kind="room", name="Salle Terrasse", capacity=12, amenities="Vidéoprojecteur, paperboard"),
        Resource(site=site, kind="booth", name="Cabine téléphonique", capacity=1),
    ]
    return Resource.objects.bulk_create(resources)


def seed_coworking(*, scale: int, rng, stdout) -> None:
    """La Ruche and its coworkers, once (`seed_coworking_sites` adds the benchmark sites)."""
    today = timezone.localdate(timezone.now(), PARIS)
    first_day = today - datetime.timedelta(days=548)
    site, _created = site_ensure_default()
    if not site.resources.exists():
        _people, residents = _seed_people(rng, today, first_day)
        _seed_site(site, residents, _plans_by_day(first_day, today), first_day, today, rng)
    layout_changed()  # resources and opening hours were bulk-created: no signal


def seed_coworking_sites(*, scale: int, rng, stdout) -> None:
    """--scale N: sites 2..N of La Ruche's shape, each with its 18 months of bookings by the same
    coworkers. Each site is one transaction (created with all its bookings, or not at all), two
    loaded at once: a second run, or a larger N, adds the missing sites only."""
    today = timezone.localdate(timezone.now(), PARIS)
    first_day = today - datetime.timedelta(days=548)
    existing = set(Site.objects.filter(slug__startswith="site-demo-").values_list("slug", flat=True))
    missing = [copy for copy in range(2, scale + 1) if f"site-demo-{copy}" not in existing]
    if not missing:
        return
    plans_by_day = _plans_by_day(first_day, today)

    def site_task(copy, site_rng):
        def task():
            extra, created = Site.objects.get_or_create(slug=f"site-demo-{copy}", defaults={"name": f"Site de démonstration {copy}"})
            if created:
                OpeningHours.objects.bulk_create(
                    OpeningHours(site=extra, weekday=d, opens=datetime.time(8, 30), closes=datetime.time(19)) for d in range(5)
                )
                _seed_site(extra, [], plans_by_day, first_day, today, site_rng)
        return task

    run_parallel([site_task(copy, random.Random(rng.randrange(2**32))) for copy in missing])
    layout_changed()
    stdout.write(f"coworking: {len(missing)} demo sites added")


def _coworkers() -> list:
    from members.seed import demo_user

    return [demo_user("coworker@demo.quai.test"), demo_user("incube@demo.quai.test")] + list(
        User.objects.filter(email__endswith="@coworking.demo.quai.test").order_by("email")
    )


def _seed_people(rng, today, first_day):
    fake = Faker("fr_FR")
    fake.seed_instance(rng.randint(0, 10**6))
    plans = {kind: Plan.objects.get_or_create(kind=kind, defaults={"name": name, "credits": credits, "monthly_price_eur": price})[0]
             for kind, name, credits, price in PLANS}
    password = make_password("quai-demo-coworker")  # one hash for everyone: seeding stays fast

    existing = {u.email for u in User.objects.filter(email__endswith="@coworking.demo.quai.test")}
    new_users = []
    for n in range(58):
        email = f"coworker{n:02d}@coworking.demo.quai.test"
        if email not in existing:
            new_users.append(User(email=email, first_name=fake.first_name(), last_name=fake.last_name(), password=password))
    User.objects.bulk_create(new_users)
    coworkers = _coworkers()
    residents = coworkers[2:8]

    subscriptions = [
        Subscription(member=coworkers[0], plan=plans[Plan.Kind.FULL_TIME], starts_on=first_day, ends_on=today + datetime.timedelta(days=180)),
        Subscription(member=coworkers[1], plan=plans[Plan.Kind.INCUBATED], starts_on=today - datetime.timedelta(days=200), ends_on=today + datetime.timedelta(days=165)),
    ]
    subscriptions += [
        Subscription(member=resident, plan=plans[Plan.Kind.RESIDENT], starts_on=first_day, ends_on=today + datetime.timedelta(days=365))
        for resident in residents
    ]
    mix = [Plan.Kind.TEN_DAYS, Plan.Kind.PART_TIME, Plan.Kind.FULL_TIME, Plan.Kind.DAY_PASS]
    for index, person in enumerate(coworkers[8:]):
        plan = plans[mix[index % len(mix)]]
        subscriptions.append(
            Subscription(member=person, plan=plan, starts_on=first_day + datetime.timedelta(days=rng.randint(0, 200)),
                         ends_on=today + datetime.timedelta(days=rng.randint(10, 120)),
                         credits_remaining=max(Decimal("0"), plan.credits - Decimal(rng.randint(0, 4))) if plan.credits else None)
        )
    Subscription.objects.bulk_create(subscriptions)
    # Coworkers are adhérents (the association's rule): a membership on every day of their plan
    # up to the last day booked (two weeks ahead).
    memberships_ensure(spans=[(s.member_id, s.starts_on, min(s.ends_on, today + BOOKED_AHEAD)) for s in subscriptions])
    return coworkers, residents


BOOKED_AHEAD = datetime.timedelta(days=14)


def _plans_by_day(first_day, today) -> dict:
    """Day → [(member id, subscription id)] of the demo coworkers whose plan covers that day: a
    booking is only made by someone with a plan valid on its day (as booking_create requires)."""
    people = [u.pk for u in _coworkers()]
    plans = list(Subscription.objects.filter(member_id__in=people).values_list("member_id", "pk", "starts_on", "ends_on"))
    by_day, day = {}, first_day
    while day <= today + BOOKED_AHEAD:
        by_day[day] = [(member_id, pk) for member_id, pk, starts_on, ends_on in plans if starts_on <= day <= ends_on]
        day += datetime.timedelta(days=1)
    return by_day


def _seed_site(current, residents, plans_by_day, first_day, today, rng) -> None:
    resources = _layout(current, residents)
    desks = [r for r in resources if r.kind == "desk"]
    rooms = [r for r in resources if r.kind != "desk"]
    resident_plans = {member_id: pk for plans in plans_by_day.values() for member_id, pk in plans}
    now = timezone.now()
    bookings = []
    day = first_day
    while day <= today + BOOKED_AHEAD:
        plans = plans_by_day[day]
        if day.weekday() < 5 and plans:
            slots = desk_slots(current, day)
            for desk in desks:
                if desk.assigned_to_id:
                    if rng.random() < 0.8 and desk.assigned_to_id in resident_plans:
                        bookings.append(_booking(desk, (desk.assigned_to_id, resident_plans[desk.assigned_to_id]), *slots["day"], day, today, now, rng))
                    continue
                roll = rng.random()
                if roll < 0.35:
                    bookings.append(_booking(desk, rng.choice(plans), *slots["day"], day, today, now, rng))
                elif roll < 0.6:
                    bookings.append(_booking(desk, rng.choice(plans), *slots[rng.choice(["am", "pm"])], day, today, now, rng))
            for room in rooms:
                for hour in (9, 11, 14, 16):
                    if rng.random() < 0.4:
                        start = local_dt(day, datetime.time(hour, 0))
                        bookings.append(_booking(room, rng.choice(plans), start, start + datetime.timedelta(minutes=rng.choice([30, 60, 90])), day, today, now, rng))
        day += datetime.timedelta(days=1)
    copy_rows(Booking, BOOKING_COLUMNS, bookings)


BOOKING_COLUMNS = ("resource_id", "member_id", "subscription_id", "span", "status", "checked_in_at", "created_at", "cancelled_at",
                   "updated_at")


def _booking(resource, plan, start, end, day, today, now, rng) -> tuple:
    """One booking row (BOOKING_COLUMNS) for COPY: ≈ 10 000 per site, 1 M at --scale 100. Booked
    a few days ahead (never after now); some past ones cancelled before their day, most checked in."""
    past = day < today
    created = min(start - datetime.timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 600)), now)
    cancelled = past and rng.random() < 0.08
    cancelled_at = created + (start - created) / 2 if cancelled else None
    late = min(40, int((end - start).total_seconds() // 60) - 1)  # checked in before the slot ends
    checked_in_at = start + datetime.timedelta(minutes=rng.randint(0, late)) if past and not cancelled and rng.random() < 0.85 else None
    return (
        resource.pk,
        plan[0],
        plan[1],
        DateTimeTZRange(start, end, "[)"),
        "cancelled" if cancelled else "confirmed",
        checked_in_at,
        created,
        cancelled_at,
        cancelled_at or checked_in_at or created,
    )
