"""The demo seed."""

import pytest
from django.utils import timezone

from fabrique import selectors
from fabrique.models import Attendance, Submission

pytestmark = pytest.mark.django_db


def test_seed_is_fast_idempotent_and_follows_the_rules(db):
    import io
    import random

    from fabrique.models import Cohort, Enrolment, Outcome
    from fabrique.seed import seed_fabrique
    from members.seed import seed_accounts

    seed_accounts(scale=1, rng=random.Random(1), stdout=io.StringIO())
    seed_fabrique(scale=1, rng=random.Random(1), stdout=io.StringIO())
    seed_fabrique(scale=1, rng=random.Random(1), stdout=io.StringIO())
    # One promotion of 8 a year since the programme began, no year without one: the past ones from
    # January to July, then the running one.
    running = Cohort.objects.latest("start")
    cohorts = list(Cohort.objects.order_by("start"))
    assert [c.year for c in cohorts] == list(range(2021, running.year + 1))
    assert {(c.start.month, c.end.year == c.year) for c in cohorts if c != running} == {(1, True)}
    assert [c.enrolments.count() for c in cohorts] == [8] * len(cohorts)
    # Every demo holder account is enrolled: none left over beside the demo login.
    from members.models import User

    holders = User.objects.filter(email__startswith="porteur")
    assert holders.filter(fabrique_enrolments__isnull=True).count() == 0
    assert holders.count() == 8 * len(cohorts)
    porteur = Enrolment.objects.get(holder__email="porteur@demo.quai.test")
    assert porteur.coach.email == "coach@demo.quai.test" and porteur.cohort.end >= timezone.localdate()
    assert Outcome.objects.exists() and Submission.objects.exists() and Attendance.objects.exists()
    for enrolment in Enrolment.objects.filter(graduated_at__isnull=False)[:10]:
        assert selectors.progress_for(enrolment)["eligible"]
