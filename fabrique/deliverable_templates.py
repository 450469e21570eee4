"""Downloadable templates of the Fabrique deliverables, generated on request from the brief
(fabrique/briefs.py): a DOCX document with the expected headings for the written deliverables, an
XLSX workbook for the site and financing plan and for the 3-year forecast of the business plan.

Generated, not stored: a change of the brief's outline shows in the next download, and the file
carries the holder's project name and due date.
"""

import io
from dataclasses import dataclass

from django.utils.formats import date_format

from fabrique.briefs import DEFAULT_BRIEFS, DefaultBrief
from fabrique.models import Deliverable, DeliverableKind

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The standard rows of a French 3-year forecast for a tiers-lieu (compte de résultat prévisionnel).
PL_REVENUE = ("Coworking", "Location de salles", "Ateliers et formations", "Bar et restauration", "Adhésions",
              "Prestations et événements")
PL_SUBSIDIES = ("Subventions d’exploitation (État, Région, département, commune)", "Aides à l’emploi", "Mécénat et dons")
PL_CHARGES = ("Achats (marchandises, fournitures)", "Loyer et charges locatives", "Énergie et fluides", "Assurances",
              "Honoraires (expert-comptable…)", "Communication", "Autres charges externes", "Impôts et taxes",
              "Salaires bruts", "Charges sociales", "Dotations aux amortissements")
CASH_IN = ("Ventes encaissées", "Subventions encaissées", "Apports en fonds propres", "Emprunts obtenus")
CASH_OUT = ("Charges payées (hors amortissements)", "Investissements", "Remboursements d’emprunts")
YEARS = ("Année 1", "Année 2", "Année 3")

SITE_SHEET_ROWS = ("Nom du lieu", "Adresse", "Commune", "Surface (m²)", "Propriétaire",
                   "Statut d’occupation (achat, bail, convention, mise à disposition)", "Durée d’occupation",
                   "Loyer ou coût annuel (€)", "État du bâtiment", "Travaux nécessaires", "Accueil du public (ERP) : catégorie",
                   "Accessibilité", "Accès et transports", "Date d’ouverture visée")
FINANCING_USES = ("Acquisition ou droit d’entrée", "Travaux", "Mises aux normes (ERP, accessibilité)", "Équipement et mobilier",
                  "Informatique", "Frais d’études et d’honoraires", "Fonds de roulement")
FINANCING_RESOURCES = ("Fonds propres et apports", "Subvention État (ANCT…)", "Subvention Région", "Subvention département",
                       "Subvention commune ou intercommunalité", "Prêt bancaire", "Prêt d’honneur", "Mécénat et financement participatif")


@dataclass(frozen=True)
class TemplateFile:
    filename: str
    content_type: str
    body: bytes


def template_available(kind: str) -> bool:
    return kind in DEFAULT_BRIEFS


def deliverable_template(deliverable: Deliverable) -> TemplateFile | None:
    """The template file of `deliverable`'s kind, with its project and due date; None for a kind without one."""
    brief = DEFAULT_BRIEFS.get(deliverable.kind)
    if brief is None:
        return None
    project = deliverable.enrolment.project_name
    due = date_format(deliverable.due_on, "j F Y")
    stem = f"modele-{deliverable.kind.replace('_', '-')}"
    if brief.template_format == "xlsx":
        builder = _business_plan_xlsx if deliverable.kind == DeliverableKind.BUSINESS_PLAN else _site_financing_xlsx
        return TemplateFile(f"{stem}.xlsx", XLSX_TYPE, builder(deliverable.title, project, due))
    return TemplateFile(f"{stem}.docx", DOCX_TYPE, _docx(brief, deliverable.title, project, due))


