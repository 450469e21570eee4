"""National codes and labels of a digital-mediation record (DOMAIN.md §2).

Each TextChoices keeps the national API code as its value and an English source label, translated
in the French catalogue to the national label. The export and the API use the codes and
`NATIONAL_LABELS` (French, exact), never the interface language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityType(models.TextChoices):
    INDIVIDUEL = "individuel", _("Individual support")
    COLLECTIF = "collectif", _("Group workshop")


class PlaceType(models.TextChoices):
    LIEU_ACTIVITE = "lieu_activite", _("Place of activity")
    DOMICILE = "domicile", _("At home")
    A_DISTANCE = "a_distance", _("Remote")
    AUTRE = "autre", _("Other place")


class Equipment(models.TextChoices):
    ORDINATEUR = "ordinateur", _("Computer")
    TELEPHONE = "telephone", _("Phone")
    TABLETTE = "tablette", _("Tablet")
    AUTRE = "autre", _("Other")
    AUCUN = "aucun", _("No equipment")


class Theme(models.TextChoices):
    DIAGNOSTIC_NUMERIQUE = "diagnostic_numerique", _("Digital diagnosis")
    PRENDRE_EN_MAIN_DU_MATERIEL = "prendre_en_main_du_materiel", _("Getting started with a device")
    MAINTENANCE_DE_MATERIEL = "maintenance_de_materiel", _("Device maintenance")
    GERE_SES_CONTENUS_NUMERIQUES = "gere_ses_contenus_numeriques", _("Managing one's digital contents")
    NAVIGATION_SUR_INTERNET = "navigation_sur_internet", _("Browsing the internet")
    EMAIL = "email", _("E-mail")
    BUREAUTIQUE = "bureautique", _("Office software")
    RESEAUX_SOCIAUX = "reseaux_sociaux", _("Social networks, communication")
    SANTE = "sante", _("Health")
    BANQUE_ET_ACHATS_EN_LIGNE = "banque_et_achats_en_ligne", _("Banking and online shopping")
    ENTREPRENEURIAT = "entrepreneuriat", _("Supporting a professional")
    INSERTION_PROFESSIONNELLE = "insertion_professionnelle", _("Employment and job seeking")
    SECURITE_NUMERIQUE = "securite_numerique", _("Digital security prevention")
    PARENTALITE = "parentalite", _("Parenting")
    SCOLARITE_ET_NUMERIQUE = "scolarite_et_numerique", _("School and digital")
    CREER_AVEC_LE_NUMERIQUE = "creer_avec_le_numerique", _("Creating with digital tools")
    CULTURE_NUMERIQUE = "culture_numerique", _("Digital culture")
    INTELLIGENCE_ARTIFICIELLE = "intelligence_artificielle", _("Artificial intelligence (AI)")
    AIDE_AUX_DEMARCHES_ADMINISTRATIVES = "aide_aux_demarches_administratives", _("Help with administrative procedures")
    # Administrative procedures, by domain.
    PAPIERS_ELECTIONS_CITOYENNETE = "papiers_elections_citoyennete", _("Papers - Elections - Citizenship")
    FAMILLE_SCOLARITE = "famille_scolarite", _("Family - Schooling")
    SOCIAL_SANTE = "social_sante", _("Social - Health")
    TRAVAIL_FORMATION = "travail_formation", _("Work - Training - Business")
    LOGEMENT = "logement", _("Housing")
    TRANSPORTS_MOBILITE = "transports_mobilite", _("Transport - Mobility")
    ARGENT_IMPOTS = "argent_impots", _("Money - Taxes")
    JUSTICE = "justice", _("Justice")
    ETRANGERS_EUROPE = "etrangers_europe", _("Foreigners - Europe")
    LOISIRS_SPORTS_CULTURE = "loisirs_sports_culture", _("Leisure - Sports - Culture")
    ASSOCIATIONS = "associations", _("Associations")


ADMINISTRATIVE_THEMES = (
    Theme.PAPIERS_ELECTIONS_CITOYENNETE, Theme.FAMILLE_SCOLARITE, Theme.SOCIAL_SANTE, Theme.TRAVAIL_FORMATION,
    Theme.LOGEMENT, Theme.TRANSPORTS_MOBILITE, Theme.ARGENT_IMPOTS, Theme.JUSTICE, Theme.ETRANGERS_EUROPE,
    Theme.LOISIRS_SPORTS_CULTURE, Theme.ASSOCIATIONS,
)


class Autonomy(models.TextChoices):
    ENTIEREMENT_ACCOMPAGNE = "entierement_accompagne", _("With guidance")
    PARTIELLEMENT_AUTONOME = "partiellement_autonome", _("Autonomous with guidance when needed")
    AUTONOME = "autonome", _("Autonomous")


class WorkshopLevel(models.TextChoices):
    DEBUTANT = "debutant", _("Beginner")
    INTERMEDIAIRE = "intermediaire", _("Intermediate")
    AVANCE = "avance", _("Advanced")


class Redirection(models.TextChoices):
    OPERATEUR_OU_ORGANISME_EN_CHARGE = "operateur_ou_organisme_en_charge", _("Operator or body in charge of the administrative procedure")
    AIDE_AUX_DEMARCHES_ADMINISTRATIVES = "aide_aux_demarches_administratives", _("Administrative help desk (France Services…)")
    ADMINISTRATION = "administration", _("Administration (town hall, prefecture…)")
    MEDIATION_NUMERIQUE = "mediation_numerique", _("Another digital-mediation organisation")
    AIDE_SOCIALE = "aide_sociale", _("Social-support organisation (maison des solidarités, social centre…)")
    INSERTION_PROFESSIONNELLE = "insertion_professionnelle", _("Employment-support organisation (France Travail, mission locale, chamber of commerce…)")
    AUTRE = "autre", _("Other")


class Gender(models.TextChoices):
    MASCULIN = "masculin", _("Male")
    FEMININ = "feminin", _("Female")
    NON_COMMUNIQUE = "non_communique", _("Not given")


class AgeBand(models.TextChoices):
    MOINS_DE_DOUZE = "moins_de_douze", _("Under 12")
    DOUZE_DIX_HUIT = "douze_dix_huit", _("12 - 17 years")
    DIX_HUIT_VINGT_QUATRE = "dix_huit_vingt_quatre", _("18 - 24 years")
    VINGT_CINQ_TRENTE_NEUF = "vingt_cinq_trente_neuf", _("25 - 39 years")
    QUARANTE_CINQUANTE_NEUF = "quarante_cinquante_neuf", _("40 - 59 years")
    SOIXANTE_SOIXANTE_NEUF = "soixante_soixante_neuf", _("60 - 69 years")
    SOIXANTE_DIX_PLUS = "soixante_dix_plus", _("70 and over")
    NON_COMMUNIQUE = "non_communique", _("Not given")


class SocialStatus(models.TextChoices):
    SCOLARISE = "scolarise", _("In education")
    SANS_EMPLOI = "sans_emploi", _("Unemployed")
    EN_EMPLOI = "en_emploi", _("Employed")
    RETRAITE = "retraite", _("Retired")
    NON_COMMUNIQUE = "non_communique", _("Not given or mixed")


DURATION_PRESETS = (15, 30, 45, 60, 90, 120)

# The national French labels, exact (DOMAIN.md §2), for the export whatever the interface language.
NATIONAL_LABELS: dict[type[models.TextChoices], dict[str, str]] = {
    ActivityType: {"individuel": "Accompagnement individuel", "collectif": "Atelier collectif"},
    PlaceType: {"lieu_activite": "Lieu d'activité", "domicile": "À domicile", "a_distance": "À distance", "autre": "Autre lieu"},
    Equipment: {"ordinateur": "Ordinateur", "telephone": "Téléphone", "tablette": "Tablette", "autre": "Autre", "aucun": "Pas de matériel"},
    Theme: {
        "diagnostic_numerique": "Diagnostic numérique",
        "prendre_en_main_du_materiel": "Prendre en main du matériel",
        "maintenance_de_materiel": "Maintenance de matériel",
        "gere_ses_contenus_numeriques": "Gérer ses contenus numériques",
        "navigation_sur_internet": "Navigation sur internet",
        "email": "E-mail",
        "bureautique": "Bureautique",
        "reseaux_sociaux": "Réseaux sociaux communication",
        "sante": "Santé",
        "banque_et_achats_en_ligne": "Banque et achats en ligne",
        "entrepreneuriat": "Accompagner un professionnel",
        "insertion_professionnelle": "Insertion professionnelle",
        "securite_numerique": "Prévention en sécurité numérique",
        "parentalite": "Parentalité",
        "scolarite_et_numerique": "Scolarité et numérique",
        "creer_avec_le_numerique": "Créer avec le numérique",
        "culture_numerique": "Culture numérique",
        "intelligence_artificielle": "Intelligence artificielle (IA)",
        "aide_aux_demarches_administratives": "Aide aux démarches administratives",
        "papiers_elections_citoyennete": "Papiers - Élections - Citoyenneté",
        "famille_scolarite": "Famille - Scolarité",
        "social_sante": "Social - Santé",
        "travail_formation": "Travail - Formation - Entreprise",
        "logement": "Logement",
        "transports_mobilite": "Transports - Mobilité",
        "argent_impots": "Argent - Impôts",
        "justice": "Justice",
        "etrangers_europe": "Étrangers - Europe",
        "loisirs_sports_culture": "Loisirs - Sports - Culture",
        "associations": "Associations",
    },
    Autonomy: {
        "entierement_accompagne": "Avec guidage",
        "partiellement_autonome": "Autonome avec guidage en cas de besoin",
        "autonome": "Autonome",
    },
    WorkshopLevel: {"debutant": "Débutant", "intermediaire": "Intermédiaire", "avance": "Avancé"},
    Redirection: {
        "operateur_ou_organisme_en_charge": "Opérateur ou organisme en charge de la démarche administrative",
        "aide_aux_demarches_administratives": "Structure d'aide aux démarches administratives (France Services…)",
        "administration": "Administration (mairie, préfecture…)",
        "mediation_numerique": "Autre structure de médiation numérique",
        "aide_sociale": "Structure d'aide sociale (maison des solidarités, centre social…)",
        "insertion_professionnelle": "Structure d'insertion professionnelle (France Travail, mission locale, chambre de commerce…)",
        "autre": "Autre",
    },
    Gender: {"masculin": "Masculin", "feminin": "Féminin", "non_communique": "Non communiqué"},
    AgeBand: {
        "moins_de_douze": "Moins de 12 ans",
        "douze_dix_huit": "12 - 17 ans",
        "dix_huit_vingt_quatre": "18 - 24 ans",
        "vingt_cinq_trente_neuf": "25 - 39 ans",
        "quarante_cinquante_neuf": "40 - 59 ans",
        "soixante_soixante_neuf": "60 - 69 ans",
        "soixante_dix_plus": "70 ans et plus",
        "non_communique": "Non communiqué",
    },
    SocialStatus: {
        "scolarise": "Scolarisé",
        "sans_emploi": "Sans emploi",
        "en_emploi": "En emploi",
        "retraite": "Retraité",
        "non_communique": "Non communiqué ou hétérogène",
    },
}

# Exported as a fraction of the scale, like the national tool (1/3 … 3/3).
AUTONOMY_SCALE = {"entierement_accompagne": "1/3", "partiellement_autonome": "2/3", "autonome": "3/3"}
LEVEL_SCALE = {"debutant": "1/3", "intermediaire": "2/3", "avance": "3/3"}


def national_label(choices: type[models.TextChoices], code: str) -> str:
    return NATIONAL_LABELS[choices].get(code, code)
