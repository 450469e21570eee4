import pytest

from fabrique import services
from tests.factories import UserFactory
from tests.fabrique.factories import make_cohort


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def coach(db):
    return UserFactory(email="coach@example.org", first_name="Camille", last_name="Coach")


@pytest.fixture
def cohort(staff):
    return make_cohort(staff)


@pytest.fixture
def enrolment(cohort, member, coach):
    return services.enrol(cohort=cohort, holder=member, coach=coach, project_name="Tiers-lieu de Chatou", commune="Chatou")


@pytest.fixture
def other_enrolment(cohort, other_member):
    return services.enrol(cohort=cohort, holder=other_member, coach=UserFactory(), project_name="La Grange", commune="Poissy")
