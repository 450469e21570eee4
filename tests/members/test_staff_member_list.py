"""The staff member list at any size: its status filters (expiring is driven from the memberships
ending within 30 days), its first page, search and filters in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.selectors import member_list
from members.services import profile_update
from tests.factories import UserFactory
from tests.members.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _member(email, *periods, pending=None):
    """A member with paid memberships over `periods` ((starts_on, ends_on), …) and maybe one waiting for payment."""
    user = UserFactory(email=email)
    for starts_on, ends_on in periods:
        MembershipFactory(member=user, starts_on=starts_on, ends_on=ends_on)
    if pending:
        MembershipFactory(member=user, starts_on=pending[0], ends_on=pending[1], paid_on=None, amount_paid=None, payment_method="")
    return user


@pytest.fixture
def people():
    today = timezone.localdate()
    day = DAY
    _member("active@exemple.fr", (today - 200 * day, today + 31 * day))
    _member("expiring@exemple.fr", (today - 300 * day, today + 30 * day))
    _member("ends-today@exemple.fr", (today - 300 * day, today))
    # Renewed already: an old period ending soon and the next one paid, so not expiring.
    _member("renewed@exemple.fr", (today - 300 * day, today + 10 * day), (today + 11 * day, today + 376 * day))
    # A renewal asked but not paid does not count: still expiring.
    _member("pending@exemple.fr", (today - 300 * day, today + 5 * day), pending=(today + 6 * day, today + 371 * day))
    _member("expired@exemple.fr", (today - 400 * day, today - day))
    _member("never@exemple.fr")


def _emails(**filters):
    return sorted(user.email for user in member_list(**filters) if user.email.endswith("@exemple.fr"))


def test_status_filters_split_members_by_their_latest_paid_membership(people):
    assert _emails(status="active") == ["active@exemple.fr", "renewed@exemple.fr"]
    assert _emails(status="expiring") == ["ends-today@exemple.fr", "expiring@exemple.fr", "pending@exemple.fr"]
    assert _emails(status="expired") == ["expired@exemple.fr"]
    assert _emails(status="none") == ["never@exemple.fr"]


def test_expiring_filter_counts_a_member_once_and_keeps_the_search(people):
    today = timezone.localdate()
    # Two short paid periods both ending within 30 days: one row in the list, not two.
    _member("twice@exemple.fr", (today - 20 * DAY, today + 2 * DAY), (today + 3 * DAY, today + 20 * DAY))
    assert _emails(status="expiring").count("twice@exemple.fr") == 1
    assert member_list(status="expiring", search="twice").count() == 1
