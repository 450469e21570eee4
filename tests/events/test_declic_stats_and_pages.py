"""Déclic statistics (a selector, counting participants) and the staff pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.declic.models import MediationActivity, MediationParticipant
from events.declic.selectors import mediation_statistics
from events.declic.services import AnonymousCount, ParticipantData
from tests.events.factories_declic import individual, workshop

pytestmark = pytest.mark.django_db

# The quick log's three empty rows of known workshop participants, as the browser sends them.
KNOWN_EMPTY = {"known-TOTAL_FORMS": "3", "known-INITIAL_FORMS": "0", "known-MIN_NUM_FORMS": "0", "known-MAX_NUM_FORMS": "40",
               **{f"known-{n}-{name}": "non_communique" for n in range(3) for name in ("genre", "tranche_age", "statut_social")}}



def _rows(stats, title):
    [breakdown] = [b for b in stats.breakdowns if b.title == title]
    return {row.code: row.count for row in breakdown.rows}


@pytest.fixture
def records():
    individual(date=datetime.date(2026, 3, 2), duree=15, thematiques=["email", "sante"], materiel=["telephone"], type_lieu="domicile",
               participant=ParticipantData(genre="feminin", tranche_age="soixante_dix_plus", statut_social="retraite",
                                           commune="Poissy", first_time=True))
    individual(date=datetime.date(2026, 3, 3), duree=30, thematiques=["email"], materiel=["ordinateur", "telephone"],
               participant=ParticipantData(genre="masculin", commune="Poissy"))
    individual(date=datetime.date(2026, 3, 4), duree=60, thematiques=["argent_impots"], type_lieu="a_distance",
               participant=ParticipantData(commune="Le Pecq", first_time=True))
    workshop(date=datetime.date(2026, 3, 5), duree=120, thematiques=["securite_numerique", "email"], materiel=["aucun"],
             participants=[ParticipantData(genre="feminin", commune="Achères", first_time=True)],
             anonymous=AnonymousCount(total=7, genres={"feminin": 4, "masculin": 2}, tranches_age={"soixante_soixante_neuf": 7},
                                      statuts={"retraite": 5}))
    individual(date=datetime.date(2025, 12, 31), duree=59, thematiques=["bureautique"])  # outside March


def test_statistics_count_participants_not_activities(records):
    stats = mediation_statistics(start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31))
    assert (stats.activities, stats.accompaniments, stats.individual, stats.collective, stats.new_beneficiaries) == (4, 11, 3, 8, 3)
    themes = _rows(stats, "Par thématique")
    assert [b.title for b in stats.breakdowns] == ["Par thématique", "Par durée", "Par lieu", "Par matériel", "Par genre",
                                                   "Par tranche d’âge", "Par statut", "Par commune"]
    # Themes that occur, most frequent first (bureautique is outside the period).
    assert list(themes.items()) == [("email", 10), ("securite_numerique", 8), ("sante", 1), ("argent_impots", 1)]
    assert _rows(stats, "Par durée") == {"moins_30": 1, "30_60": 1, "60_120": 1, "120_plus": 8}
    assert _rows(stats, "Par lieu") == {"lieu_activite": 9, "domicile": 1, "a_distance": 1, "autre": 0}
    assert _rows(stats, "Par matériel") == {"ordinateur": 1, "telephone": 2, "tablette": 0, "autre": 0, "aucun": 8}
    assert _rows(stats, "Par genre") == {"masculin": 3, "feminin": 6, "non_communique": 2}
    ages = _rows(stats, "Par tranche d’âge")
    assert (ages["soixante_dix_plus"], ages["soixante_soixante_neuf"], ages["non_communique"], sum(ages.values())) == (1, 7, 3, 11)
    assert _rows(stats, "Par statut") == {"scolarise": 0, "sans_emploi": 0, "en_emploi": 0, "retraite": 6, "non_communique": 5}
    assert _rows(stats, "Par commune") == {"Poissy": 2, "Achères": 1, "Le Pecq": 1, "": 7}


def test_statistics_without_period_take_everything(records):
    stats = mediation_statistics()
    assert (stats.activities, stats.accompaniments) == (5, 12)
    assert _rows(stats, "Par durée")["30_60"] == 2


def test_statistics_take_four_queries(records, django_assert_num_queries):
    # Participants by profile, participants by activity (place, duration, themes, equipment), the top
    # communes, the number of activities.
    with django_assert_num_queries(4):
        mediation_statistics()


def test_stats_page_shows_the_breakdowns_in_french(client, staff, records):
    client.force_login(staff)
    response = client.get(reverse("events:mediation_stats"), {"du": "2026-03-01", "au": "2026-03-31"})
    assert response.status_code == 200
    html = response.content.decode()
    for expected in ("Par thématique", "Prévention en sécurité numérique", "Par durée", "Moins de 30 min", "2 h et plus",
                     "Par lieu", "À distance", "Par matériel", "Pas de matériel", "Poissy", "70 ans et plus", "Retraité"):
        assert expected in html, expected
    assert response.context["stats"].accompaniments == 11


def test_stats_page_refuses_a_bad_period(client, staff):
    client.force_login(staff)
    assert client.get(reverse("events:mediation_stats"), {"du": "2026-03-10", "au": "2026-03-01"}).status_code == 400
    assert client.get(reverse("events:mediation_stats"), {"du": "pas une date"}).status_code == 400


@pytest.mark.parametrize("name", ["events:mediation_log", "events:mediation_stats", "events:mediation_export"])
def test_staff_pages_are_staff_only(client, member, name):
    assert client.get(reverse(name)).status_code == 302  # anonymous: to the login page
    client.force_login(member)
    assert client.get(reverse(name)).status_code == 403


def test_quick_log_records_an_individual_support(client, staff):
    client.force_login(staff)
    assert client.get(reverse("events:mediation_log")).status_code == 200
    response = client.post(reverse("events:mediation_log"), {
        **KNOWN_EMPTY, "type": "individuel", "date": "2026-11-20", "duree_preset": "45", "thematiques": ["email", "sante"],
        "materiel": ["telephone"], "type_lieu": "lieu_activite", "autonomie": "autonome", "genre": "feminin",
        "tranche_age": "soixante_dix_plus", "statut_social": "retraite", "commune": "Poissy", "code_postal": "78300", "first_time": "on",
    })
    assert response.status_code == 302
    activity = MediationActivity.objects.get()
    assert (activity.type, activity.duree, activity.thematiques, activity.autonomie, activity.created_by) == (
        "individuel", 45, ["email", "sante"], "autonome", staff)
    assert list(activity.participants.values_list("genre", "tranche_age", "commune", "code_postal", "first_time")) == [
        ("feminin", "soixante_dix_plus", "Poissy", "78300", True)]


def test_quick_log_records_a_workshop_with_counts_and_a_custom_duration(client, staff):
    client.force_login(staff)
    response = client.post(reverse("events:mediation_log"), {
        **KNOWN_EMPTY, "type": "collectif", "date": "2026-11-20", "duree_preset": "autre", "duree_custom": "150",
        "thematiques": ["securite_numerique"], "type_lieu": "lieu_activite", "titre_atelier": "Arnaques", "niveau_atelier": "debutant",
        "genre": "non_communique", "tranche_age": "non_communique", "statut_social": "non_communique",
        "anonymous_total": "6", "genre__feminin": "4", "age__soixante_dix_plus": "2",
    })
    assert response.status_code == 302
    activity = MediationActivity.objects.get()
    assert (activity.type, activity.duree, activity.titre_atelier, activity.niveau_atelier) == ("collectif", 150, "Arnaques", "debutant")
    assert sorted(activity.participants.values_list("genre", flat=True)) == ["feminin"] * 4 + ["non_communique"] * 2
    assert activity.participants.filter(tranche_age="soixante_dix_plus").count() == 2


def test_quick_log_records_a_workshop_with_known_participants_and_others_counted(client, staff):
    client.force_login(staff)
    response = client.post(reverse("events:mediation_log"), {
        **KNOWN_EMPTY, "type": "collectif", "date": "2026-11-20", "duree_preset": "120", "thematiques": ["email"],
        "type_lieu": "lieu_activite", "genre": "non_communique", "tranche_age": "non_communique", "statut_social": "non_communique",
        "known-0-genre": "feminin", "known-0-tranche_age": "soixante_dix_plus", "known-0-commune": "Poissy", "known-0-first_time": "on",
        "known-2-commune": "Le Pecq", "anonymous_total": "2",
    })
    assert response.status_code == 302
    rows = list(MediationActivity.objects.get().participants.order_by("position").values_list("anonymous", "genre", "tranche_age", "commune", "first_time"))
    assert rows == [
        (False, "feminin", "soixante_dix_plus", "Poissy", True),
        (False, "non_communique", "non_communique", "Le Pecq", False),
        (True, "non_communique", "non_communique", "", False),
        (True, "non_communique", "non_communique", "", False),
    ]


@pytest.mark.parametrize("data, field", [
    ({"thematiques": []}, "thematiques"),
    ({"duree_preset": "autre"}, "duree_custom"),
    ({"type": "collectif", "anonymous_total": "0"}, "anonymous_total"),
    ({"type": "collectif", "anonymous_total": "2", "genre__feminin": "3"}, "anonymous_total"),
    ({"structure_de_redirection": "administration"}, "oriente_vers_structure"),
    ({"code_postal": "783"}, "code_postal"),
])
def test_quick_log_bad_input_is_a_400_with_the_error_on_its_field(client, staff, data, field):
    client.force_login(staff)
    base = {"type": "individuel", "date": "2026-11-20", "duree_preset": "30", "thematiques": ["email"], "type_lieu": "lieu_activite",
            "genre": "non_communique", "tranche_age": "non_communique", "statut_social": "non_communique"}
    response = client.post(reverse("events:mediation_log"), {**KNOWN_EMPTY, **base, **data})
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field or "__all__"]
    assert MediationActivity.objects.count() == 0 and MediationParticipant.objects.count() == 0


def test_staff_delete_an_activity_after_confirming_and_the_audit_keeps_it(client, staff, member):
    from quai.models import AuditLog

    activity = workshop(anonymous=AnonymousCount(total=3))
    url = reverse("events:mediation_delete", args=[activity.pk])
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(staff)
    assert "3 participants" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert MediationActivity.objects.count() == 0 and MediationParticipant.objects.count() == 0
    assert AuditLog.objects.filter(action="declic.activity_deleted", target_id=str(activity.pk)).get().data == {
        "date": "2026-03-12", "participants": 3}
    assert client.post(url).status_code == 404


def _individual_post(**extra):
    return {"type": "individuel", "date": "2026-03-10", "duree_preset": "45", "thematiques": ["email"], "type_lieu": "domicile",
            "lieu_commune": "Poissy", "lieu_code_postal": "78300", "materiel": ["telephone", "tablette"], "genre": "non_communique",
            "tranche_age": "non_communique", "statut_social": "non_communique", **KNOWN_EMPTY, **extra}


def test_quick_log_save_and_log_another_keeps_the_date_and_the_defaults(client, staff):
    client.force_login(staff)
    response = client.post(reverse("events:mediation_log"), _individual_post(next="another"), follow=True)
    assert response.status_code == 200
    form = response.context["form"]
    assert "Activité enregistrée. Saisissez la suivante (même date)." in response.content.decode()
    assert {name: form[name].value() for name in ("date", "duree_preset", "type_lieu", "lieu_commune", "lieu_code_postal", "materiel")} == {
        "date": "2026-03-10", "duree_preset": "45", "type_lieu": "domicile", "lieu_commune": "Poissy", "lieu_code_postal": "78300",
        "materiel": ["telephone", "tablette"]}


def test_quick_log_record_keeps_the_defaults_but_not_the_date(client, staff):
    client.force_login(staff)
    response = client.post(reverse("events:mediation_log"), _individual_post(next="done", duree_preset="autre", duree_custom="50"), follow=True)
    form = response.context["form"]
    assert (form["date"].value(), form["duree_preset"].value(), form["duree_custom"].value()) == (timezone.localdate(), "autre", 50)


def test_quick_log_starts_from_the_staff_members_last_activity_and_the_most_used_themes(client, staff):
    from tests.factories import StaffFactory

    other = StaffFactory()
    individual(by=staff, duree=90, materiel=["ordinateur"], type_lieu="a_distance", thematiques=["sante"])
    individual(by=other, duree=15, materiel=["telephone"], thematiques=["sante", "logement"])  # someone else's: not a default
    client.force_login(staff)
    form = client.get(reverse("events:mediation_log")).context["form"]
    assert (form["duree_preset"].value(), form["materiel"].value(), form["type_lieu"].value()) == ("90", ["ordinateur"], "a_distance")
    top, rest, open_rest = form.theme_chips()
    assert [chip.data["value"] for chip in top[:3]] == ["sante", "logement", "diagnostic_numerique"]
    assert (len(top), len(rest), open_rest) == (8, 22, False)
