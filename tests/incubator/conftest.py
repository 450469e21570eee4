from decimal import Decimal

import pytest

from tests.factories import UserFactory
from tests.incubator.factories import ProjectFactory


@pytest.fixture
def coach(db):
    return UserFactory(email="coach@example.org", first_name="Camille", last_name="Coach")


@pytest.fixture
def project(member, coach):
    """La Recyclerie: `member` is its founder, `coach` its coach."""
    return ProjectFactory(name="La Recyclerie", team=[member], coach=coach, fte_at_entry=Decimal("1"))


@pytest.fixture
def other_project(other_member):
    """Another project: `other_member` is its founder."""
    return ProjectFactory(name="Vélos Solidaires", team=[other_member])
