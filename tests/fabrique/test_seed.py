"""The demo seed."""

import pytest
from django.utils import timezone

from fabrique import selectors
from fabrique.models import Attendance, Submission

pytestmark = pytest.mark.django_db


def test_seed_is_fast_idempotent_and_follows_the_rules(db):
    import io
    import random
    import time

    from fabrique.models import Cohort, Enrolment, Outcome
    from fabrique.seed import seed_fabrique
    from members.seed import seed_accounts

    seed_accounts(scale=1, rng=random.Random(1), stdout=io.StringIO())
    started = time.monotonic()
    seed_fabrique(scale=1, rng=random.Random(1), stdout=io.StringIO())
    assert time.monotonic() - started < 15
    seed_fabrique(scale=1, rng=random.Random(1), stdout=io.StringIO())
    assert Cohort.objects.count() == 5
    assert set(Cohort.objects.values_list("year", flat=True)) >= {2021, 2022, 2023, 2024}
    porteur = Enrolment.objects.get(holder__email="porteur@demo.quai.test")
    assert porteur.coach.email == "coach@demo.quai.test" and porteur.cohort.end >= timezone.localdate()
    assert Outcome.objects.exists() and Submission.objects.exists() and Attendance.objects.exists()
    for enrolment in Enrolment.objects.filter(graduated_at__isnull=False)[:10]:
        assert selectors.progress_for(enrolment)["eligible"]
