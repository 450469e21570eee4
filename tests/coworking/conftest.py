import datetime

import pytest
from django.utils import timezone

from coworking.time import PARIS, local_dt
from tests.coworking.factories import ResourceFactory, SiteFactory, SubscriptionFactory


@pytest.fixture
def site(db):
    return SiteFactory()


@pytest.fixture
def desk(site):
    return ResourceFactory(site=site, name="Poste A1")


@pytest.fixture
def room(site):
    return ResourceFactory(site=site, kind="room", name="Salle Seine", capacity=8, zone="")


@pytest.fixture
def coworker(member):
    SubscriptionFactory(member=member)
    return member


@pytest.fixture
def day():
    """A day a week ahead (inside the 30-day window)."""
    return timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)


@pytest.fixture
def morning(day):
    return local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13))
