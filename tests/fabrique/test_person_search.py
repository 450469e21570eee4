"""The Fabrique part of the staff search for a person (issue 14): holders found by name, e-mail
or their project's name, each linking to their enrolment page, in one query."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fabrique import services
from fabrique.selectors import staff_person_search
from members.selectors import _search_matches
from members.services import profile_update
from quai.registry import SearchHit, registry
from tests.factories import UserFactory
from tests.fabrique.factories import make_cohort

pytestmark = pytest.mark.django_db


def _holder(email, first_name, last_name):
    person = UserFactory(email=email)
    profile_update(user=person, first_name=first_name, last_name=last_name, consents={})
    return person


def _search(text, limit=25):
    return staff_person_search(text=text, people=_search_matches(text), limit=limit)


@pytest.fixture
def enrolments(staff):
    today = timezone.localdate()
    running = make_cohort(staff, year=today.year, start=today - datetime.timedelta(days=30))
    past = make_cohort(staff, year=today.year - 2, start=today.replace(year=today.year - 2))
    nadia = _holder("nadia@exemple.fr", "Nadia", "Benali")
    old = services.enrol(cohort=past, holder=nadia, project_name="La Ressourcerie", commune="Chatou")
    current = services.enrol(cohort=running, holder=nadia, project_name="Le Préau de Montesson", commune="Montesson")
    other = services.enrol(cohort=running, holder=_holder("paul@exemple.fr", "Paul", "Martin"), project_name="Café vélo",
                           commune="Le Pecq")
    return running, past, old, current, other


def test_a_holder_found_by_name_with_each_enrolment_newest_first(enrolments):
    running, past, old, current, _other = enrolments
    hits, more = _search("nadia ben")
    assert more is False
    assert hits == [
        SearchHit(title="Nadia Benali", url=reverse("fabrique:enrolment", args=[current.pk]),
                  detail=f"Le Préau de Montesson · {running.name}", badge="en cours"),
        SearchHit(title="Nadia Benali", url=reverse("fabrique:enrolment", args=[old.pk]),
                  detail=f"La Ressourcerie · {past.name}", badge="non diplômé·e"),
    ]


def test_a_project_found_by_its_name_without_accents_or_case(enrolments):
    _running, _past, _old, current, other = enrolments
    assert [hit.url for hit in _search("preau MONTES")[0]] == [reverse("fabrique:enrolment", args=[current.pk])]
    assert [hit.title for hit in _search("velo")[0]] == ["Paul Martin"]  # "Café vélo"
    assert _search("paul@exemple.fr")[0][0].url == reverse("fabrique:enrolment", args=[other.pk])


def test_a_graduate_is_marked_graduated(enrolments):
    _running, _past, old, _current, _other = enrolments
    old.graduated_at = old.cohort.end
    old.save(update_fields=["graduated_at"])
    assert [hit.badge for hit in _search("ressourcerie")[0]] == ["diplômé·e"]


def test_nothing_found_and_nothing_to_look_for(enrolments):
    assert _search("zzz") == ([], False)
    assert _search("  ") == ([], False)


def test_one_query_capped_at_the_limit(enrolments, django_assert_num_queries):
    with django_assert_num_queries(1):
        hits, more = _search("nadia", limit=1)
    assert len(hits) == 1 and more is True


def test_registered_for_the_staff_search():
    assert [source.app_label for source in registry.person_searches if source.app_label == "fabrique"] == ["fabrique"]
