"""The incubator part of the staff search for a person (issue 14): projects found by a founder's
name or e-mail or by their own name, with their team, each linking to the project's page, in one
query."""

import pytest
from django.urls import reverse

from incubator.models import Project, TeamMember
from incubator.selectors import staff_person_search
from members.selectors import _search_matches
from members.services import profile_update
from quai.registry import SearchHit, registry
from tests.factories import UserFactory
from tests.incubator.factories import ProjectFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def _person(email, first_name, last_name):
    person = UserFactory(email=email)
    profile_update(user=person, first_name=first_name, last_name=last_name, consents={})
    return person


def _search(text, limit=25):
    return staff_person_search(text=text, people=_search_matches(text), limit=limit)


@pytest.fixture
def projects():
    lea, yanis = _person("lea@exemple.fr", "Léa", "Fontaine"), _person("yanis@exemple.fr", "Yanis", "Amrani")
    epicerie = ProjectFactory(name="Épicerie solidaire du Vésinet", team=[lea])
    TeamMemberFactory(project=epicerie, member=yanis, role=TeamMember.Role.ASSOCIATE)
    atelier = ProjectFactory(name="Atelier vélo", team=[yanis], status=Project.Status.GRADUATED)
    return epicerie, atelier


def test_a_founder_found_by_name_leads_to_their_projects_with_the_team(projects):
    epicerie, atelier = projects
    hits, more = _search("yanis")
    assert more is False
    assert hits == [
        SearchHit(title="Atelier vélo", url=reverse("incubator:project", args=[atelier.pk]), detail="Équipe : Yanis Amrani",
                  badge="Sorti de l’incubateur"),
        SearchHit(title="Épicerie solidaire du Vésinet", url=reverse("incubator:project", args=[epicerie.pk]),
                  detail="Équipe : Yanis Amrani, Léa Fontaine", badge="En cours"),
    ]


def test_a_project_found_by_its_name_without_accents_or_case(projects):
    epicerie, _atelier = projects
    assert [hit.url for hit in _search("EPICERIE vesi")[0]] == [reverse("incubator:project", args=[epicerie.pk])]
    assert [hit.title for hit in _search("lea@exemple.fr")[0]] == ["Épicerie solidaire du Vésinet"]


def test_a_project_without_a_team(projects):
    jardin = ProjectFactory(name="Jardin partagé")
    assert _search("jardin") == ([SearchHit(title="Jardin partagé", url=reverse("incubator:project", args=[jardin.pk]), detail="",
                                            badge="En cours")], False)


def test_nothing_found_and_nothing_to_look_for(projects):
    assert _search("zzz") == ([], False)
    assert _search("  ") == ([], False)


def test_one_query_capped_at_the_limit(projects, django_assert_num_queries):
    with django_assert_num_queries(1):
        hits, more = _search("yanis", limit=1)
    assert [hit.title for hit in hits] == ["Atelier vélo"] and more is True


def test_registered_for_the_staff_search():
    assert [source.app_label for source in registry.person_searches if source.app_label == "incubator"] == ["incubator"]
