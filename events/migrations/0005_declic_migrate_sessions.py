"""Old Déclic sessions (Quai's own codes, one profile per session) → activities in the national layout.

Each old session keeps its id as the activity's id. Its one profile becomes the first participant;
a workshop of N people gets N-1 more participants counted without details ("non communiqué"):
the old record never said who the others were, so nothing is invented about them. A free-text
redirection becomes "Autre" with the text kept in the notes; values nobody recognises are kept in
the notes too, never silently dropped.
"""

from django.db import migrations
from django.db.models import F

KIND = {"individual": "individuel", "collective": "collectif"}
PLACE = {"on_site": "lieu_activite", "home": "domicile", "remote": "a_distance", "other": "autre"}
THEMES = {
    "diagnostic": "diagnostic_numerique", "equipment": "prendre_en_main_du_materiel", "maintenance": "maintenance_de_materiel",
    "contents": "gere_ses_contenus_numeriques", "browsing": "navigation_sur_internet", "email": "email",
    "office": "bureautique", "social": "reseaux_sociaux", "health": "sante", "banking": "banque_et_achats_en_ligne",
    "professional": "entrepreneuriat", "employment": "insertion_professionnelle", "security": "securite_numerique",
    "parenting": "parentalite", "school": "scolarite_et_numerique", "create": "creer_avec_le_numerique",
    "culture": "culture_numerique", "ai": "intelligence_artificielle", "procedures": "aide_aux_demarches_administratives",
    "proc_papers": "papiers_elections_citoyennete", "proc_family": "famille_scolarite", "proc_social": "social_sante",
    "proc_work": "travail_formation", "proc_housing": "logement", "proc_transport": "transports_mobilite",
    "proc_money": "argent_impots", "proc_justice": "justice", "proc_foreigners": "etrangers_europe",
    "proc_leisure": "loisirs_sports_culture", "proc_associations": "associations",
}
EQUIPMENT = {"computer": "ordinateur", "phone": "telephone", "tablet": "tablette", "other": "autre", "none": "aucun"}
AUTONOMY = {"assisted": "entierement_accompagne", "partly": "partiellement_autonome", "autonomous": "autonome"}
GENDER = {"f": "feminin", "m": "masculin", "unknown": "non_communique"}
AGE_BAND = {
    "lt12": "moins_de_douze", "12_18": "douze_dix_huit", "18_24": "dix_huit_vingt_quatre", "25_39": "vingt_cinq_trente_neuf",
    "40_59": "quarante_cinquante_neuf", "60_69": "soixante_soixante_neuf", "70p": "soixante_dix_plus", "unknown": "non_communique",
}
STATUS = {"student": "scolarise", "unemployed": "sans_emploi", "employed": "en_emploi", "retired": "retraite", "unknown": "non_communique"}
REDIRECTIONS = {
    "operateur_ou_organisme_en_charge", "aide_aux_demarches_administratives", "administration", "mediation_numerique",
    "aide_sociale", "insertion_professionnelle", "autre",
}
# Old labels (English source and French catalogue) some rows may hold instead of codes.
THEME_LABELS = {
    "digital diagnosis": "diagnostic_numerique", "diagnostic numérique": "diagnostic_numerique",
    "e-mail": "email", "courriel": "email", "health": "sante", "santé": "sante",
    "digital security": "securite_numerique", "sécurité numérique": "securite_numerique",
    "office software": "bureautique", "bureautique": "bureautique", "social networks": "reseaux_sociaux",
    "réseaux sociaux": "reseaux_sociaux", "banking and online shopping": "banque_et_achats_en_ligne",
    "help with administrative procedures": "aide_aux_demarches_administratives",
    "aide aux démarches administratives": "aide_aux_demarches_administratives",
}
# A theme is required nationally: an old row whose themes are all unknown gets the broadest one.
FALLBACK_THEME = "culture_numerique"


def _map(table: dict, value: str, default: str, unknown: list, what: str) -> str:
    if value in table:
        return table[value]
    if value not in ("", None):
        unknown.append(f"{what} : {value}")
    return default


def migrate_sessions(apps, schema_editor):
    Session = apps.get_model("events", "MediationSession")
    Activity = apps.get_model("events", "MediationActivity")
    Participant = apps.get_model("events", "MediationParticipant")
    for session in Session.objects.order_by("pk").iterator(chunk_size=1000):
        unknown: list[str] = []
        themes = []
        for value in session.themes:
            code = THEMES.get(value) or THEME_LABELS.get(str(value).strip().lower())
            if code is None:
                unknown.append(f"thématique : {value}")
            elif code not in themes:
                themes.append(code)
        equipment = []
        for value in session.equipment:
            code = _map(EQUIPMENT, value, "", unknown, "matériel")
            if code and code not in equipment:
                equipment.append(code)
        kind = _map(KIND, session.kind, "individuel", unknown, "type")
        redirected_to = (session.redirected_to or "").strip()
        if redirected_to in REDIRECTIONS:
            structure = redirected_to
        elif redirected_to:
            structure = "autre"
            unknown.append(f"orientation : {redirected_to}")
        else:
            structure = ""
        notes = session.notes
        if unknown:
            notes = (notes + "\n\n" if notes else "") + "Reprise des anciennes données — " + " ; ".join(unknown)
        activity = Activity.objects.create(
            id=session.pk,
            type=kind,
            date=session.date,
            duree=session.duration_min,
            type_lieu=_map(PLACE, session.place, "lieu_activite", unknown, "lieu"),
            materiel=equipment,
            thematiques=themes or [FALLBACK_THEME],
            autonomie=AUTONOMY.get(session.autonomy, "") if kind == "individuel" else "",
            titre_atelier=session.workshop_title if kind == "collectif" else "",
            oriente_vers_structure=bool(structure),
            structure_de_redirection=structure,
            pass_numerique=session.pass_numerique,
            notes=notes,
            event_id=session.event_id,
            created_by_id=session.created_by_id,
            created_at=session.created_at,
        )
        count = 1 if kind == "individuel" else max(1, session.participants)
        rows = [Participant(
            activity=activity, activity_type=kind, position=1,
            genre=GENDER.get(session.gender, "non_communique"),
            tranche_age=AGE_BAND.get(session.age_band, "non_communique"),
            statut_social=STATUS.get(session.social_status, "non_communique"),
            commune=session.commune, first_time=session.first_time,
        )]
        rows += [
            Participant(activity=activity, activity_type=kind, position=n, anonymous=True) for n in range(2, count + 1)
        ]
        Participant.objects.bulk_create(rows)
    # `updated_at` is set on every save: the migrated rows were last changed when they were recorded.
    Activity.objects.update(updated_at=F("created_at"))
    # Ids were copied: the next activity must not collide with them.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('events_mediationactivity', 'id'), "
            "COALESCE((SELECT MAX(id) FROM events_mediationactivity), 0) + 1, false)"
        )


def unmigrate_sessions(apps, schema_editor):
    # The old rows are still there until 0006 drops them: undoing removes only their copies.
    Session = apps.get_model("events", "MediationSession")
    Activity = apps.get_model("events", "MediationActivity")
    Activity.objects.filter(pk__in=Session.objects.values("pk")).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0004_declic_database_rules")]

    operations = [migrations.RunPython(migrate_sessions, unmigrate_sessions, elidable=False)]
