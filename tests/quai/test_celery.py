"""Celery through real Redis: a worker thread consumes from the broker of settings.REDIS_URL."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from quai.celery import app
from quai.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until(condition, timeout: float = 20.0) -> bool:
    import time

    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def is_sent(message) -> bool:
    message.refresh_from_db()
    return message.status == OutboxMessage.Status.SENT


@pytest.fixture
def real_worker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.CELERY_BROKER_URL
    # A queue of our own so that a running `make run` worker never steals the test's tasks.
    queue = "quai-test"
    app.conf.task_default_queue = queue
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True
    app.conf.task_default_queue = "celery"


def test_periodic_tasks_are_registered_with_beat(settings):
    app.loader.import_default_modules()  # the apps' tasks modules, as a worker loads them

    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


def test_heartbeat_task_runs_through_redis(real_worker):
    from quai.tasks import heartbeat

    from django.core.cache import cache

    result = heartbeat.apply_async()
    # No result backend: wait on the side effect the task writes.
    assert result.id
    assert wait_until(lambda: cache.get("quai:heartbeat") is not None)


def test_outbox_message_is_delivered_by_a_real_worker(real_worker):
    from quai.outbox import outbox_enqueue

    with transaction.atomic():
        message, _ = outbox_enqueue(key="celery:e2e", to="a@example.org", template="test_message", context={})

    assert wait_until(lambda: is_sent(message))
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_periodic_sweep_task_runs_through_redis(real_worker, monkeypatch):
    from quai import tasks

    monkeypatch.setattr(tasks.deliver_outbox_message, "delay", lambda *a, **k: None)  # as if Redis was down
    from quai.outbox import outbox_enqueue

    with transaction.atomic():
        message, _ = outbox_enqueue(key="celery:sweep", to="b@example.org", template="test_message", context={})
    monkeypatch.undo()

    tasks.outbox_sweep.apply_async()
    assert wait_until(lambda: is_sent(message))
