"""Two versions submitted at the same moment get distinct version numbers; neither overwrites the other."""

import threading

import pytest
from django.db import connection

from fabrique import services
from fabrique.models import Submission
from tests.factories import StaffFactory, UserFactory
from tests.fabrique.factories import make_cohort

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_submissions_get_distinct_versions(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    holder = UserFactory()
    enrolment = services.enrol(cohort=make_cohort(StaffFactory()), holder=holder, project_name="P")
    deliverable = enrolment.deliverables.get(kind="business_plan")
    barrier = threading.Barrier(6)
    errors = []

    def submit(i):
        try:
            barrier.wait()
            services.submission_create(deliverable=deliverable, by=holder, text=f"Version du thread {i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Submission.objects.values_list("version", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert len(set(Submission.objects.values_list("text", flat=True))) == 6
