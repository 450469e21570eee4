"""The national XLSX export, read back with openpyxl as a funder's spreadsheet would."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from events.declic.exports import HEADERS
from events.declic.models import MediationActivity
from events.declic.services import AnonymousCount, ParticipantData
from tests.events.factories_declic import individual, workshop

pytestmark = pytest.mark.django_db

NATIONAL_COLUMNS = [
    "Date", "Enregistré le", "Dernière modification le", "Type", "Participants", "Canaux d'accompagnement", "Nom du lieu",
    "Adresse", "Commune", "Code postal", "Code Insee", "Durée (min)", "Nom de l'atelier", "Matériel numérique utilisé",
    "Thématique(s) d'accompagnement", "Tags", "Nom de la démarche administrative", "Niveau d'autonomie (ou de l'atelier)",
    "Bénéficiaire réorienté", "Structure de redirection", "Commune du bénéficiaire", "Code postal du bénéficiaire",
    "Code Insee du bénéficiaire", "Genre du bénéficiaire", "Tranche d'âge du bénéficiaire", "Statut du bénéficiaire", "ID CRA",
]


def _sheet(client, staff, query=""):
    client.force_login(staff)
    response = client.get(reverse("events:mediation_export") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Activités"]
    return workbook["Activités"]


def _rows(sheet):
    return [dict(zip(NATIONAL_COLUMNS, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_columns_are_the_national_ones_in_order(client, staff):
    sheet = _sheet(client, staff)
    assert HEADERS == NATIONAL_COLUMNS
    assert [c.value for c in sheet[1]] == NATIONAL_COLUMNS
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:AA1"


def test_an_individual_support_is_one_row_with_typed_dates_and_national_labels(client, staff):
    activity = individual(
        date=datetime.date(2026, 3, 10), duree=45, thematiques=["aide_aux_demarches_administratives", "argent_impots", "email"],
        materiel=["telephone", "ordinateur"], autonomie="partiellement_autonome", type_lieu="domicile", lieu_commune="Poissy",
        lieu_code_postal="78300", lieu_code_insee="78498", precisions_demarche="Déclaration d’impôts",
        oriente_vers_structure=True, structure_de_redirection="aide_sociale",
        participant=ParticipantData(genre="feminin", tranche_age="soixante_dix_plus", statut_social="retraite",
                                    commune="Le Pecq", code_postal="78230", code_insee="78481"),
    )
    # Recorded at 9:05 in Paris (8:05 UTC in winter), modified at 18:30 in Paris.
    MediationActivity.objects.filter(pk=activity.pk).update(
        created_at=datetime.datetime(2026, 3, 10, 8, 5, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2026, 3, 11, 17, 30, tzinfo=datetime.UTC),
    )
    sheet = _sheet(client, staff)
    [row] = _rows(sheet)
    assert row == {
        "Date": datetime.datetime(2026, 3, 10, 0, 0),
        "Enregistré le": "10/03/2026 à 09:05",
        "Dernière modification le": "11/03/2026 à 18:30",
        "Type": "Accompagnement individuel",
        "Participants": "1",
        "Canaux d'accompagnement": "À domicile",
        "Nom du lieu": None,
        "Adresse": None,
        "Commune": "Poissy",
        "Code postal": "78300",
        "Code Insee": "78498",
        "Durée (min)": 45,
        "Nom de l'atelier": None,
        "Matériel numérique utilisé": "Téléphone\nOrdinateur",
        "Thématique(s) d'accompagnement": "Aide aux démarches administratives\nArgent - Impôts\nE-mail",
        "Tags": None,
        "Nom de la démarche administrative": "Déclaration d’impôts",
        "Niveau d'autonomie (ou de l'atelier)": "2/3",
        "Bénéficiaire réorienté": "Oui",
        "Structure de redirection": "Structure d'aide sociale (maison des solidarités, centre social…)",
        "Commune du bénéficiaire": "Le Pecq",
        "Code postal du bénéficiaire": "78230",
        "Code Insee du bénéficiaire": "78481",
        "Genre du bénéficiaire": "Féminin",
        "Tranche d'âge du bénéficiaire": "70 ans et plus",
        "Statut du bénéficiaire": "Retraité",
        "ID CRA": activity.pk,
    }
    assert sheet["A2"].is_date and sheet["A2"].number_format == "DD/MM/YYYY"
    assert (sheet["L2"].data_type, sheet["AA2"].data_type) == ("n", "n")
    assert sheet["N2"].alignment.wrap_text is True


def test_a_workshop_of_eight_is_eight_rows_numbered_i_of_n(client, staff):
    activity = workshop(
        participants=[ParticipantData(genre="feminin", commune="Poissy"), ParticipantData(genre="masculin", commune="Achères")],
        anonymous=AnonymousCount(total=6, tranches_age={"soixante_soixante_neuf": 2}),
        titre_atelier="Déjouer les arnaques", niveau_atelier="avance", materiel=["aucun"],
    )
    rows = _rows(_sheet(client, staff))
    assert [r["Participants"] for r in rows] == ["1/8", "2/8", "3/8", "4/8", "5/8", "6/8", "7/8", "8/8"]
    assert {r["ID CRA"] for r in rows} == {activity.pk}
    assert {r["Type"] for r in rows} == {"Atelier collectif"}
    assert {r["Nom de l'atelier"] for r in rows} == {"Déjouer les arnaques"}
    assert {r["Niveau d'autonomie (ou de l'atelier)"] for r in rows} == {"3/3"}
    assert {r["Matériel numérique utilisé"] for r in rows} == {"Pas de matériel"}
    assert [r["Commune du bénéficiaire"] for r in rows] == ["Poissy", "Achères"] + [None] * 6
    assert [r["Genre du bénéficiaire"] for r in rows] == ["Féminin", "Masculin"] + ["Non communiqué"] * 6
    assert [r["Tranche d'âge du bénéficiaire"] for r in rows][2:] == ["60 - 69 ans"] * 2 + ["Non communiqué"] * 4
    assert {r["Canaux d'accompagnement"] for r in rows} == {"Lieu d'activité"}
    assert {r["Nom du lieu"] for r in rows} == {None}  # no site in this database


def test_rows_are_in_date_order_and_filtered_by_period(client, staff):
    late = individual(date=datetime.date(2026, 4, 2))
    early = individual(date=datetime.date(2026, 1, 15))
    individual(date=datetime.date(2025, 12, 31))
    rows = _rows(_sheet(client, staff, "?du=2026-01-01&au=2026-12-31"))
    assert [r["ID CRA"] for r in rows] == [early.pk, late.pk]


def test_free_text_that_looks_like_a_formula_stays_text(client, staff):
    individual(precisions_demarche="=HYPERLINK(\"http://x\")", participant=ParticipantData(commune="+33 Poissy"))
    sheet = _sheet(client, staff)
    [row] = _rows(sheet)
    assert row["Nom de la démarche administrative"] == "=HYPERLINK(\"http://x\")"
    assert sheet["Q2"].data_type == "s"
    assert row["Commune du bénéficiaire"] == "+33 Poissy"


def test_bad_period_is_a_400_and_members_cannot_export(client, staff, member):
    client.force_login(staff)
    assert client.get(reverse("events:mediation_export") + "?du=2026-13-01").status_code == 400
    client.force_login(member)
    assert client.get(reverse("events:mediation_export")).status_code == 403


def test_export_reads_the_rows_in_a_constant_number_of_queries(client, staff, django_assert_num_queries):
    for _n in range(3):
        workshop(anonymous=AnonymousCount(total=5))
    client.force_login(staff)
    # The user, the site, the participants with their activities (one query with the window count,
    # read through a cursor), whatever the number of rows.
    with django_assert_num_queries(3):
        assert client.get(reverse("events:mediation_export")).status_code == 200


def test_the_timestamps_are_paris_time_in_summer_too(client, staff):
    activity = individual()
    MediationActivity.objects.filter(pk=activity.pk).update(created_at=datetime.datetime(2026, 7, 14, 21, 59, tzinfo=datetime.UTC))
    assert _rows(_sheet(client, staff))[0]["Enregistré le"] == "14/07/2026 à 23:59"


def test_at_the_place_of_activity_the_row_names_the_site(client, staff):
    from tests.coworking.factories import SiteFactory

    SiteFactory(name="Le Quai des possibles", address="2 rue de la Paroisse, 78100 Saint-Germain-en-Laye")
    workshop(anonymous=AnonymousCount(total=1))
    individual(type_lieu="a_distance")
    rows = _rows(_sheet(client, staff))
    assert [(r["Canaux d'accompagnement"], r["Nom du lieu"], r["Adresse"]) for r in rows] == [
        ("À distance", None, None),
        ("Lieu d'activité", "Le Quai des possibles", "2 rue de la Paroisse, 78100 Saint-Germain-en-Laye"),
    ]
