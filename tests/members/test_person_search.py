"""The search for a person of every staff page (issue 14): members by name, e-mail or
organisation, their membership status, a link to their page; Fabrique holders and incubated
projects (quai.registry.PersonSearch) with links to their pages; staff only; bad input answered."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.services import profile_update
from fabrique.services import enrol
from tests.fabrique.factories import make_cohort
from tests.factories import UserFactory
from tests.incubator.factories import ProjectFactory
from tests.members.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("members:staff_search")


def _person(email, first_name, last_name, **profile):
    person = UserFactory(email=email)
    profile_update(user=person, first_name=first_name, last_name=last_name, consents={}, **profile)
    return person


def test_staff_find_a_member_by_name_without_accents_with_status_and_link(client, staff):
    helene = _person("h.lefevre@exemple.fr", "Hélène", "Lefèvre", organisation="Ressourcerie du Pecq")
    today = timezone.localdate()
    MembershipFactory(member=helene, starts_on=today - datetime.timedelta(days=300), ends_on=today + datetime.timedelta(days=10))
    _person("marc.durand@exemple.fr", "Marc", "Durand")
    client.force_login(staff)

    response = client.get(URL, {"q": "helene lef"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("members:staff_detail", args=[helene.pk])}"' in html
    assert "h.lefevre@exemple.fr" in html and "Ressourcerie du Pecq" in html
    assert "Expire bientôt" in html  # ends within 30 days
    assert "Marc Durand" not in html
    assert "1 personne trouvée" in html


@pytest.mark.parametrize("text,expected", [
    ("ressourcerie", "Hélène Lefèvre"),  # the organisation
    ("marc.durand@exemple.fr", "Marc Durand"),  # the e-mail address
    ("DUR", "Marc Durand"),  # the beginning of a word, any case
])
def test_the_search_reads_names_emails_and_organisations(client, staff, text, expected):
    _person("h.lefevre@exemple.fr", "Hélène", "Lefèvre", organisation="Ressourcerie du Pecq")
    _person("marc.durand@exemple.fr", "Marc", "Durand")
    client.force_login(staff)
    response = client.get(URL, {"q": text})
    assert response.status_code == 200 and expected in response.content.decode()


def test_statuses_shown_for_expired_never_paid_and_pending_renewal(client, staff):
    today = timezone.localdate()
    old = _person("ancien@exemple.fr", "Anne", "Ancien")
    MembershipFactory(member=old, starts_on=today.replace(year=today.year - 2), ends_on=today - datetime.timedelta(days=40))
    MembershipFactory(member=old, starts_on=today, ends_on=today + datetime.timedelta(days=300), paid_on=None, amount_paid=None)
    _person("jamais@exemple.fr", "Jean", "Ancienne")
    client.force_login(staff)
    html = client.get(URL, {"q": "ancien"}).content.decode()
    assert "Expirée" in html and "renouvellement à confirmer" in html
    assert "Non adhérent·e" in html


def test_the_results_cost_the_same_queries_whatever_the_number_found(client, staff, django_assert_num_queries):
    client.force_login(staff)
    cohort = make_cohort(staff)
    for index in range(3):
        holder = _person(f"martin{index}@exemple.fr", "Paul", f"Martin{index}")
        enrol(cohort=cohort, holder=holder, project_name=f"Tiers-lieu {index}")
        ProjectFactory(team=[holder])
    # the staff user, the header's member links (one query for all), the members found (the member
    # list's full-text search, LIMIT + 1), the Fabrique holders, the incubated projects (one each);
    # the session is read from the cache
    with django_assert_num_queries(5):
        few = client.get(URL, {"q": "martin"})
    for index in range(3, 40):
        holder = _person(f"martin{index}@exemple.fr", "Paul", f"Martin{index}")
        MembershipFactory(member=holder)
        enrol(cohort=cohort, holder=holder, project_name=f"Tiers-lieu {index}")
        ProjectFactory(team=[holder, UserFactory()])
    with django_assert_num_queries(5):
        many = client.get(URL, {"q": "martin"})
    assert few.status_code == many.status_code == 200
    html = many.content.decode()
    assert "Plus de 25 personnes trouvées : les 25 premières" in html
    assert html.count("Seuls les 25 premiers sont affichés : ajoutez un mot pour affiner la recherche.") == 2


def test_holders_and_incubated_projects_found_with_links_to_their_pages(client, staff):
    nadia = _person("nadia@exemple.fr", "Nadia", "Benali")
    enrolment = enrol(cohort=make_cohort(staff), holder=nadia, project_name="Le Préau de Montesson", commune="Montesson")
    project = ProjectFactory(name="Épicerie du Vésinet", team=[nadia])
    ProjectFactory(name="Atelier vélo", team=[_person("yanis@exemple.fr", "Yanis", "Amrani")])
    client.force_login(staff)

    html = client.get(URL, {"q": "benali"}).content.decode()

    assert "1 personne trouvée" in html
    assert 'id="results-fabrique">Porteurs de la Fabrique de Territoire <span class="badge badge-muted">1</span>' in html
    assert f'<a href="{reverse("fabrique:enrolment", args=[enrolment.pk])}">Nadia Benali</a>' in html
    assert "Le Préau de Montesson · Promotion 2026" in html
    assert 'id="results-incubator">Projets incubés et leurs équipes <span class="badge badge-muted">1</span>' in html
    assert f'<a href="{reverse("incubator:project", args=[project.pk])}">Épicerie du Vésinet</a>' in html
    assert "Équipe : Nadia Benali" in html
    assert "Atelier vélo" not in html
    # from the top of the page, a link to each app's results (on a phone they come after the members)
    assert ('<p class="search-jump">Trouvé aussi : <a href="#results-incubator">Projets incubés et leurs équipes (1)</a>'
            '<a href="#results-fabrique">Porteurs de la Fabrique de Territoire (1)</a></p>') in html


def test_a_project_found_by_its_name_alone_without_a_member_heading(client, staff):
    project = ProjectFactory(name="Atelier vélo", team=[_person("yanis@exemple.fr", "Yanis", "Amrani")])
    client.force_login(staff)
    html = client.get(URL, {"q": "atelier velo"}).content.decode()
    assert f'<a href="{reverse("incubator:project", args=[project.pk])}">Atelier vélo</a>' in html
    assert "personne trouvée" not in html and "Personne ne correspond" not in html and "Trouvé aussi" not in html
    assert 'id="results-fabrique"' not in html  # a section with nothing found is left out


def test_nobody_anywhere(client, staff):
    client.force_login(staff)
    html = client.get(URL, {"q": "zzz"}).content.decode()
    assert "0 personne trouvée" in html and "Personne ne correspond." in html
    assert 'id="results-fabrique"' not in html and 'id="results-incubator"' not in html


def test_an_empty_search_asks_for_a_name_without_querying(client, staff, django_assert_num_queries):
    client.force_login(staff)
    # the staff user, the header's member links: no search for nothing
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert response.status_code == 200
    with django_assert_num_queries(2):
        blank = client.get(URL, {"q": "   "})
    assert blank.status_code == 200 and "personne trouvée" not in blank.content.decode()


@pytest.mark.parametrize("text", ["'", "a' | 'b", "\\", "!:*&|()", "<script>alert(1)</script>", "'':*", "é" * 3, "🙂", "%", "_"])
def test_odd_characters_are_just_text(client, staff, text):
    _person("quelqu.un@exemple.fr", "Quelqu", "Un")
    client.force_login(staff)
    response = client.get(URL, {"q": text})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_too_long_search_is_a_400_with_the_error_on_the_field(client, staff):
    client.force_login(staff)
    response = client.get(URL, {"q": "a" * 201})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'href="#id_q"' in html
    assert client.get(URL, {"q": "a" * 200}).status_code == 200


@pytest.mark.parametrize("text", ["a\x00b", "a\x07b"])
def test_control_characters_are_a_400(client, staff, text):
    client.force_login(staff)
    assert client.get(URL, {"q": text}).status_code == 400


def test_only_staff_search_people(client, member):
    client.force_login(member)
    assert client.get(URL, {"q": "a"}).status_code == 403
    client.logout()
    assert client.get(URL, {"q": "a"}).status_code == 302
