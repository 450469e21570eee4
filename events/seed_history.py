"""Demo history for the impact trends: ESS events from the programme start up to where events/seed.py begins.

Its own module (registered after events.demo) so the main events seed stays as it is. Bulk inserts;
idempotent (does nothing when events that old already exist).
"""

import datetime

from django.conf import settings
from django.utils import timezone

from coworking.time import PARIS, local_dt
from events.models import Event, Registration
from members.models import User

TITLES = {
    "ess_awareness": ["Qu’est-ce que l’ESS ?", "Café ESS : consommer autrement", "Fresque de l’économie circulaire"],
    "ess_training": ["Créer une association employeuse", "Monter une SCIC", "Mesurer son impact social"],
}


def seed_event_history(*, scale: int, rng, stdout) -> None:
    today = timezone.localdate(timezone.now(), PARIS)
    history_end = today - datetime.timedelta(days=720)  # events/seed.py starts 700 days back
    start = settings.QUAI_PROGRAMME_START
    if start >= history_end or Event.objects.filter(starts_at__lt=local_dt(history_end, datetime.time(0))).exists():
        return
    site_id = Event.objects.exclude(site=None).values_list("site_id", flat=True).first()
    members = list(User.objects.order_by("pk").values_list("pk", flat=True)[:600])
    events = []
    day = start + datetime.timedelta(days=10)
    while day < history_end:
        for _ in range(3 * scale):
            kind = rng.choice(["ess_awareness", "ess_awareness", "ess_training"])
            at = local_dt(day + datetime.timedelta(days=rng.randint(0, 20)), datetime.time(rng.choice([10, 14, 18])))
            events.append(Event(title=rng.choice(TITLES[kind]), kind=kind, starts_at=at, ends_at=at + datetime.timedelta(hours=rng.choice([2, 3])),
                                site_id=site_id, capacity=rng.choice([30, 40, 60]), status="published",
                                description="Un temps d’échange **ouvert à toutes et à tous**."))
        day += datetime.timedelta(days=30)
    events = Event.objects.bulk_create(events)
    registrations = []
    for event in events:
        people = set()
        for _ in range(rng.randint(int(event.capacity * 0.6), event.capacity)):
            if members and rng.random() < 0.2:
                member_id = rng.choice(members)
                key = f"member:{member_id}"
                if key not in people:
                    people.add(key)
                    registrations.append(Registration(event=event, member_id=member_id, person_key=key, status="confirmed",
                                                      attended=rng.random() < 0.8, created_at=event.starts_at - datetime.timedelta(days=7)))
            else:
                email = f"participant{rng.randint(0, 9000 * scale)}@exemple.fr"
                if email not in people:
                    people.add(email)
                    registrations.append(Registration(event=event, guest_email=email, guest_name="Participant", person_key=email,
                                                      status="confirmed", attended=rng.random() < 0.8,
                                                      created_at=event.starts_at - datetime.timedelta(days=7)))
    Registration.objects.bulk_create(registrations, batch_size=5000)
    stdout.write(f"events: {len(events)} ESS events of history, {len(registrations)} registrations")
