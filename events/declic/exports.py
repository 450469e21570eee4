"""The national export (DOMAIN.md §2): sheet `Activités`, one row per participant, national labels.

Typed cells: the activity date is a date; "Enregistré le" and "Dernière modification le" are
date-times in Europe/Paris shown as `dd/mm/yyyy à hh:mm` (still sortable). Several values in one
cell are separated by a line break (labels contain commas). Free text is written as text, so a
value such as "=1+1" is never run as a formula and stays readable.
"""

from __future__ import annotations

import datetime
from typing import IO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

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

SHEET_TITLE = "Activités"
COLUMNS = [
    ("Date", 12), ("Enregistré le", 18), ("Dernière modification le", 18), ("Type", 24), ("Participants", 12),
    ("Canaux d'accompagnement", 20), ("Nom du lieu", 24), ("Adresse", 28), ("Commune", 20), ("Code postal", 11),
    ("Code Insee", 11), ("Durée (min)", 11), ("Nom de l'atelier", 24), ("Matériel numérique utilisé", 20),
    ("Thématique(s) d'accompagnement", 36), ("Tags", 10), ("Nom de la démarche administrative", 28),
    ("Niveau d'autonomie (ou de l'atelier)", 14), ("Bénéficiaire réorienté", 12), ("Structure de redirection", 36),
    ("Commune du bénéficiaire", 20), ("Code postal du bénéficiaire", 12), ("Code Insee du bénéficiaire", 12),
    ("Genre du bénéficiaire", 16), ("Tranche d'âge du bénéficiaire", 18), ("Statut du bénéficiaire", 22), ("ID CRA", 10),
]
HEADERS = [title for title, _width in COLUMNS]
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = 'dd/mm/yyyy "à" hh:mm'
LINE_BREAK = "\n"


def _local(moment: datetime.datetime) -> datetime.datetime:
    # Spreadsheets have no time zones: write the Paris wall-clock time.
    return timezone.localtime(moment, timezone.get_default_timezone()).replace(tzinfo=None)


def mediation_export_write(*, out: IO[bytes], start: datetime.date | None = None, end: datetime.date | None = None,
                           place_name: str = "", place_address: str = "") -> int:
    """Write the workbook to `out`; return the number of participant rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    for index, (_title, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")

    def cell(value, *, number_format: str | None = None, multiline: bool = False):
        c = WriteOnlyCell(sheet, value=None if value == "" else value)
        if isinstance(value, str) and value:
            c.data_type = "s"  # text, never a formula
        if number_format:
            c.number_format = number_format
        c.alignment = wrap if multiline else top
        return c

    header = []
    for title in HEADERS:
        c = WriteOnlyCell(sheet, value=title)
        c.font = bold
        header.append(c)
    sheet.append(header)
    written = 0
    for participant in selectors.mediation_export_rows(start=start, end=end).iterator(chunk_size=2000):
        activity = participant.activity
        at_place = activity.type_lieu == PlaceType.LIEU_ACTIVITE
        if activity.type == ActivityType.INDIVIDUEL:
            level = AUTONOMY_SCALE.get(activity.autonomie, "")
        else:
            level = LEVEL_SCALE.get(activity.niveau_atelier, "")
        sheet.append([
            cell(activity.date, number_format=DATE_FORMAT),
            cell(_local(activity.created_at), number_format=DATETIME_FORMAT),
            cell(_local(activity.updated_at), number_format=DATETIME_FORMAT),
            cell(national_label(ActivityType, activity.type)),
            cell("1" if participant.of == 1 else f"{participant.position}/{participant.of}"),
            cell(national_label(PlaceType, activity.type_lieu)),
            cell(place_name if at_place else ""),
            cell(place_address if at_place else ""),
            cell(activity.lieu_commune),
            cell(activity.lieu_code_postal),
            cell(activity.lieu_code_insee),
            cell(activity.duree),
            cell(activity.titre_atelier),
            cell(LINE_BREAK.join(national_label(Equipment, code) for code in activity.materiel), multiline=True),
            cell(LINE_BREAK.join(national_label(Theme, code) for code in activity.thematiques), multiline=True),
            cell(""),
            cell(activity.precisions_demarche),
            cell(level),
            cell("Oui" if activity.oriente_vers_structure else "Non"),
            cell(national_label(Redirection, activity.structure_de_redirection) if activity.structure_de_redirection else ""),
            cell(participant.commune),
            cell(participant.code_postal),
            cell(participant.code_insee),
            cell(national_label(Gender, participant.genre)),
            cell(national_label(AgeBand, participant.tranche_age)),
            cell(national_label(SocialStatus, participant.statut_social)),
            cell(activity.pk),
        ])
        written += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{written + 1}"
    workbook.save(out)
    return written
