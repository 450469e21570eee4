from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from quai.models import OutboxMessage
from quai.outbox import outbox_deliver, outbox_enqueue, outbox_sweep

pytestmark = pytest.mark.django_db(transaction=True)


def enqueue(key="reminder:booking:1", to="marie@example.org"):
    with transaction.atomic():
        return outbox_enqueue(key=key, to=to, template="test_message", context={"name": "Marie", "title": "Demain"})


def test_same_key_twice_sends_one_email():
    first, created_first = enqueue()
    second, created_second = enqueue()

    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_email_has_text_and_html_in_french_by_default():
    enqueue()
    email = mail.outbox[0]
    assert email.subject == "Message de test : Demain"
    assert "Bonjour Marie" in email.body
    assert email.alternatives and email.alternatives[0][1] == "text/html"
    assert email.extra_headers["X-Quai-Message-Key"] == "reminder:booking:1"


def test_rolled_back_transaction_sends_nothing():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox_enqueue(key="k", to="a@example.org", template="test_message", context={})
            raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


class FlakyBackend:
    """Fails the first send, succeeds afterwards (an SMTP server that hiccups once)."""

    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls == 1:
            raise ConnectionError("SMTP server unavailable")
        mail.outbox.extend(messages)
        return len(messages)


def test_failed_send_is_retried_and_sent_once(settings):
    FlakyBackend.calls = 0
    settings.EMAIL_BACKEND = "tests.quai.test_outbox.FlakyBackend"
    message, _ = enqueue()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "SMTP server unavailable" in message.last_error
    assert mail.outbox == []

    # Not due yet: the back-off is respected.
    assert outbox_sweep() == 0
    # Later, the periodic sweep retries it.
    assert outbox_sweep(now=timezone.now() + timedelta(hours=1)) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert len(mail.outbox) == 1
    # A late duplicate task for the same row sends nothing.
    assert outbox_deliver(message.pk) is False
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts(settings):
    settings.EMAIL_BACKEND = "tests.quai.test_outbox.AlwaysFailingBackend"
    settings.QUAI_OUTBOX_MAX_ATTEMPTS = 2
    message, _ = enqueue()
    outbox_sweep(now=timezone.now() + timedelta(hours=2))
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 2


class AlwaysFailingBackend(FlakyBackend):
    def send_messages(self, messages):
        raise ConnectionError("down")


def test_broker_down_leaves_row_for_the_sweep(settings, monkeypatch):
    from quai import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.deliver_outbox_message, "delay", broker_down)
    message, _ = enqueue()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert mail.outbox == []

    monkeypatch.undo()
    assert outbox_sweep() == 1
    assert len(mail.outbox) == 1


def test_stale_claim_of_a_crashed_worker_is_retried_by_the_sweep(monkeypatch):
    from quai import tasks

    monkeypatch.setattr(tasks.deliver_outbox_message, "delay", lambda *a, **k: None)
    message, _ = enqueue()
    # A worker claimed it and died before sending.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=1), attempts=1
    )
    assert outbox_sweep() == 0  # too recent: maybe still sending
    assert outbox_sweep(now=timezone.now() + timedelta(minutes=15)) == 1
    assert len(mail.outbox) == 1


# Rendered at delivery (outbox_enqueue_deferred): the writer stores a template, a builder's name and
# its parameters; the delivery task builds the context, renders, sends, and keeps what it sent.

@pytest.fixture
def greeting_builder():
    from quai.registry import EmailBuilder, register_email_builder, registry

    calls = []

    def build(params):
        calls.append(params)
        if params.get("gone"):
            raise LookupError("the row this e-mail is about was deleted")
        return {"name": params["name"], "title": "Demain"}, [{"filename": "a.txt", "mimetype": "text/plain", "content": "pièce"}]

    register_email_builder(EmailBuilder(name="tests.greeting", build=build))
    yield calls
    del registry.email_builders["tests.greeting"]


def enqueue_deferred(key="deferred:1", **params):
    from quai.outbox import outbox_enqueue_deferred

    with transaction.atomic():
        message, created = outbox_enqueue_deferred(
            key=key, to="marie@example.org", template="test_message", builder="tests.greeting", params={"name": "Marie", **params}
        )
        written = OutboxMessage.objects.get(pk=message.pk)
        assert not created or (written.subject, written.body_text, written.body_html, written.attachments) == ("", "", "", [])
        assert not created or (written.template, written.builder, written.params) == ("test_message", "tests.greeting", {"name": "Marie", **params})
    return message, created


def test_deferred_message_is_rendered_by_the_delivery_and_keeps_what_was_sent(greeting_builder):
    message, created = enqueue_deferred()

    assert created and greeting_builder == [{"name": "Marie"}]  # built once, by the delivery after commit
    email = mail.outbox[0]
    assert email.subject == "Message de test : Demain"
    assert "Bonjour Marie" in email.body
    assert email.alternatives and email.alternatives[0][1] == "text/html"
    assert email.attachments == [("a.txt", "pièce", "text/plain")]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.subject == "Message de test : Demain" and "Bonjour Marie" in message.body_text
    assert message.attachments == [{"filename": "a.txt", "mimetype": "text/plain", "content": "pièce"}]


def test_deferred_message_same_key_twice_is_written_and_sent_once(greeting_builder):
    first, created_first = enqueue_deferred()
    second, created_second = enqueue_deferred()
    assert (created_first, created_second, first.pk == second.pk) == (True, False, True)
    assert len(mail.outbox) == 1


def test_deferred_message_that_cannot_be_built_is_retried_with_back_off(greeting_builder):
    message, _ = enqueue_deferred(gone=True)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert message.last_error == "LookupError: the row this e-mail is about was deleted"
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert mail.outbox == []
    assert outbox_sweep() == 0  # not due yet


def test_deferred_message_needs_a_registered_builder():
    from quai.outbox import outbox_enqueue_deferred

    with pytest.raises(LookupError), transaction.atomic():
        outbox_enqueue_deferred(key="k", to="a@example.org", template="test_message", builder="nobody.knows", params={})
    assert not OutboxMessage.objects.exists()
