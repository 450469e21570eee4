"""Déclic records: the database keeps the national rules whatever path writes (service, admin, SQL)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from events.declic.choices import NATIONAL_LABELS, AgeBand, Gender, SocialStatus, Theme
from events.declic.models import MediationActivity, MediationParticipant
from events.declic.services import AnonymousCount, ParticipantData, mediation_activity_create
from quai.errors import DomainError
from tests.events.factories_declic import individual, workshop

pytestmark = pytest.mark.django_db


def _activity(**overrides):
    values = dict(type="individuel", date=datetime.date(2026, 3, 10), duree=30, thematiques=["email"])
    values.update(overrides)
    return MediationActivity(**values)


def _check_now():
    # The "has a participant" rule is checked at commit; tests run inside a transaction, so ask now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.parametrize("overrides, constraint", [
    ({"thematiques": []}, "declic_at_least_one_theme"),
    ({"duree": 0}, "declic_duration_range"),
    ({"duree": 601}, "declic_duration_range"),
    ({"autonomie": "autonome", "type": "collectif"}, "declic_fields_match_type"),
    ({"titre_atelier": "Smartphone"}, "declic_fields_match_type"),
    ({"structure_de_redirection": "administration"}, "declic_redirection_only_when_redirected"),
])
def test_database_refuses_an_activity_that_breaks_a_national_rule(overrides, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        _activity(**overrides).save()
    assert MediationActivity.objects.count() == 0


def test_an_individual_activity_has_at_most_one_participant_in_the_database():
    activity = individual()
    with pytest.raises(IntegrityError, match="declic_individual_one_participant"), transaction.atomic():
        MediationParticipant.objects.create(activity=activity, activity_type="individuel", position=2)
    assert activity.participants.count() == 1


def test_the_participant_copy_of_the_type_cannot_lie():
    activity = individual()
    with pytest.raises(IntegrityError, match="declic_participant_activity_type_fk"), transaction.atomic():
        MediationParticipant.objects.create(activity=activity, activity_type="collectif", position=2)


def test_a_workshop_of_three_cannot_become_an_individual_support():
    activity = workshop(anonymous=AnonymousCount(total=3))
    with pytest.raises(IntegrityError, match="declic_individual_one_participant"), transaction.atomic():
        MediationActivity.objects.filter(pk=activity.pk).update(type="individuel")
    assert set(activity.participants.values_list("activity_type", flat=True)) == {"collectif"}


def test_a_workshop_of_one_that_becomes_individual_carries_its_participant_along():
    activity = workshop(anonymous=AnonymousCount(total=1))
    MediationActivity.objects.filter(pk=activity.pk).update(type="individuel")
    assert list(activity.participants.values_list("activity_type", flat=True)) == ["individuel"]


def test_an_activity_without_participant_is_refused_at_commit():
    with pytest.raises(IntegrityError, match="declic_activity_has_a_participant"), transaction.atomic():
        _activity().save()
        _check_now()


def test_removing_the_last_participant_is_refused_at_commit():
    activity = individual()
    _check_now()
    with pytest.raises(IntegrityError, match="declic_activity_has_a_participant"), transaction.atomic():
        activity.participants.all().delete()
        _check_now()
    assert activity.participants.count() == 1


def test_deleting_an_activity_takes_its_participants():
    activity = workshop(anonymous=AnonymousCount(total=4))
    activity.delete()
    _check_now()
    assert MediationParticipant.objects.count() == 0


def test_someone_counted_without_details_has_no_commune():
    activity = workshop(anonymous=AnonymousCount(total=2))
    with pytest.raises(IntegrityError, match="declic_anonymous_has_no_details"), transaction.atomic():
        MediationParticipant.objects.create(activity=activity, activity_type="collectif", position=3, anonymous=True, commune="Poissy")


def test_service_writes_one_row_per_participant_with_national_codes(staff):
    activity = workshop(
        by=staff, participants=[ParticipantData(genre="feminin", tranche_age="soixante_dix_plus", statut_social="retraite",
                                                commune="Poissy", code_postal="78300", code_insee="78498", first_time=True)],
        anonymous=AnonymousCount(total=4, genres={"masculin": 2, "feminin": 1}, tranches_age={"quarante_cinquante_neuf": 4}),
        titre_atelier="Déjouer les arnaques", niveau_atelier="intermediaire",
    )
    rows = list(activity.participants.order_by("position").values_list("position", "anonymous", "genre", "tranche_age", "statut_social", "commune", "first_time"))
    assert rows == [
        (1, False, "feminin", "soixante_dix_plus", "retraite", "Poissy", True),
        (2, True, "masculin", "quarante_cinquante_neuf", "non_communique", "", False),
        (3, True, "masculin", "quarante_cinquante_neuf", "non_communique", "", False),
        (4, True, "feminin", "quarante_cinquante_neuf", "non_communique", "", False),
        (5, True, "non_communique", "quarante_cinquante_neuf", "non_communique", "", False),
    ]
    assert activity.created_by == staff
    from quai.models import AuditLog
    assert list(AuditLog.objects.values_list("action", "target_id")) == [("declic.activity_created", str(activity.pk))]


@pytest.mark.parametrize("kwargs, field", [
    ({"type": "individuel", "participants": []}, "participants"),
    ({"type": "individuel", "participants": [ParticipantData(), ParticipantData()]}, "participants"),
    ({"type": "collectif", "participants": []}, "participants"),
    ({"type": "collectif", "anonymous": AnonymousCount(total=-1)}, "anonymous_participants"),
    ({"type": "collectif", "anonymous": AnonymousCount(total=2, genres={"feminin": 3})}, "anonymous_participants"),
    ({"type": "collectif", "anonymous": AnonymousCount(total=2, genres={"femme": 1})}, "anonymous_participants"),
    ({"type": "collectif", "anonymous": AnonymousCount(total=2, statuts={"retraite": -1})}, "anonymous_participants"),
    ({"type": "individuel", "participants": [ParticipantData()], "thematiques": []}, "thematiques"),
    ({"type": "individuel", "participants": [ParticipantData()], "duree": 0}, "duree"),
    ({"type": "individuel", "participants": [ParticipantData()], "thematiques": ["courriel"]}, "thematiques"),
    ({"type": "individuel", "participants": [ParticipantData(genre="f")]}, "genre"),
])
def test_service_refuses_bad_input_with_the_field_and_writes_nothing(kwargs, field):
    values = dict(by=None, date=datetime.date(2026, 3, 10), duree=30, thematiques=["email"])
    values.update(kwargs)
    with pytest.raises(DomainError) as raised:
        mediation_activity_create(**values)
    assert raised.value.field == field
    assert MediationActivity.objects.count() == 0 and MediationParticipant.objects.count() == 0


def test_place_commune_is_dropped_at_the_place_of_activity():
    activity = individual(type_lieu="lieu_activite", lieu_commune="Poissy")
    assert activity.lieu_commune == ""
    at_home = individual(type_lieu="domicile", lieu_commune="Poissy", lieu_code_postal="78300")
    assert (at_home.lieu_commune, at_home.lieu_code_postal) == ("Poissy", "78300")


@pytest.mark.parametrize("choices", list(NATIONAL_LABELS))
def test_french_interface_labels_are_the_national_labels(choices):
    from django.utils import translation

    with translation.override("fr"):
        shown = {code: str(label) for code, label in choices.choices}
    assert shown == NATIONAL_LABELS[choices]


def test_national_code_lists_are_complete():
    assert len(Theme.values) == 30
    assert Gender.values == ["masculin", "feminin", "non_communique"]
    assert len(AgeBand.values) == 8 and AgeBand.SOIXANTE_DIX_PLUS == "soixante_dix_plus"
    assert SocialStatus.values == ["scolarise", "sans_emploi", "en_emploi", "retraite", "non_communique"]
