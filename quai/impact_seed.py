"""Demo impact: the funders and their financed actions (Cerfa 15059), the indicators shown publicly,
and the snapshots computed once so the staff home has figures. Idempotent."""

import datetime

from django.utils import timezone

from quai.models import FinancedAction, Funder, IndicatorSetting, IndicatorSnapshot

PUBLIC = ["ESS-1", "PRJ-2", "MEM-1", "FAB-1", "FAB-2", "NUM-1"]
ACTIONS = [
    # (funder, kind, action, description, indicators, targets)
    ("ANCT — Fabriques de Territoire", Funder.Kind.STATE, "Fabrique de Territoire : accompagner 8 porteurs par an",
     "Parcours de 6 mois pour les porteurs de tiers-lieux du territoire.", ["FAB-1", "FAB-2", "FAB-3", "FAB-4"], {"FAB-1": 8, "FAB-2": 8}),
    ("Région Île-de-France", Funder.Kind.REGION, "Sensibiliser 10 000 personnes à l’ESS",
     "Cafés ESS, ciné-débats et formations à l’économie sociale et solidaire.", ["ESS-1", "ESS-2", "TRN-1"], {"ESS-1": 10000}),
    ("Département des Yvelines", Funder.Kind.DEPARTMENT, "Déclic Numérique : inclusion numérique",
     "Accompagnements individuels et ateliers collectifs.", ["NUM-1", "NUM-2"], {}),
    ("Fondation pour l’entrepreneuriat social", Funder.Kind.FOUNDATION, "Incubateur à impact",
     "Accompagnement de projets à impact jusqu’à leur création.", ["PRJ-1", "PRJ-2", "INC-1"], {"PRJ-2": 120}),
]


def seed_impact(*, scale: int, rng, stdout) -> None:
    year = timezone.localdate().year
    for code in PUBLIC:
        IndicatorSetting.objects.get_or_create(code=code, defaults={"is_public": True})
    for name, kind, title, description, codes, targets in ACTIONS:
        funder, _ = Funder.objects.get_or_create(name=name, defaults={"kind": kind})
        FinancedAction.objects.get_or_create(
            funder=funder, title=title,
            defaults={"description": description, "starts_on": datetime.date(year, 1, 1), "ends_on": datetime.date(year, 12, 31),
                      "indicator_codes": codes, "targets": targets,
                      "comments": "Bilan qualitatif à compléter par l’équipe avant l’envoi au financeur."},
        )
    if scale > 1:
        # Benchmark volumes: the snapshot is measured by benchmarks/test_impact.py, not paid here.
        stdout.write("impact: run `manage.py compute_impact` to compute the snapshots")
    elif not IndicatorSnapshot.objects.exists():
        from quai.impact import compute_snapshots

        count = compute_snapshots()
        stdout.write(f"impact: {count} figures computed")
