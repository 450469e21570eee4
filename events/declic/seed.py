"""Demo Déclic Numérique activities over three years: mostly individual support, some workshops."""

import datetime

from django.db import transaction

from events.declic.choices import ActivityType, PlaceType
from events.declic.models import MediationActivity, MediationParticipant
from quai.bulk import allocate_ids, copy_rows

# (commune, postal code, INSEE code) around Saint-Germain-en-Laye.
COMMUNES = [
    ("Saint-Germain-en-Laye", "78100", "78551"), ("Le Pecq", "78230", "78481"), ("Poissy", "78300", "78498"),
    ("Chambourcy", "78240", "78133"), ("Mareil-Marly", "78750", "78367"), ("Marly-le-Roi", "78160", "78372"),
    ("Achères", "78260", "78005"), ("Carrières-sur-Seine", "78420", "78124"),
]
# What people come for at the desk, roughly as often as they do.
INDIVIDUAL_THEMES = (
    ["aide_aux_demarches_administratives"] * 5 + ["email"] * 4 + ["prendre_en_main_du_materiel"] * 4
    + ["securite_numerique"] * 2 + ["sante", "banque_et_achats_en_ligne", "social_sante", "argent_impots",
                                     "papiers_elections_citoyennete", "logement", "navigation_sur_internet", "bureautique"]
)
WORKSHOPS = [
    ("Premiers pas sur smartphone", ["prendre_en_main_du_materiel"], "debutant", ["telephone"]),
    ("Mes démarches en ligne", ["aide_aux_demarches_administratives", "papiers_elections_citoyennete"], "debutant", ["ordinateur"]),
    ("Déjouer les arnaques en ligne", ["securite_numerique"], "intermediaire", ["telephone", "ordinateur"]),
    ("Mails et pièces jointes", ["email"], "debutant", ["ordinateur"]),
    ("Découvrir l’intelligence artificielle", ["intelligence_artificielle", "culture_numerique"], "intermediaire", ["ordinateur"]),
    ("Mon espace santé", ["sante"], "debutant", ["tablette"]),
]
INDIVIDUAL_AGES = ["soixante_dix_plus"] * 4 + ["soixante_soixante_neuf"] * 3 + ["quarante_cinquante_neuf"] * 2 + [
    "vingt_cinq_trente_neuf", "dix_huit_vingt_quatre", "non_communique"]
STATUSES = ["retraite"] * 5 + ["sans_emploi"] * 2 + ["en_emploi", "scolarise", "non_communique"]
GENDERS = ["feminin"] * 6 + ["masculin"] * 4 + ["non_communique"]


def seed_mediation(*, scale: int, rng, today: datetime.date, created_by_id=None) -> int:
    """Create about 1 500 × scale activities over the last three years; return the number of participants."""
    if MediationActivity.objects.exists():
        return 0
    activities, profiles = [], []
    for _n in range(1500 * scale):
        day = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
        if day.weekday() == 6:  # the desk is closed on Sundays: that session was on the Saturday
            day -= datetime.timedelta(days=1)
        if rng.random() < 0.85:
            commune = rng.choice(COMMUNES)
            place = rng.choice([PlaceType.LIEU_ACTIVITE] * 8 + [PlaceType.DOMICILE, PlaceType.A_DISTANCE])
            themes = sorted(set(rng.sample(INDIVIDUAL_THEMES, rng.randint(1, 2))))
            redirected = rng.random() < 0.12
            activities.append(MediationActivity(
                type=ActivityType.INDIVIDUEL, date=day, duree=rng.choice([15, 30, 30, 45, 45, 60, 60, 90]), type_lieu=place,
                lieu_commune=commune[0] if place == PlaceType.DOMICILE else "",
                lieu_code_postal=commune[1] if place == PlaceType.DOMICILE else "",
                lieu_code_insee=commune[2] if place == PlaceType.DOMICILE else "",
                materiel=[rng.choice(["telephone", "telephone", "ordinateur", "tablette"])], thematiques=themes,
                precisions_demarche=rng.choice(["Demande de carte grise", "Dossier retraite", "Prime d’activité", "Déclaration d’impôts"])
                if "aide_aux_demarches_administratives" in themes else "",
                autonomie=rng.choice(["entierement_accompagne", "entierement_accompagne", "partiellement_autonome", "autonome"]),
                oriente_vers_structure=redirected,
                structure_de_redirection=rng.choice(["aide_aux_demarches_administratives", "administration", "aide_sociale"]) if redirected else "",
                created_by_id=created_by_id,
            ))
            profiles.append([dict(
                genre=rng.choice(GENDERS), tranche_age=rng.choice(INDIVIDUAL_AGES), statut_social=rng.choice(STATUSES),
                commune=commune[0], code_postal=commune[1], code_insee=commune[2], first_time=rng.random() < 0.4,
            )])
        else:
            title, themes, level, equipment = rng.choice(WORKSHOPS)
            activities.append(MediationActivity(
                type=ActivityType.COLLECTIF, date=day, duree=rng.choice([90, 120, 120, 150]), type_lieu=PlaceType.LIEU_ACTIVITE,
                materiel=equipment, thematiques=themes, titre_atelier=title, niveau_atelier=level, created_by_id=created_by_id,
            ))
            known = [dict(
                genre=rng.choice(GENDERS), tranche_age=rng.choice(INDIVIDUAL_AGES), statut_social=rng.choice(STATUSES),
                commune=c[0], code_postal=c[1], code_insee=c[2], first_time=rng.random() < 0.3,
            ) for c in (rng.choice(COMMUNES) for _k in range(rng.randint(0, 3)))]
            counted = [dict(anonymous=True, genre=rng.choice(GENDERS + ["non_communique"] * 3),
                            tranche_age=rng.choice(INDIVIDUAL_AGES + ["non_communique"] * 3))
                       for _k in range(rng.randint(1 if known else 3, 10))]
            profiles.append(known + counted)
    # One transaction: the database checks at commit that every activity has its participants.
    # COPY (quai.bulk): 150 000 activities and 500 000 participants at --scale 100.
    with transaction.atomic():
        ids = allocate_ids(MediationActivity, len(activities))
        columns = list(ACTIVITY_FIELDS)
        copy_rows(MediationActivity, ["id", *columns],
                  ((activity_id, *(getattr(activity, field) for field in columns)) for activity_id, activity in zip(ids, activities)))
        participants = (
            (activity_id, activity.type, position, *(profile.get(field, default) for field, default in PARTICIPANT_FIELDS))
            for activity_id, activity, rows in zip(ids, activities, profiles, strict=True)
            for position, profile in enumerate(rows, start=1)
        )
        written = copy_rows(MediationParticipant, ["activity_id", "activity_type", "position", *(f for f, _d in PARTICIPANT_FIELDS)],
                            participants)
    return written


ACTIVITY_FIELDS = (
    "type", "date", "duree", "type_lieu", "lieu_commune", "lieu_code_postal", "lieu_code_insee", "materiel", "thematiques",
    "precisions_demarche", "autonomie", "titre_atelier", "niveau_atelier", "oriente_vers_structure", "structure_de_redirection",
    "created_by_id",
)
# What a participant row holds besides its activity; a field a profile leaves out gets the model default.
PARTICIPANT_FIELDS = tuple(
    (name, MediationParticipant._meta.get_field(name).get_default())
    for name in ("anonymous", "genre", "tranche_age", "statut_social", "commune", "code_postal", "code_insee", "first_time")
)
