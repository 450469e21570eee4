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

    # Styling a cell costs more than writing it: only dates and multi-line cells get a style, other
    # values are written plain (a spreadsheet reads "=…" as a formula, so such text is typed as text).
    def date_cell(value, number_format: str):
        c = WriteOnlyCell(sheet, value=value)
        c.number_format = number_format
        return c

    def lines_cell(labels: list[str]):
        if len(labels) < 2:
            return labels[0] if labels else None
        c = WriteOnlyCell(sheet, value=LINE_BREAK.join(labels))
        c.alignment = wrap
        return c

    def text(value: str):
        if not value:
            return None
        if value.startswith("="):
            c = WriteOnlyCell(sheet, value=value)
            c.data_type = "s"
            return c
        return value

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
            date_cell(activity.date, DATE_FORMAT),
            date_cell(_local(activity.created_at), DATETIME_FORMAT),
            date_cell(_local(activity.updated_at), DATETIME_FORMAT),
            national_label(ActivityType, activity.type),
            "1" if participant.of == 1 else f"{participant.position}/{participant.of}",
            national_label(PlaceType, activity.type_lieu),
            text(place_name) if at_place else None,
            text(place_address) if at_place else None,
            text(activity.lieu_commune),
            text(activity.lieu_code_postal),
            text(activity.lieu_code_insee),
            activity.duree,
            text(activity.titre_atelier),
            lines_cell([national_label(Equipment, code) for code in activity.materiel]),
            lines_cell([national_label(Theme, code) for code in activity.thematiques]),
            None,
            text(activity.precisions_demarche),
            level or None,
            "Oui" if activity.oriente_vers_structure else "Non",
            national_label(Redirection, activity.structure_de_redirection) if activity.structure_de_redirection else None,
            text(participant.commune),
            text(participant.code_postal),
            text(participant.code_insee),
            national_label(Gender, participant.genre),
            national_label(AgeBand, participant.tranche_age),
            national_label(SocialStatus, participant.statut_social),
            activity.pk,
        ])
        written += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{written + 1}"
    workbook.save(out)
    return written
