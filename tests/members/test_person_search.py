"""The search for a person of every staff page (issue 14): members by name, e-mail or
organisation, their membership status, a link to their page; staff only; bad input answered."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.services import profile_update
from tests.factories import UserFactory
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


def test_the_results_cost_one_query_whatever_the_number_of_people(client, staff, django_assert_num_queries):
    client.force_login(staff)
    for index in range(3):
        _person(f"martin{index}@exemple.fr", "Paul", f"Martin{index}")
    # the staff user, the header's member links (one query for all), the results (the member
    # list's full-text search, LIMIT + 1); the session is read from the cache
    with django_assert_num_queries(3):
        few = client.get(URL, {"q": "martin"})
    for index in range(3, 40):
        MembershipFactory(member=_person(f"martin{index}@exemple.fr", "Paul", f"Martin{index}"))
    with django_assert_num_queries(3):
        many = client.get(URL, {"q": "martin"})
    assert few.status_code == many.status_code == 200
    assert "Plus de 25 personnes trouvées : les 25 premières" in many.content.decode()


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
