"""The impact snapshots through a real Celery worker and real Redis."""

import datetime

import pytest
from django.db import transaction

from quai.models import ImpactRun, IndicatorSnapshot
from tests.quai.test_celery import real_worker, wait_until  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_recomputation_asked_by_staff_is_run_by_a_real_worker(real_worker, settings, staff):  # noqa: F811
    from quai.impact import impact_run_request

    settings.QUAI_PROGRAMME_START = datetime.date(2026, 1, 1)
    with transaction.atomic():
        run, created = impact_run_request(by=staff)

    assert created
    assert wait_until(lambda: ImpactRun.objects.get(pk=run.pk).status == ImpactRun.Status.DONE, timeout=60)
    run.refresh_from_db()
    assert run.done == run.total == IndicatorSnapshot.objects.count() > 0
    assert run.started_at is not None and run.finished_at >= run.started_at


def test_the_nightly_task_without_an_id_creates_and_runs_its_own_run(settings):
    from quai.tasks import compute_impact

    settings.QUAI_PROGRAMME_START = datetime.date(2026, 1, 1)
    assert compute_impact() == "done"
    assert ImpactRun.objects.get().status == ImpactRun.Status.DONE
    first = list(IndicatorSnapshot.objects.values_list("code", "period_kind", "period_start", "value", "computed_at"))
    assert compute_impact() == "done"
    assert list(IndicatorSnapshot.objects.values_list("code", "period_kind", "period_start", "value", "computed_at")) == first
    assert ImpactRun.objects.count() == 2


def test_a_run_is_claimed_once(settings):
    from quai.impact import impact_run_execute, impact_run_request

    settings.QUAI_PROGRAMME_START = datetime.date(2026, 1, 1)
    run, _ = impact_run_request(by=None, enqueue=False)
    assert impact_run_execute(run_id=run.pk) == "done"
    assert impact_run_execute(run_id=run.pk) == "not-claimed"
