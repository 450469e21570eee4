"""The data migration turns old Déclic sessions (Quai's codes, one profile) into national activities."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("events", "0004_declic_database_rules")]
AFTER = [("events", "0005_declic_migrate_sessions")]


@pytest.fixture
def migrate_to():
    def run(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield run
    # Back to the latest schema for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_old_sessions_become_activities_with_one_row_per_participant(migrate_to):
    old_apps = migrate_to(BEFORE)
    Session = old_apps.get_model("events", "MediationSession")
    recorded = timezone.make_aware(datetime.datetime(2025, 5, 6, 10, 15))
    individual = Session.objects.create(
        date=datetime.date(2025, 5, 6), duration_min=45, kind="individual", place="home", commune="Poissy",
        themes=["procedures", "proc_money", "email"], equipment=["phone", "computer"], autonomy="partly",
        redirected_to="Mairie de Poissy", gender="f", age_band="70p", social_status="retired", first_time=True,
        pass_numerique="PN-123", notes="Revenir mardi",
    )
    Session.objects.filter(pk=individual.pk).update(created_at=recorded)
    group = Session.objects.create(
        date=datetime.date(2025, 6, 1), duration_min=120, kind="collective", place="on_site", themes=["security", "Santé", "astrologie"],
        equipment=["none"], workshop_title="Arnaques en ligne", participants=3, gender="m", age_band="40_59",
        social_status="employed", commune="Le Pecq",
    )

    new_apps = migrate_to(AFTER)
    Activity = new_apps.get_model("events", "MediationActivity")
    Participant = new_apps.get_model("events", "MediationParticipant")

    one = Activity.objects.get(pk=individual.pk)
    assert (one.type, one.date, one.duree, one.type_lieu) == ("individuel", datetime.date(2025, 5, 6), 45, "domicile")
    assert one.thematiques == ["aide_aux_demarches_administratives", "argent_impots", "email"]
    assert one.materiel == ["telephone", "ordinateur"]
    assert (one.autonomie, one.oriente_vers_structure, one.structure_de_redirection) == ("partiellement_autonome", True, "autre")
    assert one.notes == "Revenir mardi\n\nReprise des anciennes données — orientation : Mairie de Poissy"
    assert (one.pass_numerique, one.created_at, one.updated_at) == ("PN-123", recorded, recorded)
    assert list(Participant.objects.filter(activity=one).values_list(
        "position", "anonymous", "genre", "tranche_age", "statut_social", "commune", "first_time", "activity_type",
    )) == [(1, False, "feminin", "soixante_dix_plus", "retraite", "Poissy", True, "individuel")]

    workshop = Activity.objects.get(pk=group.pk)
    assert (workshop.type, workshop.titre_atelier, workshop.autonomie, workshop.materiel) == ("collectif", "Arnaques en ligne", "", ["aucun"])
    assert workshop.thematiques == ["securite_numerique", "sante"]
    assert workshop.notes == "Reprise des anciennes données — thématique : astrologie"
    assert list(Participant.objects.filter(activity=workshop).order_by("position").values_list(
        "position", "anonymous", "genre", "tranche_age", "statut_social", "commune",
    )) == [
        (1, False, "masculin", "quarante_cinquante_neuf", "en_emploi", "Le Pecq"),
        (2, True, "non_communique", "non_communique", "non_communique", ""),
        (3, True, "non_communique", "non_communique", "non_communique", ""),
    ]

    # The next activity gets a fresh id after the copied ones.
    with transaction.atomic():
        created = Activity.objects.create(type="individuel", date=datetime.date(2025, 7, 1), duree=30, thematiques=["email"])
        Participant.objects.create(activity=created, activity_type="individuel")
    assert created.pk > group.pk


@pytest.mark.django_db(transaction=True)
def test_a_session_whose_themes_are_all_unknown_keeps_them_in_the_notes(migrate_to):
    old_apps = migrate_to(BEFORE)
    Session = old_apps.get_model("events", "MediationSession")
    session = Session.objects.create(date=datetime.date(2025, 1, 2), themes=["cuisine"], kind="individual")
    Activity = migrate_to(AFTER).get_model("events", "MediationActivity")
    activity = Activity.objects.get(pk=session.pk)
    assert activity.thematiques == ["culture_numerique"]
    assert activity.notes == "Reprise des anciennes données — thématique : cuisine"
