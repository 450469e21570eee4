"""Demo events: two years (≈ 300 events), ≈ 10 000 registrations with attendance, ≈ 1 500 Déclic sessions."""

import datetime

from django.utils import timezone
from faker import Faker

from coworking.models import Site
from coworking.time import PARIS, local_dt
from events.declic.seed import seed_mediation
from events.models import Event, Registration
from members.models import User

TITLES = {
    "ess_awareness": ["Qu’est-ce que l’ESS ?", "Café ESS : consommer autrement", "Ciné-débat : l’économie solidaire", "Fresque de l’économie circulaire"],
    "ess_training": ["Créer une association employeuse", "Monter une SCIC", "Financer son projet ESS", "Mesurer son impact social"],
    "digital_workshop": ["Déclic : premiers pas sur smartphone", "Déclic : mes démarches en ligne", "Déclic : sécurité numérique", "Déclic : mails et pièces jointes"],
    "networking": ["Afterwork de la Ruche", "Petit-déjeuner des entrepreneurs", "Apéro des adhérents"],
    "other": ["Assemblée générale", "Portes ouvertes du Quai"],
}
THEMES = ["économie circulaire", "emploi", "alimentation", "numérique", "mobilité", "gouvernance", "financement"]


def seed_events(*, scale: int, rng, stdout) -> None:
    if Event.objects.exists():
        return
    fake = Faker("fr_FR")
    fake.seed_instance(rng.randint(0, 10**6))
    site = Site.objects.order_by("pk").first()
    now = timezone.now()
    today = timezone.localdate(now, PARIS)
    members = list(User.objects.order_by("pk").values_list("pk", flat=True)[:400])
    guests = [(fake.name(), f"invite{n}@exemple.fr") for n in range(3000)]
    kinds = ["ess_awareness"] * 4 + ["ess_training"] * 2 + ["digital_workshop"] * 3 + ["networking"] * 2 + ["other"]
    events = []
    for n in range(300 * scale):
        day = today - datetime.timedelta(days=700) + datetime.timedelta(days=int(n * 760 / (300 * scale)))
        kind = rng.choice(kinds)
        start = local_dt(day, datetime.time(rng.choice([10, 14, 18])))
        events.append(Event(
            title=rng.choice(TITLES[kind]), kind=kind, description="Un temps d’échange **ouvert à toutes et à tous**.",
            themes=rng.sample(THEMES, 2), starts_at=start, ends_at=start + datetime.timedelta(hours=2), site=site,
            capacity=rng.choice([20, 30, 40, 60, 80]), is_public=kind != "other", status="published",
        ))
    events = Event.objects.bulk_create(events)
    registrations = []
    for event in events:
        past = event.ends_at < now
        count = rng.randint(int(event.capacity * 0.7), event.capacity)
        people = set()
        for _ in range(count):
            if members and rng.random() < 0.35:
                member_id = rng.choice(members)
                key = f"member:{member_id}"
                if key in people:
                    continue
                people.add(key)
                registrations.append(Registration(event=event, member_id=member_id, person_key=key, status="confirmed",
                                                  attended=(rng.random() < 0.8) if past else None))
            else:
                name, email = rng.choice(guests)
                if email in people:
                    continue
                people.add(email)
                registrations.append(Registration(event=event, guest_name=name, guest_email=email, person_key=email,
                                                  status="confirmed", attended=(rng.random() < 0.75) if past else None))
    Registration.objects.bulk_create(registrations, batch_size=5000)
    seed_mediation(scale=scale, rng=rng, today=today)
