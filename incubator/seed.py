"""Demo incubator: the project of incube@demo.quai.test and a dozen others, coached by coach@demo.quai.test."""

import datetime
from decimal import Decimal

from incubator.models import KpiReport, MentoringSession, Milestone, Project

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
]


def seed_incubator(*, scale: int, rng, stdout) -> None:
    from members.seed import demo_user

    if Project.objects.exists():
        return
    founder = demo_user("incube@demo.quai.test")
    coach = demo_user("coach@demo.quai.test")
    today = datetime.date.today()
    projects = []
    for index in range(len(PROJECTS) * scale):
        name, sector, summary = PROJECTS[index % len(PROJECTS)]
        if index >= len(PROJECTS):
            name = f"{name} ({index // len(PROJECTS) + 1})"
        start = today - datetime.timedelta(days=rng.randint(60, 900))
        finished = index % 3 == 2
        projects.append(
            Project(
                name=name,
                sector=sector,
                summary=summary,
                stage=rng.choice(Project.Stage.values),
                status=Project.Status.GRADUATED if finished else Project.Status.ACTIVE,
                incubation_start=start,
                incubation_end=start + datetime.timedelta(days=365) if finished else None,
                coach=coach,
                fte_at_entry=Decimal(rng.choice(["0", "0.5", "1"])),
                created_on=start + datetime.timedelta(days=120) if index % 2 == 0 else None,
                creation_evidence="Immatriculation (SIRET)" if index % 2 == 0 else "",
            )
        )
    projects = Project.objects.bulk_create(projects)
    projects[0].team.add(founder)
    sessions, milestones, reports = [], [], []
    for project in projects:
        for month in range(rng.randint(2, 6)):
            sessions.append(
                MentoringSession(
                    project=project,
                    coach=coach,
                    date=project.incubation_start + datetime.timedelta(days=30 * month + 7),
                    duration_min=rng.choice([45, 60, 90]),
                    notes="Point d’étape : offre, financement, prochaines actions.",
                )
            )
        for offset, title in enumerate(["Étude de marché", "Statuts déposés", "Premier client"]):
            due = project.incubation_start + datetime.timedelta(days=90 * (offset + 1))
            milestones.append(Milestone(project=project, title=title, due_on=due, done_on=due if due < today else None))
        fte = project.fte_at_entry
        for quarter in range(1, 4):
            fte += Decimal(rng.choice(["0", "0.5", "1"]))
            reports.append(
                KpiReport(
                    project=project,
                    reported_on=project.incubation_start + datetime.timedelta(days=91 * quarter),
                    fte=fte,
                    revenue_eur=Decimal(rng.randint(0, 60)) * 1000,
                    beneficiaries=rng.randint(10, 400),
                )
            )
    MentoringSession.objects.bulk_create(sessions)
    Milestone.objects.bulk_create(milestones)
    KpiReport.objects.bulk_create(reports)
