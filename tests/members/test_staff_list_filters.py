"""The staff member list's filters (issue 14): search, status (renewals to confirm included) and
membership type chosen from a list, on one row; membership types priced the French way."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from members.models import MembershipType
from tests.factories import UserFactory
from tests.members.factories import MembershipFactory, MembershipTypeFactory

pytestmark = pytest.mark.django_db

URL = reverse("members:staff_list")


def test_membership_types_show_their_amount_in_the_active_language():
    kind = MembershipTypeFactory(name="Adhésion individuelle", amount_eur=Decimal("20"))
    organisation = MembershipTypeFactory(kind=MembershipType.Kind.ORGANISATION, name="Structure", amount_eur=Decimal("1500"))
    with translation.override("fr"):
        assert str(kind) == "Adhésion individuelle (20,00\u00a0€)"
        assert str(organisation) == "Structure (1\u00a0500,00\u00a0€)"
    with translation.override("en"):
        assert str(kind) == "Adhésion individuelle (20.00\u00a0€)"


def test_the_type_filter_is_a_list_of_the_membership_types(client, staff):
    individual = MembershipTypeFactory(name="Adhésion individuelle", amount_eur=Decimal("20"))
    reduced = MembershipTypeFactory(kind=MembershipType.Kind.REDUCED, name="Adhésion solidaire", amount_eur=Decimal("5"))
    MembershipFactory(member=UserFactory(first_name="Inès", last_name="Individuelle"), type=individual)
    MembershipFactory(member=UserFactory(first_name="Sol", last_name="Solidaire"), type=reduced, amount_paid=Decimal("5"))
    client.force_login(staff)
    html = client.get(URL).content.decode()
    assert '<select name="type"' in html
    assert f'<option value="{reduced.pk}">Adhésion solidaire (5,00\u00a0€)</option>' in html
    filtered = client.get(URL, {"type": reduced.pk})
    assert filtered.status_code == 200
    body = filtered.content.decode()
    assert "Sol Solidaire" in body and "Inès Individuelle" not in body
    assert f'<option value="{reduced.pk}" selected>' in body


def test_renewals_to_confirm_have_a_status_of_their_own(client, staff):
    today = timezone.localdate()
    waiting = UserFactory(first_name="Paul", last_name="Attente")
    MembershipFactory(member=waiting, starts_on=today, ends_on=today + datetime.timedelta(days=365), paid_on=None, amount_paid=None)
    MembershipFactory(member=UserFactory(first_name="Lucie", last_name="Payée"))
    client.force_login(staff)
    response = client.get(URL, {"status": "pending"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Paul Attente" in html and "Lucie Payée" not in html


def test_the_list_costs_the_same_whatever_the_number_of_members_and_types(client, staff, django_assert_num_queries):
    client.force_login(staff)
    client.get(URL)
    # the staff user, the header's member links, the count, the page of members, the membership types
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200
    for index in range(30):
        MembershipFactory(member=UserFactory())
    MembershipTypeFactory(kind=MembershipType.Kind.REDUCED, name="Adhésion solidaire", amount_eur=Decimal("5"))
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200


def test_the_export_does_not_read_the_membership_types(client, staff, django_assert_num_queries):
    client.force_login(staff)
    # the staff user, the members (streamed)
    with django_assert_num_queries(2):
        response = client.get(reverse("members:staff_export", args=["csv"]))
    assert response.status_code == 200
