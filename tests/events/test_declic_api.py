"""Déclic API: the national JSON:API list and Quai's create/list, staff only, national codes."""

import datetime

import pytest
from rest_framework.test import APIClient

from events.declic.models import MediationActivity, MediationParticipant
from events.declic.services import AnonymousCount, ParticipantData
from tests.events.factories_declic import individual, workshop

pytestmark = pytest.mark.django_db

ACTIVITES = "/api/v1/declic/activites/"
SESSIONS = "/api/v1/mediation-sessions/"
ZERO_GENRES = {"masculin": 0, "feminin": 0, "non_communique": 0}
ZERO_AGES = {code: 0 for code in ["moins_de_douze", "douze_dix_huit", "dix_huit_vingt_quatre", "vingt_cinq_trente_neuf",
                                  "quarante_cinquante_neuf", "soixante_soixante_neuf", "soixante_dix_plus", "non_communique"]}
ZERO_STATUTS = {"scolarise": 0, "sans_emploi": 0, "en_emploi": 0, "retraite": 0, "non_communique": 0}


def test_activites_are_national_jsonapi_items_with_every_code_counted(staff_api):
    activity = workshop(
        date=datetime.date(2026, 3, 12), duree=120, thematiques=["securite_numerique", "email"], materiel=["telephone"],
        titre_atelier="Arnaques", niveau_atelier="debutant",
        participants=[ParticipantData(genre="feminin", tranche_age="soixante_dix_plus", statut_social="retraite", commune="Poissy")],
        anonymous=AnonymousCount(total=3, genres={"masculin": 2}, statuts={"en_emploi": 1}),
    )
    MediationActivity.objects.filter(pk=activity.pk).update(
        created_at=datetime.datetime(2026, 3, 12, 9, 5, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2026, 7, 1, 16, 30, tzinfo=datetime.UTC),
    )
    body = staff_api.get(ACTIVITES).json()
    [item] = body["data"]
    assert item == {
        "type": "activite",
        "id": str(activity.pk),
        "attributes": {
            "type": "collectif", "accompagnements": 4, "date": "2026-03-12", "duree": 120, "type_lieu": "lieu_activite",
            "lieu_code_postal": None, "lieu_commune": None, "lieu_code_insee": None, "autonomie": None,
            "oriente_vers_structure": False, "structure_de_redirection": None, "materiel": ["telephone"],
            "thematiques": ["securite_numerique", "email"], "tags": [], "precisions_demarche": None,
            "titre_atelier": "Arnaques", "niveau_atelier": "debutant",
            "beneficiaires": {
                "total": 4,
                "genres": {**ZERO_GENRES, "feminin": 1, "masculin": 2, "non_communique": 1},
                "tranches_age": {**ZERO_AGES, "soixante_dix_plus": 1, "non_communique": 3},
                "statuts": {**ZERO_STATUTS, "retraite": 1, "en_emploi": 1, "non_communique": 2},
            },
            "creation": "2026-03-12T10:05:00+01:00",
            "modification": "2026-07-01T18:30:00+02:00",
        },
    }
    assert body["meta"] == {"total": 1}


def test_activites_filter_by_period_both_spellings(staff_api):
    march = individual(date=datetime.date(2026, 3, 10))
    individual(date=datetime.date(2026, 5, 1))
    for query in ("?du=2026-03-01&au=2026-03-31", "?filter[du]=2026-03-01&filter[au]=2026-03-31"):
        assert [item["id"] for item in staff_api.get(ACTIVITES + query).json()["data"]] == [str(march.pk)]


