"""Demo incubator: four years of calls, scored applications and about 25 projects (× scale), some
created (with their evidence) and graduated, with mentoring history, milestones and quarterly figures.

incube@demo.quai.test founds the most recent active project, coached by coach@demo.quai.test; one
call is open today. Bulk inserts only; idempotent (nothing is added when projects exist).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from incubator.models import (
    Application, Call, Criterion, KpiReport, MentoringSession, Milestone, Project, Review, ReviewScore, TeamMember,
)

PROJECTS = [
    ("La Recyclerie du Val de Seine", "Réemploi", "Ressourcerie et atelier de réparation"),
    ("Vélos Solidaires 78", "Mobilité", "Atelier vélo participatif et insertion"),
    ("Les Paniers de Marly", "Alimentation", "Épicerie solidaire en circuit court"),
    ("Numérique pour Tous", "Inclusion numérique", "Reconditionnement d’ordinateurs pour les familles"),
    ("Tiers-lieu des Mureaux", "Tiers-lieu", "Café associatif et ateliers partagés"),
    ("Coop’Éco Habitat", "Habitat", "Rénovation énergétique accompagnée"),
    ("Les Jardins de Poissy", "Agriculture urbaine", "Jardins partagés et maraîchage pédagogique"),
    ("Entr’Aide Seniors", "Lien social", "Visites et services aux personnes âgées isolées"),
    ("Ressources Textiles", "Mode durable", "Collecte et upcycling textile"),
    ("Culture en Partage", "Culture", "Résidences d’artistes en quartier prioritaire"),
    ("Énergie Citoyenne Yvelines", "Énergie", "Centrale solaire citoyenne"),
    ("Repair Café Saint-Germain", "Réemploi", "Réparation bénévole d’objets du quotidien"),
    ("La Conserverie Solidaire", "Alimentation", "Conserves à partir d’invendus maraîchers"),
    ("Mobil’Emploi", "Mobilité", "Location de scooters pour les personnes en insertion"),
    ("Le Labo des Parents", "Parentalité", "Ateliers et garde partagée en quartier"),
    ("Bois & Compagnie", "Réemploi", "Menuiserie de réemploi et chantiers d’insertion"),
    ("Cuisine Nomade", "Alimentation", "Traiteur d’insertion et cuisine du monde"),
    ("L’Atelier du Son", "Culture", "Studio d’enregistrement associatif pour les jeunes"),
    ("Santé en Commun", "Santé", "Maison de santé participative"),
    ("Les Petites Pousses", "Éducation", "Micro-crèche à pédagogie nature"),
    ("Compost’Ville", "Environnement", "Collecte de biodéchets à vélo"),
    ("Logis Partagé", "Habitat", "Colocations intergénérationnelles"),
    ("Le Fil d’Ariane", "Lien social", "Accompagnement administratif de proximité"),
    ("Sport pour Elles", "Sport", "Activités sportives pour les femmes des quartiers"),
    ("La Fabrique à Jouets", "Réemploi", "Jouets remis en état et vendus à prix solidaire"),
]

QUESTIONS = [
    "À quel besoin du territoire votre projet répond-il ?",
    "Qui compose l’équipe, et quel temps y consacre-t-elle ?",
    "Qu’attendez-vous de l’incubateur ?",
]
RUBRIC = [("Impact social et territorial", 3), ("Solidité de l’équipe", 2), ("Modèle économique", 2), ("Adéquation avec l’incubateur", 1)]
MILESTONES = ["Étude de marché", "Statuts déposés", "Premier client", "Premier salarié"]
EVIDENCE = {
    Project.CreationKind.LEGAL: "Immatriculation SIRET {siret}",
    Project.CreationKind.FIRST_REVENUE: "Première facture n° {n:04d}",
    Project.CreationKind.PLACE_OPENED: "Ouverture au public, procès-verbal de la commission de sécurité",
}
PLANNED_PLACES = ["la Ruche Saint-Germain, salle Cèdre", "la Ruche Saint-Germain, salle Tilleul",
                  "https://visio.demo.quai.test/mentorat"]
SESSION_NOTES = [
    ("Point sur l’offre et les premiers clients ; la cible est encore large.", "Choisir deux segments et les tester"),
    ("Revue du prévisionnel : charges sous-estimées.", "Refaire le prévisionnel avec les loyers réels"),
    ("Préparation du dossier de subvention régionale.", "Envoyer le dossier avant la fin du mois"),
    ("Gouvernance : statut associatif ou SCIC ?", "Rencontrer l’URSCOP"),
    ("Recrutement du premier salarié en contrat aidé.", "Rédiger la fiche de poste"),
    ("Bilan du trimestre : objectifs atteints, trésorerie tendue.", "Relancer les factures impayées"),
]


def _report_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The 15th day of each quarter from `start` to `end` (teams report early in the quarter)."""
    days, year, quarter = [], start.year, (start.month - 1) // 3 + 1
    while True:
        day = datetime.date(year, 3 * quarter - 2, 15)
        if day > end:
            return days
        if day >= start:
            days.append(day)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def _committee():
    """staff@demo and two committee members (staff accounts with the demo TOTP, like every demo staff)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from members.models import User
    from members.seed import DEMO_TOTP_SECRET, demo_user

    reviewers = [demo_user("staff@demo.quai.test")]
    for email, first, last in (("comite.incubateur@demo.quai.test", "Hélène", "Marchand"),
                               ("jury.incubateur@demo.quai.test", "Paul", "Lefebvre")):
        user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last,
                                                                         "is_staff": True})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        reviewers.append(user)
    return reviewers


def seed_incubator(*, scale: int, rng, stdout) -> None:
    from coworking.models import Plan, Subscription
    from coworking.services import INCUBATED_PLAN_HORIZON
    from members.models import User
    from members.seed import demo_user, memberships_ensure

    if Project.objects.exists():
        return
    today = timezone.localdate()
    founder = demo_user("incube@demo.quai.test")
    coach = demo_user("coach@demo.quai.test")
    reviewers = _committee()
    pool = list(User.objects.filter(email__endswith="@adherents.demo.quai.test").order_by("pk")[: 200 * scale])
    rng.shuffle(pool)
    coaches = [coach] + pool[:2]
    people = iter(pool[2:])

    # Two calls a year (spring, autumn) over the last four years, and one open today.
    calls = []
    for year in range(today.year - 4, today.year + 1):
        for month in (3, 9):
            opens = datetime.date(year, month, 1)
            if opens < today.replace(year=today.year - 4) or opens + datetime.timedelta(days=45 + 60) > today:
                continue
            calls.append(Call(title=f"Appel à candidatures {'printemps' if month == 3 else 'automne'} {year}", opens_on=opens,
                              closes_on=opens + datetime.timedelta(days=45), questions=QUESTIONS,
                              description="Projets à impact social et environnemental du territoire de la Boucle de Seine."))
    past = len(calls)
    calls.append(Call(title=f"Appel à candidatures {today.year + 1}", opens_on=today - datetime.timedelta(days=14),
                      closes_on=today + datetime.timedelta(days=31),
                      description="Vous portez un projet à impact dans les Yvelines ? Candidatez avant la clôture.",
                      questions=QUESTIONS))
    calls = Call.objects.bulk_create(calls)
    criteria = Criterion.objects.bulk_create(
        Criterion(call=call, label=label, weight=weight, order=order)
        for call in calls for order, (label, weight) in enumerate(RUBRIC)
    )
    criteria_by_call = {}
    for criterion in criteria:
        criteria_by_call.setdefault(criterion.call_id, []).append(criterion)

    # Projects: spread over the past calls (the latest brings the newest, incube@demo's included).
    total = len(PROJECTS) * scale
    projects, applications, founders = [], [], []
    for index in range(total):
        name, sector, summary = PROJECTS[index % len(PROJECTS)]
        if index >= len(PROJECTS):
            name = f"{name} ({index // len(PROJECTS) + 1})"
        call = calls[past - 1 - index % past]  # index 0 → the latest past call
        start = call.closes_on + datetime.timedelta(days=30 + rng.randint(0, 20))
        age = (today - start).days
        if index == 0 or age < 600:
            status, end = Project.Status.ACTIVE, None
        else:
            status = Project.Status.STOPPED if index % 5 == 3 else Project.Status.GRADUATED
            end = start + datetime.timedelta(days=rng.randint(365, 540))
        stage = Project.Stage.IDEA if age < 200 else Project.Stage.PROTOTYPE if age < 450 else Project.Stage.LAUNCHED
        person = founder if index == 0 else next(people)
        created_on, kind, evidence = None, "", ""
        if status == Project.Status.GRADUATED or (status == Project.Status.ACTIVE and age > 300 and index % 2 == 0):
            kind = rng.choice(list(Project.CreationKind))
            created_on = start + datetime.timedelta(days=rng.randint(90, 300))
            evidence = EVIDENCE[kind].format(siret=f"{rng.randint(10**8, 10**9 - 1)} 000{rng.randint(10, 99)}", n=rng.randint(1, 40))
        application = Application(call=call, applicant=person, project_name=name, summary=summary,
                                  answers=[summary, "Deux personnes à temps plein", "Un accompagnement et un réseau"],
                                  status=Application.Status.ACCEPTED,
                                  submitted_at=datetime.datetime.combine(call.opens_on + datetime.timedelta(days=10), datetime.time(10),
                                                                         tzinfo=datetime.timezone.utc),
                                  decided_at=datetime.datetime.combine(call.closes_on + datetime.timedelta(days=15), datetime.time(17),
                                                                       tzinfo=datetime.timezone.utc))
        applications.append(application)
        projects.append(Project(name=name, sector=sector, summary=summary, stage=stage, status=status, incubation_start=start,
                                incubation_end=end, coach=coaches[index % len(coaches)],
                                fte_at_entry=Decimal(rng.choice(["0", "0.5", "1"])), created_on=created_on,
                                creation_kind=kind, creation_evidence=evidence))
        founders.append(person)
    # Applications not accepted (waiting list, rejected, withdrawn) and those to the open call.
    others = []
    for call in calls:
        for n in range(6 if call is calls[-1] else 4):
            person = next(people)
            status = (Application.Status.SUBMITTED if call is calls[-1]
                      else [Application.Status.REJECTED, Application.Status.WAITLISTED, Application.Status.REJECTED,
                            Application.Status.WITHDRAWN][n])
            name, _sector, summary = PROJECTS[(n * 7 + call.pk) % len(PROJECTS)]
            others.append(Application(call=call, applicant=person, project_name=f"{name.split(' ')[0]} {person.last_name}",
                                      summary=summary, answers=[summary, "Une personne bénévole", "Structurer le projet"],
                                      status=status,
                                      submitted_at=datetime.datetime.combine(min(call.opens_on + datetime.timedelta(days=5 + n), today),
                                                                             datetime.time(9), tzinfo=datetime.timezone.utc)))
    Application.objects.bulk_create(applications + others)
    for project, application in zip(projects, applications):
        project.application = application
    projects = Project.objects.bulk_create(projects)

    # Reviews: three reviewers per application sent (the open call: one review so far).
    reviews, review_scores = [], []
    for application in applications + others:
        if application.status == Application.Status.WITHDRAWN:
            continue
        crits = criteria_by_call[application.call_id]
        bias = 1 if application.status == Application.Status.ACCEPTED else 0
        for reviewer in reviewers[: 1 if application.status == Application.Status.SUBMITTED else 3]:
            scores = [min(5, max(0, rng.randint(2, 4) + bias - (application.status == "rejected"))) for _c in crits]
            weighted = (Decimal(sum(s * c.weight for s, c in zip(scores, crits))) / sum(c.weight for c in crits)).quantize(Decimal("0.01"))
            review = Review(application=application, reviewer=reviewer, round=1, weighted_score=weighted,
                            comment=rng.choice(["Projet solide, équipe engagée.", "Modèle économique à préciser.",
                                                "Fort ancrage local.", "Besoin réel, équipe encore fragile."]))
            reviews.append((review, list(zip(crits, scores))))
    Review.objects.bulk_create([review for review, _scores in reviews])
    for review, pairs in reviews:
        review_scores.extend(ReviewScore(review=review, criterion=c, score=s) for c, s in pairs)
    ReviewScore.objects.bulk_create(review_scores, batch_size=5000)

    # Teams, incubated plans, sessions, milestones, figures.
    memberships, subscriptions, sessions, milestones, reports = [], [], [], [], []
    plan, _created = Plan.objects.get_or_create(kind=Plan.Kind.INCUBATED, defaults={"name": "Incubé (inclus)", "credits": None})
    has_plan = set(Subscription.objects.filter(plan=plan, ends_on__gte=today).values_list("member_id", flat=True))
    planned_until: dict[int, datetime.date] = {}  # coach → their last planned session
    for index, (project, person) in enumerate(zip(projects, founders)):
        memberships.append(TeamMember(project=project, member=person, role=TeamMember.Role.FOUNDER))
        for _extra in range(index % 3):
            memberships.append(TeamMember(project=project, member=next(people), role=TeamMember.Role.ASSOCIATE))
        if project.status == Project.Status.ACTIVE and person.pk not in has_plan:
            subscriptions.append(Subscription(member=person, plan=plan, starts_on=project.incubation_start,
                                              ends_on=project.incubation_start + INCUBATED_PLAN_HORIZON))
            has_plan.add(person.pk)
        last_day = project.incubation_end or today
        # Some active projects are left without a recent session or this quarter's report (pipeline alerts).
        quiet = project.status == Project.Status.ACTIVE and index % 4 == 1
        day = project.incubation_start + datetime.timedelta(days=7)
        n = 0
        while day <= last_day - datetime.timedelta(days=75 if quiet else 0):
            notes, actions = SESSION_NOTES[(index + n) % len(SESSION_NOTES)]
            sessions.append(MentoringSession(project=project, coach=project.coach, date=day, duration_min=rng.choice([45, 60, 90]),
                                             notes=notes, next_actions=actions))
            day += datetime.timedelta(days=rng.randint(21, 40))
            n += 1
        if project.status == Project.Status.ACTIVE and not quiet:
            # The next session is planned: a weekday within two weeks, with its time and place.
            planned = today + datetime.timedelta(days=rng.randint(2, 14))
            while planned.weekday() >= 5:
                planned += datetime.timedelta(days=1)
            sessions.append(MentoringSession(
                project=project, coach=project.coach, date=planned, start_time=datetime.time(rng.choice([10, 14, 17])),
                duration_min=60, location=rng.choice(PLANNED_PLACES), notes="", next_actions=""))
            planned_until[project.coach_id] = max(planned, planned_until.get(project.coach_id, planned))
        for offset, title in enumerate(MILESTONES):
            due = project.incubation_start + datetime.timedelta(days=90 * (offset + 1))
            done = due if due < today - datetime.timedelta(days=20) and (offset < 3 or project.created_on) else None
            milestones.append(Milestone(project=project, title=title, due_on=due, done_on=done))
        fte, revenue, beneficiaries, funding = project.fte_at_entry, Decimal("0"), 0, Decimal("0")
        quarter_ends = _report_days(project.incubation_start, last_day)
        if quiet and quarter_ends and quarter_ends[-1] >= today - datetime.timedelta(days=80):
            quarter_ends = quarter_ends[:-1]
        for report_day in quarter_ends:
            fte += Decimal(rng.choice(["0", "0", "0.5", "1"]))
            revenue += Decimal(rng.randint(0, 25)) * 1000
            beneficiaries += rng.randint(10, 120)
            funding = Decimal(rng.choice([0, 0, 5000, 10000, 30000]))
            reports.append(KpiReport(project=project, reported_on=report_day, fte=fte, revenue_eur=revenue,
                                     beneficiaries=beneficiaries, funding_eur=funding))
    TeamMember.objects.bulk_create(memberships, batch_size=5000)
    Subscription.objects.bulk_create(subscriptions, batch_size=5000)
    MentoringSession.objects.bulk_create(sessions, batch_size=5000)
    Milestone.objects.bulk_create(milestones, batch_size=5000)
    KpiReport.objects.bulk_create(reports, batch_size=5000)
    # Founders, their associates and the coaches are adhérents on every day they are active here.
    spans = [(m.member_id, m.project.incubation_start, min(m.project.incubation_end or today, today)) for m in memberships]
    coached_since = {}
    for project in projects:
        coached_since[project.coach_id] = min(project.incubation_start, coached_since.get(project.coach_id, project.incubation_start))
    memberships_ensure(spans=spans + [(coach_id, since, max(today, planned_until.get(coach_id, today)))
                                      for coach_id, since in coached_since.items()])
    if stdout is not None:
        stdout.write(f"incubator: {len(calls)} calls, {len(applications) + len(others)} applications, "
                     f"{len(projects)} projects, {len(sessions)} sessions, {len(reports)} KPI reports\n")
