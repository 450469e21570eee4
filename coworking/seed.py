"""Demo coworking: la Ruche Saint-Germain (2 open-space zones of 15 desks, 6 fixed desks, rooms of 4,
8 and 12 people, a phone booth), 60 coworkers on a mix of plans, 18 months of bookings.

--scale N adds N-1 more sites of the same shape (N × the bookings), for benchmarks; run again with
a larger N, it adds the missing sites only.
"""

import datetime
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
    """La Ruche and its coworkers once; then sites 2..scale, each with its 18 months of bookings.
    Running it again with a larger scale adds the missing sites only."""
    today = timezone.localdate(timezone.now(), PARIS)
    first_day = today - datetime.timedelta(days=548)
    site, _created = site_ensure_default()
    if not site.resources.exists():
        coworkers, residents = _seed_people(rng, today, first_day)
        _seed_site(site, residents, coworkers, first_day, today, rng)
    else:
        coworkers = _coworkers()
    for copy in range(2, scale + 1):
        extra, created = Site.objects.get_or_create(slug=f"site-demo-{copy}", defaults={"name": f"Site de démonstration {copy}"})
        if created:
            OpeningHours.objects.bulk_create(OpeningHours(site=extra, weekday=d, opens=datetime.time(8, 30), closes=datetime.time(19)) for d in range(5))
            _seed_site(extra, [], coworkers, first_day, today, rng)

    layout_changed()  # resources and opening hours were bulk-created: no signal


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
    return coworkers, residents


def _seed_site(current, residents, coworkers, first_day, today, rng) -> None:
    resources = _layout(current, residents)
    desks = [r for r in resources if r.kind == "desk"]
    rooms = [r for r in resources if r.kind != "desk"]
    bookings = []
    day = first_day
    while day <= today + datetime.timedelta(days=14):
        if day.weekday() < 5:
            slots = desk_slots(current, day)
            for desk in desks:
                if desk.assigned_to_id:
                    if rng.random() < 0.8:
                        bookings.append(_booking(desk, desk.assigned_to_id, *slots["day"], day, today, rng))
                    continue
                roll = rng.random()
                if roll < 0.35:
                    bookings.append(_booking(desk, rng.choice(coworkers).pk, *slots["day"], day, today, rng))
                elif roll < 0.6:
                    bookings.append(_booking(desk, rng.choice(coworkers).pk, *slots[rng.choice(["am", "pm"])], day, today, rng))
            for room in rooms:
                for hour in (9, 11, 14, 16):
                    if rng.random() < 0.4:
                        start = local_dt(day, datetime.time(hour, 0))
                        bookings.append(_booking(room, rng.choice(coworkers).pk, start, start + datetime.timedelta(minutes=rng.choice([30, 60, 90])), day, today, rng))
        day += datetime.timedelta(days=1)
    Booking.objects.bulk_create(bookings, batch_size=5000)


def _booking(resource, member_id, start, end, day, today, rng) -> Booking:
    past = day < today
    return Booking(
        resource=resource,
        member_id=member_id,
        span=DateTimeTZRange(start, end, "[)"),
        status="confirmed" if not past or rng.random() > 0.08 else "cancelled",
        checked_in_at=start + datetime.timedelta(minutes=rng.randint(0, 40)) if past and rng.random() < 0.85 else None,
    )
