"""Demo history for the impact trends: ESS events from the programme start up to where events/seed.py begins.

Its own module (registered after events.demo) so the main events seed stays as it is. Bulk inserts;
idempotent (does nothing when events that old already exist).
"""

import bisect
import datetime
import random

from django.conf import settings
from django.utils import timezone
from faker import Faker

from coworking.time import PARIS, local_dt
from events.models import Event, Registration
from events.seed import ANNOUNCED_BEFORE, REGISTRATION_COLUMNS, members_by_joining
from members.models import search_text
from quai.bulk import allocate_ids, copy_rows, run_parallel

TITLES = {
    "ess_awareness": ["Qu’est-ce que l’ESS ?", "Café ESS : consommer autrement", "Fresque de l’économie circulaire"],
    "ess_training": ["Créer une association employeuse", "Monter une SCIC", "Mesurer son impact social"],
}


def seed_event_history(*, scale: int, rng, stdout) -> None:
    """3 × scale ESS events a month from the programme start to where events/seed.py begins, in
    CHUNKS units of consecutive months, each committed on its own, two at a time (quai.bulk.run_parallel)."""
    today = timezone.localdate(timezone.now(), PARIS)
    history_end = today - datetime.timedelta(days=720)  # events/seed.py starts 700 days back
    start = settings.QUAI_PROGRAMME_START
    if start >= history_end:
        return
    months, day = [], start + datetime.timedelta(days=10)
    while day < history_end:
        months.append(day)
        day += datetime.timedelta(days=30)
    bounds = [len(months) * k // CHUNKS for k in range(CHUNKS + 1)]
    todo = [
        months[bounds[k]:bounds[k + 1]] for k in range(CHUNKS) if bounds[k] < bounds[k + 1] and not Event.objects.filter(
            starts_at__gte=local_dt(months[bounds[k]], datetime.time(0)),
            starts_at__lt=local_dt(months[bounds[k + 1] - 1] + datetime.timedelta(days=21), datetime.time(0)),
        ).exists()
    ]
    if not todo:
        return
    site_id = Event.objects.exclude(site=None).values_list("site_id", flat=True).first()
    joined, members = members_by_joining()
    fake = Faker("fr_FR")
    fake.seed_instance(rng.randint(0, 10**6))
    # Participants: names from two pools of French names, an address on the demo domain; the same
    # index is the same person at every event (the impact counts people once).
    firsts = [fake.first_name() for _n in range(400)]
    lasts = [fake.last_name() for _n in range(400)]
    written = []

    def chunk(days, chunk_rng):
        def task():
            written.append(_seed_months(days, scale, site_id, joined, members, firsts, lasts, chunk_rng))
        return task

    run_parallel([chunk(days, random.Random(rng.randrange(2**32))) for days in todo])
    stdout.write(f"events: {sum(e for e, _r in written)} ESS events of history, {sum(r for _e, r in written)} registrations")


CHUNKS = 4


def _seed_months(months, scale, site_id, joined, members, firsts, lasts, rng) -> tuple[int, int]:
    now = timezone.now()
    events = []
    for day in months:
        for _ in range(3 * scale):
            kind = rng.choice(["ess_awareness", "ess_awareness", "ess_training"])
            at = local_dt(day + datetime.timedelta(days=rng.randint(0, 20)), datetime.time(rng.choice([10, 14, 18])))
            created = min(at - ANNOUNCED_BEFORE, now)
            events.append((rng.choice(TITLES[kind]), kind, at, at + datetime.timedelta(hours=rng.choice([2, 3])), site_id,
                           rng.choice([30, 40, 60]), "published", "Un temps d’échange **ouvert à toutes et à tous**.", created, created))
    ids = allocate_ids(Event, len(events))
    copy_rows(Event, ("id", "title", "kind", "starts_at", "ends_at", "site_id", "capacity", "status", "description", "created_at",
                      "updated_at"), ((event_id, *event) for event_id, event in zip(ids, events)))
    registrations = []
    for event_id, (_title, _kind, starts_at, _ends_at, _site, capacity, _status, _text, created, _u) in zip(ids, events):
        people = set()
        registered = starts_at - datetime.timedelta(days=7)
        eligible = bisect.bisect_left(joined, registered)
        for _ in range(rng.randint(int(capacity * 0.6), capacity)):
            if eligible and rng.random() < 0.2:
                member_id = members[rng.randrange(eligible)]
                key = f"member:{member_id}"
                if key not in people:
                    people.add(key)
                    registrations.append((event_id, member_id, "", "", key, "confirmed", rng.random() < 0.8, registered))
            else:
                n = rng.randint(0, 9000 * scale)
                first, last = firsts[n % len(firsts)], lasts[(n // len(firsts)) % len(lasts)]
                email = f"{search_text(first)}.{search_text(last)}.{n}@participants.demo.quai.test".replace(" ", "-").replace("'", "")
                if email not in people:
                    people.add(email)
                    registrations.append((event_id, None, f"{first} {last}", email, email, "confirmed", rng.random() < 0.8, registered))
    copy_rows(Registration, REGISTRATION_COLUMNS, registrations)
    return len(events), len(registrations)