@pytest.mark.parametrize("query, field", [("?du=2026-02-30", "du"), ("?filter[au]=demain", "au"), ("?du=2026-03-10&au=2026-03-01", "au")])
def test_activites_bad_dates_are_400_naming_the_parameter(staff_api, query, field):
    response = staff_api.get(ACTIVITES + query)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_activites_are_paginated_with_links(staff_api):
    ids = [individual(date=datetime.date(2026, 1, day)).pk for day in range(1, 6)]
    first = staff_api.get(ACTIVITES + "?page[size]=2").json()
    assert [item["id"] for item in first["data"]] == [str(ids[4]), str(ids[3])]
    links = first["links"]
    assert links["prev"] is None
    assert links["first"] == "http://testserver/api/v1/declic/activites/?page%5Bnumber%5D=1&page%5Bsize%5D=2"
    assert links["next"] == "http://testserver/api/v1/declic/activites/?page%5Bnumber%5D=2&page%5Bsize%5D=2"
    assert links["last"] == "http://testserver/api/v1/declic/activites/?page%5Bnumber%5D=3&page%5Bsize%5D=2"
    last = staff_api.get(links["last"]).json()
    assert [item["id"] for item in last["data"]] == [str(ids[0])]
    assert last["links"]["next"] is None and last["links"]["prev"] == links["next"]
    assert first["meta"] == {"total": 5}


def test_activites_page_in_a_constant_number_of_queries(staff_api, django_assert_num_queries):
    for _n in range(4):
        workshop(anonymous=AnonymousCount(total=6))
    # The count, then the page of activities with all their profile counts (one grouped query).
    with django_assert_num_queries(2):
        assert staff_api.get(ACTIVITES).status_code == 200


def test_declic_api_is_staff_only(api_client, member_api):
    # Anonymous callers get 403 like the rest of the API (session authentication sends no challenge).
    assert api_client.get(ACTIVITES).status_code == 403
    assert api_client.get(SESSIONS).status_code == 403
    assert api_client.post(SESSIONS, {}, format="json").status_code == 403
    assert member_api.get(ACTIVITES).status_code == 403
    assert member_api.get(SESSIONS).status_code == 403
    assert member_api.post(SESSIONS, {}, format="json").status_code == 403


WORKSHOP = {
    "date": "2026-11-20", "kind": "collectif", "duration_min": 90, "place": "autre", "commune": "Le Pecq", "postal_code": "78230",
    "insee_code": "78481", "themes": ["securite_numerique", "banque_et_achats_en_ligne"], "equipment": ["telephone", "tablette"],
    "workshop_title": "Payer en ligne sans risque", "workshop_level": "intermediaire", "redirected": True,
    "redirected_to": "mediation_numerique", "procedure_details": "",
    "participants": [
        {"gender": "feminin", "age_band": "soixante_dix_plus", "social_status": "retraite", "commune": "Poissy", "first_time": True},
        {"gender": "masculin", "age_band": "quarante_cinquante_neuf", "social_status": "en_emploi", "commune": "Le Pecq"},
    ],
    "anonymous_participants": {"total": 5, "gender": {"feminin": 3}, "age_band": {"soixante_soixante_neuf": 5}},
}


def test_post_records_a_workshop_one_row_per_participant_and_answers_in_quai_names(staff_api, staff):
    response = staff_api.post(SESSIONS, WORKSHOP, format="json")
    assert response.status_code == 201
    activity = MediationActivity.objects.get()
    assert (activity.type, activity.duree, activity.type_lieu, activity.lieu_commune, activity.lieu_code_insee) == (
        "collectif", 90, "autre", "Le Pecq", "78481")
    assert (activity.structure_de_redirection, activity.created_by) == ("mediation_numerique", staff)
    assert activity.participants.count() == 7
    assert list(activity.participants.filter(anonymous=True).values_list("genre", flat=True)) == ["feminin"] * 3 + ["non_communique"] * 2
    body = response.json()
    assert body["id"] == activity.pk and body["kind"] == "collectif" and body["themes"] == WORKSHOP["themes"]
    assert body["participants"][0] == {"gender": "feminin", "age_band": "soixante_dix_plus", "social_status": "retraite",
                                       "commune": "Poissy", "postal_code": "", "insee_code": "", "first_time": True}
    assert body["anonymous_participants"] == {"total": 5, "gender": {"feminin": 3}, "age_band": {"soixante_soixante_neuf": 5}, "social_status": {}}
    listed = staff_api.get(SESSIONS).json()
    assert listed["count"] == 1 and listed["results"][0] == body


