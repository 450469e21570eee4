"""The national export (DOMAIN.md §2): sheet `Activités`, one row per participant, national labels.

Written through `quai.xlsx` (typed cells, text never run as a formula, frozen header, autofilter).
The activity date is a date cell; "Enregistré le" and "Dernière modification le" read
`dd/MM/yyyy à HH:mm` in Europe/Paris, as in the national export. Several values in one cell are
separated by a line break (labels contain commas).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils import timezone

from events.declic import selectors
from events.declic.choices import (
    AUTONOMY_SCALE,
    LEVEL_SCALE,
    ActivityType,
    AgeBand,
    Equipment,
    Gender,
    PlaceType,
    Redirection,
    SocialStatus,
    Theme,
    national_label,
)
from quai import xlsx

SHEET_TITLE = "Activités"
COLUMNS = [
    xlsx.Column("Date", xlsx.DATE), xlsx.Column("Enregistré le", width=19), xlsx.Column("Dernière modification le", width=19),
    xlsx.Column("Type"), xlsx.Column("Participants"), xlsx.Column("Canaux d'accompagnement"), xlsx.Column("Nom du lieu"),
    xlsx.Column("Adresse"), xlsx.Column("Commune"), xlsx.Column("Code postal"), xlsx.Column("Code Insee"),
    xlsx.Column("Durée (min)", xlsx.INTEGER), xlsx.Column("Nom de l'atelier"), xlsx.Column("Matériel numérique utilisé"),
    xlsx.Column("Thématique(s) d'accompagnement", width=40), xlsx.Column("Tags"), xlsx.Column("Nom de la démarche administrative"),
    xlsx.Column("Niveau d'autonomie (ou de l'atelier)"), xlsx.Column("Bénéficiaire réorienté"),
    xlsx.Column("Structure de redirection", width=40), xlsx.Column("Commune du bénéficiaire"),
    xlsx.Column("Code postal du bénéficiaire"), xlsx.Column("Code Insee du bénéficiaire"), xlsx.Column("Genre du bénéficiaire"),
    xlsx.Column("Tranche d'âge du bénéficiaire"), xlsx.Column("Statut du bénéficiaire"), xlsx.Column("ID CRA", xlsx.INTEGER),
]
HEADERS = [column.title for column in COLUMNS]
LINE_BREAK = "\n"


def _stamp(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y à %H:%M")


def _rows(*, start, end, place_name: str, place_address: str) -> Iterator[list]:
    for participant in selectors.mediation_export_rows(start=start, end=end).iterator(chunk_size=2000):
        activity = participant.activity
        at_place = activity.type_lieu == PlaceType.LIEU_ACTIVITE
        if activity.type == ActivityType.INDIVIDUEL:
            level = AUTONOMY_SCALE.get(activity.autonomie, "")
        else:
            level = LEVEL_SCALE.get(activity.niveau_atelier, "")
        yield [
            activity.date,
            _stamp(activity.created_at),
            _stamp(activity.updated_at),
            national_label(ActivityType, activity.type),
            "1" if participant.of == 1 else f"{participant.position}/{participant.of}",
            national_label(PlaceType, activity.type_lieu),
            place_name if at_place else "",
            place_address if at_place else "",
            activity.lieu_commune,
            activity.lieu_code_postal,
            activity.lieu_code_insee,
            activity.duree,
            activity.titre_atelier,
            LINE_BREAK.join(national_label(Equipment, code) for code in activity.materiel),
            LINE_BREAK.join(national_label(Theme, code) for code in activity.thematiques),
            "",
            activity.precisions_demarche,
            level,
            "Oui" if activity.oriente_vers_structure else "Non",
            national_label(Redirection, activity.structure_de_redirection) if activity.structure_de_redirection else "",
            participant.commune,
            participant.code_postal,
            participant.code_insee,
            national_label(Gender, participant.genre),
            national_label(AgeBand, participant.tranche_age),
            national_label(SocialStatus, participant.statut_social),
            activity.pk,
        ]


def mediation_export_sheet(*, start: datetime.date | None = None, end: datetime.date | None = None,
                           place_name: str = "", place_address: str = "") -> xlsx.Sheet:
    """The sheet `Activités` for activities dated in [start, end]; rows are read as the file is written."""
    return xlsx.Sheet(SHEET_TITLE, COLUMNS, _rows(start=start, end=end, place_name=place_name, place_address=place_address))
