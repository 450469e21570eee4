"""Demo events: two years (≈ 300 events), ≈ 10 000 registrations with attendance, ≈ 1 500 Déclic sessions.
Loaded with COPY (quai.bulk): 1.3 M registrations at --scale 100."""

import bisect
import datetime
import random

from django.utils import timezone
from faker import Faker

from coworking.models import Site
from coworking.time import PARIS, local_dt
from events.declic.seed import seed_mediation
from events.models import Event, Registration
from members.models import User, search_text
from quai.bulk import allocate_ids, copy_rows, run_parallel

TITLES = {
    "ess_awareness": ["Qu’est-ce que l’ESS ?", "Café ESS : consommer autrement", "Ciné-débat : l’économie solidaire", "Fresque de l’économie circulaire"],
    "ess_training": ["Créer une association employeuse", "Monter une SCIC", "Financer son projet ESS", "Mesurer son impact social"],
    "digital_workshop": ["Déclic : premiers pas sur smartphone", "Déclic : mes démarches en ligne", "Déclic : sécurité numérique", "Déclic : mails et pièces jointes"],
    "networking": ["Afterwork de la Ruche", "Petit-déjeuner des entrepreneurs", "Apéro des adhérents"],
    "other": ["Assemblée générale", "Portes ouvertes du Quai"],
}
THEMES = ["économie circulaire", "emploi", "alimentation", "numérique", "mobilité", "gouvernance", "financement"]


def guest_pool(fake, count: int, domain: str) -> list[tuple[str, str]]:
    """`count` plausible people (French names) with an address on a demo domain: (name, e-mail)."""
    people = []
    for n in range(count):
        first, last = fake.first_name(), fake.last_name()
        local = f"{search_text(first)}.{search_text(last)}".replace(" ", "-").replace("'", "")
        people.append((f"{first} {last}", f"{local}.{n}@{domain}"))
    return people


def members_by_joining() -> tuple[list, list[int]]:
    """The accounts events may draw members from, sorted by the day they joined: ([joined], [id])."""
    rows = sorted(User.objects.order_by("pk").values_list("date_joined", "pk")[:400])
    return [joined for joined, _pk in rows], [pk for _joined, pk in rows]


def seed_events(*, scale: int, rng, stdout) -> None:
    """300 × scale events over 760 days (two years back, two months ahead) with their registrations,
    and the Déclic activities. Loaded in CHUNKS units of consecutive days and one of Déclic, each
    committed on its own, two at a time (quai.bulk.run_parallel): a second run adds what is missing."""
    fake = Faker("fr_FR")
    fake.seed_instance(rng.randint(0, 10**6))
    site = Site.objects.order_by("pk").first()
    now = timezone.now()
    today = timezone.localdate(now, PARIS)
    first_day = today - datetime.timedelta(days=700)
    count = 300 * scale
    day_of = [first_day + datetime.timedelta(days=int(n * 760 / count)) for n in range(count)]
    bounds = [count * k // CHUNKS for k in range(CHUNKS + 1)]
    todo = [
        (bounds[k], bounds[k + 1]) for k in range(CHUNKS) if bounds[k] < bounds[k + 1] and not Event.objects.filter(
            starts_at__gte=local_dt(day_of[bounds[k]], datetime.time(0)),
            starts_at__lt=local_dt(day_of[bounds[k + 1] - 1] + datetime.timedelta(days=1), datetime.time(0)),
        ).exists()
    ]
    joined, members = members_by_joining()
    guests = guest_pool(fake, 3000, "invites.demo.quai.test")

    def chunk(first, last, chunk_rng):
        def task():
            _seed_event_days(day_of[first:last], site, joined, members, guests, now, chunk_rng)
        return task

    tasks = [chunk(first, last, random.Random(rng.randrange(2**32))) for first, last in todo]
    mediation_rng = random.Random(rng.randrange(2**32))
    tasks.append(lambda: seed_mediation(scale=scale, rng=mediation_rng, today=today))
    run_parallel(tasks)


CHUNKS = 4
KINDS = ["ess_awareness"] * 4 + ["ess_training"] * 2 + ["digital_workshop"] * 3 + ["networking"] * 2 + ["other"]


def _seed_event_days(days, site, joined, members, guests, now, rng) -> None:
    """One event on each of `days` (a day may come twice) and its registrations: members since the
    event was announced and only once they had an account, guests from the pool; attendance
    recorded for events already over."""
    ids = allocate_ids(Event, len(days))
    events = []
    for event_id, day in zip(ids, days):
        kind = rng.choice(KINDS)
        start = local_dt(day, datetime.time(rng.choice([10, 14, 18])))
        created = min(start - ANNOUNCED_BEFORE, now)  # announced six weeks ahead (never in the future)
        events.append((event_id, rng.choice(TITLES[kind]), kind, "Un temps d’échange **ouvert à toutes et à tous**.",
                       rng.sample(THEMES, 2), start, start + datetime.timedelta(hours=2), site.pk if site else None,
                       rng.choice([20, 30, 40, 60, 80]), kind != "other", "published", created, created))
    copy_rows(Event, ("id", "title", "kind", "description", "themes", "starts_at", "ends_at", "site_id", "capacity", "is_public",
                      "status", "created_at", "updated_at"), events)
    registrations = []
    for event_id, _title, _kind, _text, _themes, starts_at, ends_at, _site, capacity, _public, _status, created, _u in events:
        past = ends_at < now
        people = set()
        eligible = bisect.bisect_left(joined, created)
        for _ in range(rng.randint(int(capacity * 0.7), capacity)):
            registered = min(created + (starts_at - created) * rng.random(), now)
            if eligible and rng.random() < 0.35:
                member_id = members[rng.randrange(eligible)]
                key = f"member:{member_id}"
                if key in people:
                    continue
                people.add(key)
                registrations.append((event_id, member_id, "", "", key, "confirmed", (rng.random() < 0.8) if past else None, registered))
            else:
                name, email = rng.choice(guests)
                if email in people:
                    continue
                people.add(email)
                registrations.append((event_id, None, name, email, email, "confirmed", (rng.random() < 0.75) if past else None, registered))
    copy_rows(Registration, REGISTRATION_COLUMNS, registrations)


ANNOUNCED_BEFORE = datetime.timedelta(days=42)
REGISTRATION_COLUMNS = ("event_id", "member_id", "guest_name", "guest_email", "person_key", "status", "attended", "created_at")