def test_post_an_individual_support(staff_api):
    body = {"date": "2026-11-20", "kind": "individuel", "duration_min": 30, "themes": ["email"], "autonomy": "autonome",
            "participants": [{"gender": "non_communique", "age_band": "soixante_dix_plus", "social_status": "retraite"}]}
    response = staff_api.post(SESSIONS, body, format="json")
    assert response.status_code == 201
    assert response.json()["anonymous_participants"] is None
    assert MediationParticipant.objects.get().tranche_age == "soixante_dix_plus"


@pytest.mark.parametrize("change, field", [
    ({"themes": []}, "themes"),
    ({"themes": ["security"]}, "themes"),
    ({"kind": "collective"}, "kind"),
    ({"duration_min": 0}, "duration_min"),
    ({"place": "on_site"}, "place"),
    ({"equipment": ["phone"]}, "equipment"),
    ({"postal_code": "7823"}, "postal_code"),
    ({"redirected": False}, "redirected_to"),
    ({"autonomy": "autonome"}, "autonomy"),
    ({"participants": [{"gender": "f"}]}, "participants"),
    ({"participants": [{"age_band": "70p"}]}, "participants"),
    ({"anonymous_participants": {"total": -1}}, "anonymous_participants"),
    ({"anonymous_participants": {"total": 2, "gender": {"feminin": -1}}}, "anonymous_participants"),
    ({"anonymous_participants": {"total": 2, "gender": {"feminin": 3}}}, "anonymous_participants"),
    ({"anonymous_participants": {"total": 2, "social_status": {"chomeur": 1}}}, "anonymous_participants"),
    ({"participants": [], "anonymous_participants": None}, "participants"),
    ({"date": "2026-02-30"}, "date"),
])
def test_post_bad_input_is_400_naming_the_field_and_writes_nothing(staff_api, change, field):
    response = staff_api.post(SESSIONS, {**WORKSHOP, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert MediationActivity.objects.count() == 0 and MediationParticipant.objects.count() == 0


def test_post_individual_with_two_participants_is_400(staff_api):
    body = {"date": "2026-11-20", "kind": "individuel", "duration_min": 30, "themes": ["email"], "participants": [{}, {}]}
    response = staff_api.post(SESSIONS, body, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["participants"]


def test_the_openapi_schema_documents_both_endpoints(staff_api):
    client = APIClient()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    activites = schema["paths"]["/api/v1/declic/activites/"]["get"]
    assert {p["name"] for p in activites["parameters"]} >= {"du", "au", "filter[du]", "filter[au]", "page[number]", "page[size]"}
    assert "post" in schema["paths"]["/api/v1/mediation-sessions/"]
    attributes = schema["components"]["schemas"]["ActiviteAttributes"]["properties"]
    assert {"accompagnements", "beneficiaires", "thematiques", "creation", "modification"} <= set(attributes)
    assert set(schema["components"]["schemas"]["TranchesAge"]["properties"]) == set(ZERO_AGES)


def test_session_list_filters_by_period_and_pages_in_three_queries(staff_api, django_assert_num_queries):
    march = workshop(date=datetime.date(2026, 3, 12), anonymous=AnonymousCount(total=4))
    individual(date=datetime.date(2026, 5, 1))
    # The count, the page of activities, their participants (one prefetch).
    with django_assert_num_queries(3):
        body = staff_api.get(SESSIONS + "?du=2026-03-01&au=2026-03-31").json()
    assert [item["id"] for item in body["results"]] == [march.pk]
    assert body["results"][0]["anonymous_participants"]["total"] == 4
    assert staff_api.get(SESSIONS + "?au=mars").status_code == 400


def test_staff_can_read_an_activity_in_the_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@example.org", password="x-long-password-1")
    activity = workshop(anonymous=AnonymousCount(total=2))
    client.force_login(admin)
    assert client.get("/admin/events/mediationactivity/").status_code == 200
    assert client.get(f"/admin/events/mediationactivity/{activity.pk}/change/").status_code == 200
    assert client.get("/admin/events/mediationactivity/add/").status_code == 403
