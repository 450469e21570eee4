"""quai.xlsx: the files open in openpyxl with typed cells, French-displayed formats, a frozen and
filterable header, readable widths, and formulas kept as plain text."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from quai import xlsx

PARIS = ZoneInfo("Europe/Paris")


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_cells_are_typed_with_french_displayed_formats_and_formulas_stay_text():
    columns = [xlsx.Column("Nom"), xlsx.Column("Adhésion jusqu’au", xlsx.DATE), xlsx.Column("Payé le", xlsx.DATETIME),
               xlsx.Column("Montant", xlsx.AMOUNT), xlsx.Column("Personnes", xlsx.INTEGER), xlsx.Column("Heures", xlsx.NUMBER)]
    rows = [
        ["=HYPERLINK(\"http://x\";\"clic\")", datetime.date(2026, 12, 31), datetime.datetime(2026, 7, 1, 16, 30, tzinfo=datetime.timezone.utc),
         Decimal("1000.00"), 8, Decimal("1.5")],
        ["+33 6 11 22 33 44", None, None, Decimal("0"), 0, None],
        ["@SOMME(A1)", datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.timezone.utc), None, None, None, None],
    ]
    sheet = _open(xlsx.xlsx_bytes(xlsx.Sheet("Adhérents", columns, rows)))["Adhérents"]
    assert [c.value for c in sheet[1]] == ["Nom", "Adhésion jusqu’au", "Payé le", "Montant", "Personnes", "Heures"]
    assert all(c.font.b for c in sheet[1])
    name, until, paid, amount, people, hours = sheet[2]
    assert (name.value, name.data_type) == ("=HYPERLINK(\"http://x\";\"clic\")", "s")
    assert (until.value, until.is_date, until.number_format) == (datetime.datetime(2026, 12, 31), True, "DD/MM/YYYY")
    assert (paid.value, paid.number_format) == (datetime.datetime(2026, 7, 1, 18, 30), "DD/MM/YYYY HH:MM")  # Paris summer time
    assert (amount.value, amount.data_type, amount.number_format) == (1000, "n", '#,##0.00\\ "€"')
    assert (people.value, people.data_type, people.number_format) == (8, "n", "#,##0")
    assert (hours.value, hours.number_format) == (1.5, "#,##0.00")
    assert [(c.value, c.data_type) for c in sheet[3][:2]] == [("+33 6 11 22 33 44", "s"), (None, "n")]
    # An aware date-time in a date column is the date in Paris (23:30 UTC on 31/12 is 1 January there).
    assert [(c.value, c.data_type) for c in sheet[4][:2]] == [("@SOMME(A1)", "s"), (datetime.datetime(2027, 1, 1), "d")]


def test_header_frozen_autofilter_over_every_row_and_widths_from_content():
    columns = [xlsx.Column("E-mail"), xlsx.Column("Jusqu’au", xlsx.DATE), xlsx.Column("Note", width=40)]
    rows = [[f"personne{n}@exemple-de-domaine.org", datetime.date(2026, 1, 1), "x"] for n in range(300)]
    sheet = _open(xlsx.xlsx_bytes(xlsx.Sheet("Liste", columns, rows)))["Liste"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C301"
    assert sheet.max_row == 301
    assert [sheet.column_dimensions[letter].width for letter in "ABC"] == [len("personne199@exemple-de-domaine.org") + 1, 13.0, 40.0]


def test_widths_are_bounded_and_line_breaks_wrap():
    sheet = _open(xlsx.xlsx_bytes(xlsx.Sheet("S", [xlsx.Column("T")], [["a" * 500], ["ligne 1\nligne 2"]])))["S"]
    assert sheet.column_dimensions["A"].width == 60.0
    assert sheet["A3"].alignment.wrap_text is True and sheet["A3"].value == "ligne 1\nligne 2"


def test_control_characters_are_dropped_and_long_sheet_titles_cut():
    sheet = _open(xlsx.xlsx_bytes(xlsx.Sheet("Un titre de feuille beaucoup trop long pour Excel", [xlsx.Column("T")], [["a\x00b\x07c"]])))
    assert sheet.sheetnames == ["Un titre de feuille beaucoup tr"]
    assert sheet.active["A2"].value == "abc"


def test_a_wrong_type_for_a_typed_column_is_a_programming_error():
    with pytest.raises(TypeError, match="a date column got str"):
        xlsx.xlsx_bytes(xlsx.Sheet("S", [xlsx.Column("D", xlsx.DATE)], [["31/12/2026"]]))
    with pytest.raises(ValueError, match="unknown column kind"):
        xlsx.Column("X", "currency")


def test_empty_export_still_has_its_header_and_filter():
    sheet = _open(xlsx.xlsx_bytes(xlsx.Sheet("S", [xlsx.Column("A"), xlsx.Column("B", xlsx.AMOUNT)], [])))["S"]
    assert [c.value for c in sheet[1]] == ["A", "B"] and sheet.auto_filter.ref == "A1:B1"