def _docx(brief: DefaultBrief, title: str, project: str, due: str) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = title
    document.core_properties.language = "fr-FR"
    document.add_heading(title, level=0)
    document.add_paragraph(f"Projet : {project} — à rendre le {due}")
    document.add_paragraph(f"Longueur attendue : {brief.length}.")
    guidance = document.add_paragraph()
    guidance.add_run("Ce que regarde votre coach :").bold = True
    for criterion in brief.criteria:
        document.add_paragraph(criterion, style="List Bullet")
    for heading, hint in brief.sections:
        document.add_heading(heading, level=1)
        document.add_paragraph(hint).italic = True
        document.add_paragraph("")
    for spec in brief.tables:
        document.add_heading(spec.title, level=2)
        table = document.add_table(rows=1, cols=len(spec.header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, spec.header):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in spec.rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
        for _blank in range(spec.blank_rows):
            table.add_row()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _workbook(title: str):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.title = title
    workbook.properties.language = "fr-FR"
    return workbook


def _header(sheet, row: int, values, *, bold_font):
    for column, value in enumerate(values, start=1):
        sheet.cell(row=row, column=column, value=value).font = bold_font


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EURO_FORMAT = '#,##0 "€"'


def _block(sheet, start_row: int, title: str, lines, *, columns: int, bold, total_label: str) -> tuple[int, int]:
    """A titled block of lines with a total row (SUM per column). Returns (total row, next free row)."""
    from openpyxl.utils import get_column_letter

    sheet.cell(row=start_row, column=1, value=title).font = bold
    first = start_row + 1
    for offset, label in enumerate(lines):
        sheet.cell(row=first + offset, column=1, value=label)
        for column in range(2, columns + 2):
            sheet.cell(row=first + offset, column=column).number_format = EURO_FORMAT
    last = first + len(lines) - 1
    total = last + 1
    sheet.cell(row=total, column=1, value=total_label).font = bold
    for column in range(2, columns + 2):
        letter = get_column_letter(column)
        cell = sheet.cell(row=total, column=column, value=f"=SUM({letter}{first}:{letter}{last})")
        cell.font = bold
        cell.number_format = EURO_FORMAT
    return total, total + 2


def _formula_row(sheet, row: int, label: str, formula, *, columns: int, bold) -> None:
    """A bold row whose cells compute `formula(column letter)` in each year's (or amount's) column."""
    from openpyxl.utils import get_column_letter

    sheet.cell(row=row, column=1, value=label).font = bold
    for column in range(2, columns + 2):
        cell = sheet.cell(row=row, column=column, value="=" + formula(get_column_letter(column)))
        cell.font, cell.number_format = bold, EURO_FORMAT


def _title(sheet, title: str, project: str, due: str) -> None:
    from openpyxl.styles import Font

    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"Projet : {project} — à rendre le {due}"


def _business_plan_xlsx(title: str, project: str, due: str) -> bytes:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    workbook = _workbook(title)
    guide = workbook.active
    guide.title = "Mode d’emploi"
    _title(guide, title, project, due)
    guide["A4"] = "Remplissez les cellules vides des feuilles « Hypothèses », « Compte de résultat » et « Trésorerie » (montants en euros)."
    guide["A5"] = "Les totaux se calculent seuls. Joignez le texte du business plan (15 à 20 pages) au dépôt."
    guide["A7"] = "Sommaire du business plan"
    guide["A7"].font = bold
    for index, part in enumerate(("1. Le projet et l’équipe", "2. Le territoire et les communautés", "3. L’offre et le marché",
                                  "4. La gouvernance et les partenaires", "5. Le lieu et l’investissement",
                                  "6. Le modèle économique et le prévisionnel", "7. L’impact attendu"), start=8):
        guide.cell(row=index, column=1, value=part)
    guide.column_dimensions["A"].width = 100

    hypotheses = workbook.create_sheet("Hypothèses")
    _header(hypotheses, 1, ("Hypothèse", *YEARS, "Source ou justification"), bold_font=bold)
    for row, label in enumerate(("Postes de coworking loués (moyenne par mois)", "Prix moyen d’un poste par mois (€)",
                                 "Heures de salle louées par mois", "Prix moyen d’une heure de salle (€)",
                                 "Participant·es aux ateliers par an", "Adhérent·es", "Salarié·es (ETP)"), start=2):
        hypotheses.cell(row=row, column=1, value=label)
    hypotheses.column_dimensions["A"].width = 48
    hypotheses.column_dimensions["E"].width = 40

    pl = workbook.create_sheet("Compte de résultat")
    _header(pl, 1, ("Compte de résultat prévisionnel (€)", *YEARS), bold_font=bold)
    revenue_total, next_row = _block(pl, 3, "Produits d’activité", PL_REVENUE, columns=3, bold=bold,
                                     total_label="Total chiffre d’affaires")
    subsidies_total, next_row = _block(pl, next_row, "Subventions et dons", PL_SUBSIDIES, columns=3, bold=bold,
                                       total_label="Total subventions et dons")
    products_row = next_row
    _formula_row(pl, products_row, "Total produits", lambda c: f"{c}{revenue_total}+{c}{subsidies_total}",
                 columns=3, bold=bold)
    charges_total, next_row = _block(pl, products_row + 2, "Charges", PL_CHARGES, columns=3, bold=bold,
                                     total_label="Total charges")
    _formula_row(pl, next_row, "Résultat", lambda c: f"{c}{products_row}-{c}{charges_total}", columns=3, bold=bold)
    pl.column_dimensions["A"].width = 60
    for letter in "BCD":
        pl.column_dimensions[letter].width = 14

    cash = workbook.create_sheet("Trésorerie")
    _header(cash, 1, ("Plan de trésorerie (€)", *YEARS), bold_font=bold)
    cash.cell(row=2, column=1, value="Trésorerie en début d’année").font = bold
    in_total, next_row = _block(cash, 4, "Encaissements", CASH_IN, columns=3, bold=bold, total_label="Total encaissements")
    out_total, next_row = _block(cash, next_row, "Décaissements", CASH_OUT, columns=3, bold=bold, total_label="Total décaissements")
    _formula_row(cash, next_row, "Trésorerie en fin d’année", lambda c: f"{c}2+{c}{in_total}-{c}{out_total}",
                 columns=3, bold=bold)
    for column in range(2, 5):
        cash.cell(row=2, column=column).number_format = EURO_FORMAT
        if column > 2:  # a year starts with the cash the previous one ended with
            cash.cell(row=2, column=column, value=f"={get_column_letter(column - 1)}{next_row}")
    cash.column_dimensions["A"].width = 44
    for letter in "BCD":
        cash.column_dimensions[letter].width = 14
    return _save(workbook)


def _site_financing_xlsx(title: str, project: str, due: str) -> bytes:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = _workbook(title)
    site = workbook.active
    site.title = "Fiche lieu"
    _title(site, title, project, due)
    _header(site, 4, ("Rubrique", "Votre réponse"), bold_font=bold)
    for row, label in enumerate(SITE_SHEET_ROWS, start=5):
        site.cell(row=row, column=1, value=label)
    site.column_dimensions["A"].width = 60
    site.column_dimensions["B"].width = 60

    plan = workbook.create_sheet("Plan de financement")
    _header(plan, 1, ("Plan de financement de l’investissement (€)", "Montant", "Statut (acquis, demandé, à demander)"),
            bold_font=bold)
    uses_total, next_row = _block(plan, 3, "Emplois", FINANCING_USES, columns=1, bold=bold, total_label="Total emplois")
    resources_total, next_row = _block(plan, next_row, "Ressources", FINANCING_RESOURCES, columns=1, bold=bold,
                                       total_label="Total ressources")
    _formula_row(plan, next_row, "Écart ressources − emplois (doit être 0)",
                 lambda c: f"{c}{resources_total}-{c}{uses_total}", columns=1, bold=bold)
    plan.column_dimensions["A"].width = 52
    plan.column_dimensions["B"].width = 14
    plan.column_dimensions["C"].width = 36
    return _save(workbook)
