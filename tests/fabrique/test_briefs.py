"""Issue 14 — each Fabrique deliverable has its brief (on the holder's page and in the coach's
review) and a downloadable template (DOCX or XLSX) that opens with its library; staff edit a
cohort's brief."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from fabrique import selectors, services
from fabrique.briefs import DEFAULT_BRIEFS
from fabrique.deliverable_templates import DOCX_TYPE, PL_CHARGES, PL_REVENUE, XLSX_TYPE
from fabrique.models import DEFAULT_CURRICULUM, Module
from quai.models import AuditLog
from tests.fabrique.factories import make_cohort, pdf
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _deliverable(enrolment, kind):
    return enrolment.deliverables.get(kind=kind)


def _template(client, deliverable):
    return client.get(reverse("fabrique:deliverable_template", args=[deliverable.pk]))


# --- the content ------------------------------------------------------------------------------

def test_every_deliverable_of_the_default_curriculum_has_a_brief_and_a_template_format():
    kinds = [kind for _month, _title, kind, _dt, _required in DEFAULT_CURRICULUM]
    assert sorted(DEFAULT_BRIEFS) == sorted(kinds)
    for kind in kinds:
        brief = DEFAULT_BRIEFS[kind]
        assert brief.produce and brief.length and len(brief.criteria) >= 4, kind
        assert brief.template_format in {"docx", "xlsx"}, kind
    assert {k for k, b in DEFAULT_BRIEFS.items() if b.template_format == "xlsx"} == {"site_financing", "business_plan"}


# --- the holder's page and the coach's review -------------------------------------------------

def test_holder_reads_the_brief_with_its_due_date_module_criteria_and_template_link(client, member, enrolment):
    deliverable = _deliverable(enrolment, "diagnostic")
    client.force_login(member)
    response = client.get(reverse("fabrique:deliverable", args=[deliverable.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    brief = DEFAULT_BRIEFS["diagnostic"]
    assert '<h2 id="brief-title">Consignes</h2>' in html
    assert ("31 janvier 2026, fin du mois 1 (module « Culture tiers-lieu, diagnostic de territoire, besoins »)"
            in html)
    assert "<dt>Longueur attendue</dt><dd>8 à 12 pages, annexes en plus</dd>" in html
    assert brief.produce.replace("’", "&#x27;") not in html  # typographic apostrophes, never escaped quotes
    assert brief.produce in html
    for criterion in brief.criteria:
        assert f"<li>{criterion}</li>" in html
    template_url = reverse("fabrique:deliverable_template", args=[deliverable.pk])
    assert f'href="{template_url}" download>Télécharger le modèle</a>' in html
    assert "Modifier ces consignes" not in html  # staff only
    # the brief comes before the form to submit a version
    assert html.index('id="brief-title"') < html.index('id="submit-title"')


def test_coach_sees_the_criteria_between_the_file_and_the_decision(client, coach, member, enrolment):
    deliverable = _deliverable(enrolment, "value_proposition")
    services.submission_create(deliverable=deliverable, by=member, upload=pdf("canevas.pdf"))
    client.force_login(coach)
    html = client.get(reverse("fabrique:deliverable", args=[deliverable.pk])).content.decode()
    assert '<summary>Consignes et critères</summary>' in html
    assert 'id="brief-title"' not in html  # the brief is in the review card, not twice
    criterion = DEFAULT_BRIEFS["value_proposition"].criteria[0]
    assert html.index("canevas.pdf") < html.index(criterion) < html.index('name="decision"')


def test_deliverable_page_reads_the_brief_in_one_more_query(client, member, enrolment):
    deliverable = _deliverable(enrolment, "market_study")
    client.force_login(member)
    url = reverse("fabrique:deliverable", args=[deliverable.pk])
    client.get(url)  # warm-up: session, navigation
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    module_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "fabrique_module"' in q["sql"]]
    # the module of the deliverable's kind in its cohort, read once for the brief
    assert len(module_queries) == 1, module_queries


# --- the templates ----------------------------------------------------------------------------

def test_diagnostic_template_is_a_docx_with_the_expected_headings_and_the_project(client, member, enrolment):
    client.force_login(member)
    response = _template(client, _deliverable(enrolment, "diagnostic"))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="modele-diagnostic.docx"'
    assert response["Cache-Control"] == "private, no-store"
    document = Document(io.BytesIO(response.content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [
        ("Title", "Diagnostic territorial et communautés cibles"),
        ("Heading 1", "1. Le territoire en chiffres"),
        ("Heading 1", "2. Les acteurs déjà présents"),
        ("Heading 1", "3. Les communautés cibles"),
        ("Heading 1", "4. Les besoins repérés et leur vérification"),
        ("Heading 1", "5. Synthèse : ce que le tiers-lieu apporte"),
        ("Heading 1", "Annexes"),
        ("Heading 2", "Entretiens et rencontres"),
    ]
    texts = [p.text for p in document.paragraphs]
    assert "Projet : Tiers-lieu de Chatou — à rendre le 31 janvier 2026" in texts
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells] == ["Date", "Personne ou structure", "Ce qui en ressort"]
    assert len(table.rows) == 11  # the header and ten interviews to fill in
    assert document.core_properties.language == "fr-FR"


def test_value_proposition_template_holds_the_canvas(client, member, enrolment):
    client.force_login(member)
    document = Document(io.BytesIO(_template(client, _deliverable(enrolment, "value_proposition")).content))
    [canvas] = document.tables
    assert [[c.text for c in row.cells] for row in canvas.rows] == [
        ["Côté communauté", "Côté tiers-lieu"],
        ["Ses activités (ce qu’elle cherche à faire)", "Nos services et activités"],
        ["Ses difficultés", "Ce qui soulage ces difficultés"],
        ["Ce qu’elle espère", "Ce qui apporte ces bénéfices"],
    ]


def test_business_plan_template_is_a_3_year_forecast_workbook(client, member, enrolment):
    client.force_login(member)
    response = _template(client, _deliverable(enrolment, "business_plan"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="modele-business-plan.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Mode d’emploi", "Hypothèses", "Compte de résultat", "Trésorerie"]
    pl = workbook["Compte de résultat"]
    assert [c.value for c in pl[1]] == ["Compte de résultat prévisionnel (€)", "Année 1", "Année 2", "Année 3"]
    labels = [row[0].value for row in pl.iter_rows() if row[0].value]
    for label in (*PL_REVENUE, *PL_CHARGES, "Total chiffre d’affaires", "Total produits", "Total charges", "Résultat"):
        assert label in labels, label
    rows = {row[0].value: row for row in pl.iter_rows() if row[0].value}
    # title row 3, six revenue lines in rows 4–9, their total in row 10
    assert (rows["Produits d’activité"][0].row, rows[PL_REVENUE[0]][0].row) == (3, 4)
    assert [c.value for c in rows["Total chiffre d’affaires"][1:]] == ["=SUM(B4:B9)", "=SUM(C4:C9)", "=SUM(D4:D9)"]
    subsidies, products, charges = (rows[label][0].row for label in ("Total subventions et dons", "Total produits", "Total charges"))
    assert [c.value for c in rows["Total produits"][1:]] == [f"={c}10+{c}{subsidies}" for c in "BCD"]
    assert [c.value for c in rows["Résultat"][1:]] == [f"={c}{products}-{c}{charges}" for c in "BCD"]
    cash = workbook["Trésorerie"]
    cash_labels = [row[0].value for row in cash.iter_rows() if row[0].value]
    assert cash_labels[1] == "Trésorerie en début d’année" and cash_labels[-1] == "Trésorerie en fin d’année"
    end_row = len(list(cash.iter_rows()))
    assert cash["C2"].value == f"=B{end_row}"  # year 2 starts with year 1's closing cash
    cash_rows = {row[0].value: row[0].row for row in cash.iter_rows() if row[0].value}
    ins, outs = cash_rows["Total encaissements"], cash_rows["Total décaissements"]
    assert [cash.cell(row=end_row, column=n).value for n in (2, 3, 4)] == [f"={c}2+{c}{ins}-{c}{outs}" for c in "BCD"]


def test_site_financing_template_balances_uses_and_resources(client, member, enrolment):
    client.force_login(member)
    response = _template(client, _deliverable(enrolment, "site_financing"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Fiche lieu", "Plan de financement"]
    assert workbook["Fiche lieu"]["A2"].value == "Projet : Tiers-lieu de Chatou — à rendre le 31 mai 2026"
    plan = workbook["Plan de financement"]
    rows = {row[0].value: row for row in plan.iter_rows() if row[0].value}
    gap = rows["Écart ressources − emplois (doit être 0)"][1].value
    assert gap == f"=B{rows['Total ressources'][0].row}-B{rows['Total emplois'][0].row}"


def test_templates_for_every_deliverable_of_an_enrolment_open(client, member, enrolment):
    client.force_login(member)
    for deliverable in enrolment.deliverables.all():
        response = _template(client, deliverable)
        assert response.status_code == 200, deliverable.kind
        if response["Content-Type"] == DOCX_TYPE:
            assert Document(io.BytesIO(response.content)).paragraphs[0].text == deliverable.title
        else:
            assert load_workbook(io.BytesIO(response.content)).properties.title == deliverable.title


# --- who may download -------------------------------------------------------------------------

def test_template_is_for_the_holder_their_coach_and_staff_only(client, member, coach, staff, enrolment, other_enrolment):
    deliverable = _deliverable(enrolment, "diagnostic")
    url = reverse("fabrique:deliverable_template", args=[deliverable.pk])
    other_cohort = make_cohort(staff, year=2027)
    outsider = UserFactory()
    services.enrol(cohort=other_cohort, holder=outsider, project_name="Ailleurs")
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")
    for person, expected in ((outsider, 404), (other_enrolment.holder, 404), (UserFactory(), 404),
                             (member, 200), (coach, 200), (staff, 200)):
        client.force_login(person)
        assert client.get(url).status_code == expected, person


# --- staff edit the brief -----------------------------------------------------------------------

def test_a_cohort_without_its_own_brief_shows_the_default(enrolment):
    module = enrolment.cohort.modules.get(month=3)
    assert (module.deliverable_brief, module.deliverable_criteria, module.deliverable_length) == ("", "", "")
    brief = selectors.deliverable_brief(_deliverable(enrolment, "market_study"))
    assert brief["produce"] == DEFAULT_BRIEFS["market_study"].produce
    assert brief["criteria"] == list(DEFAULT_BRIEFS["market_study"].criteria)
    assert brief["module"] == module and brief["has_template"] is True


def test_staff_edit_a_brief_and_holders_see_it(client, staff, member, enrolment):
    module = enrolment.cohort.modules.get(month=1)
    url = reverse("fabrique:staff_brief", args=[module.pk])
    client.force_login(staff)
    page = client.get(url).content.decode()
    # the form starts from what holders see today
    assert DEFAULT_BRIEFS["diagnostic"].length in page and DEFAULT_BRIEFS["diagnostic"].criteria[0] in page
    response = client.post(url, {"produce": "Un portrait du quartier des Alouettes.",
                                 "criteria": "Sources citées\n\n  Dix entretiens  \n", "length": "6 pages"})
    assert (response.status_code, response["Location"]) == (302, reverse("fabrique:staff_curriculum", args=[module.cohort_id]))
    module.refresh_from_db()
    assert (module.deliverable_brief, module.deliverable_criteria, module.deliverable_length) == (
        "Un portrait du quartier des Alouettes.", "Sources citées\nDix entretiens", "6 pages")
    audit = AuditLog.objects.get(action="fabrique.brief_updated")
    assert (audit.actor, audit.target_id, audit.data) == (staff, str(module.pk), {"cohort": module.cohort_id, "kind": "diagnostic"})
    client.force_login(member)
    html = client.get(reverse("fabrique:deliverable", args=[_deliverable(enrolment, "diagnostic").pk])).content.decode()
    assert "Un portrait du quartier des Alouettes." in html
    assert "<li>Sources citées</li><li>Dix entretiens</li>" in html
    assert "<dt>Longueur attendue</dt><dd>6 pages</dd>" in html


def test_staff_brief_with_an_empty_field_is_refused_and_nothing_changes(client, staff, enrolment):
    module = enrolment.cohort.modules.get(month=2)
    client.force_login(staff)
    response = client.post(reverse("fabrique:staff_brief", args=[module.pk]),
                           {"produce": "Nouveau texte", "criteria": "  \n ", "length": "2 pages"})
    assert response.status_code == 400
    assert "Ce que regarde le coach — Ce champ est obligatoire." in response.content.decode()
    module.refresh_from_db()
    assert (module.deliverable_brief, module.deliverable_criteria, module.deliverable_length) == ("", "", "")
    assert not AuditLog.objects.filter(action="fabrique.brief_updated").exists()


def test_a_month_without_deliverable_has_no_brief_page(client, staff, enrolment):
    module = enrolment.cohort.modules.get(month=6)
    Module.objects.filter(pk=module.pk).update(deliverable_kind="")
    client.force_login(staff)
    assert client.get(reverse("fabrique:staff_brief", args=[module.pk])).status_code == 404


def test_only_staff_edit_a_brief(coach, enrolment):
    module = enrolment.cohort.modules.get(month=1)
    from quai.errors import NotAllowedError

    with pytest.raises(NotAllowedError):
        services.module_brief_update(module=module, by=coach, produce="x", criteria="y", length="z")


def test_staff_see_a_link_to_edit_the_brief_from_the_deliverable_and_the_curriculum(client, staff, enrolment):
    module = enrolment.cohort.modules.get(month=1)
    client.force_login(staff)
    brief_url = reverse("fabrique:staff_brief", args=[module.pk])
    deliverable = _deliverable(enrolment, "diagnostic")
    assert f'<a href="{brief_url}">Modifier ces consignes</a>' in client.get(
        reverse("fabrique:deliverable", args=[deliverable.pk])).content.decode()
    assert f'href="{brief_url}"' in client.get(reverse("fabrique:staff_curriculum", args=[module.cohort_id])).content.decode()


def test_due_date_stays_the_deliverables_own(member, enrolment):
    deliverable = _deliverable(enrolment, "business_plan")
    deliverable.due_on = datetime.date(2026, 7, 15)
    deliverable.save(update_fields=["due_on"])
    assert selectors.deliverable_brief(deliverable)["module"].month == 6
