"""The notification outbox: every e-mail is a row first, then delivered by a Celery task.

Guarantees
- Idempotent by key: `outbox_enqueue(key=...)` twice writes one row and sends one e-mail.
- Rendered where it is cheap: `outbox_enqueue_deferred` stores the template and the ids its context
  is built from (an e-mail builder of quai.registry); the delivery task renders it, attachments
  included, and stores what it sent on the row. A request that announces a change (a registration)
  writes one small row and renders nothing.
- Not lost when Redis is down: the row is committed with the caller's transaction; if the broker
  cannot be reached, `outbox_sweep` (periodic) delivers it later.
- Not sent twice by two workers: a worker claims a row with a conditional UPDATE and only the
  winner sends. A worker that dies between the SMTP call and the "sent" update leaves the row in
  `sending`; the sweep retries it after QUAI_OUTBOX_STALE_AFTER (at-least-once is the best any
  SMTP client can do; the window is one SMTP call wide).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from quai.models import OutboxMessage
from quai.registry import registry

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)
SWEEP_BATCH = 200


def render_text(template_name: str, context: dict) -> str:
    """Render a plain-text template (an e-mail subject or text part) without HTML escaping."""
    return render_to_string(template_name, context, using="text")


def _render(template: str, context: dict, language: str | None) -> tuple[str, str, str]:
    context = {"site_name": settings.QUAI_SITE_NAME, "site_url": settings.QUAI_SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_text(f"emails/{template}_subject.txt", context)
        body_text = render_text(f"emails/{template}.txt", context)
        try:
            body_html = render_to_string(f"emails/{template}.html", context)
        except TemplateDoesNotExist:
            body_html = ""
    subject = " ".join(subject.split())
    return subject, body_text, body_html


def outbox_enqueue(
    *,
    key: str,
    to: str,
    template: str,
    context: dict | None = None,
    user=None,
    language: str | None = None,
    attachments: list[dict] | None = None,
    reply_to: str = "",
) -> tuple[OutboxMessage, bool]:
    """Write the message `key` (rendered from templates/emails/<template>*) once; deliver after commit.

    Returns (message, created). A second call with the same key returns the existing row and
    sends nothing. Call it inside the transaction of the change it announces: if that change
    rolls back, no e-mail is ever sent.
    """
    if language is None and user is not None:
        language = getattr(user, "language", None)
    subject, body_text, body_html = _render(template, context or {}, language)
    return outbox_enqueue_rendered(
        key=key,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        user=user,
        attachments=attachments,
        reply_to=reply_to,
    )


def outbox_enqueue_rendered(
    *,
    key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    user=None,
    attachments: list[dict] | None = None,
    reply_to: str = "",
) -> tuple[OutboxMessage, bool]:
    return _enqueue(
        OutboxMessage(
            key=key[:255],
            to=to,
            user=user if getattr(user, "pk", None) else None,
            subject=subject[:255],
            body_text=body_text,
            body_html=body_html,
            attachments=attachments or [],
            reply_to=reply_to,
        )
    )


def outbox_enqueue_deferred(
    *,
    key: str,
    to: str,
    template: str,
    builder: str,
    params: dict,
    user=None,
    language: str | None = None,
    reply_to: str = "",
) -> tuple[OutboxMessage, bool]:
    """Write the message `key` once, rendered at delivery: templates/emails/<template>* with the
    context (and attachments) that the e-mail builder `builder` makes from `params` then.

    Same guarantees as `outbox_enqueue` (one row per key, sent after commit, never if the caller's
    transaction rolls back); the request pays one INSERT of a small row instead of the rendering.
    The e-mail shows the data as they are when it is sent, seconds later (or after a retry).
    """
    if builder not in registry.email_builders:
        raise LookupError(f"no e-mail builder registered as {builder!r}")
    if language is None and user is not None:
        language = getattr(user, "language", None)
    return _enqueue(
        OutboxMessage(
            key=key[:255],
            to=to,
            user=user if getattr(user, "pk", None) else None,
            template=template,
            builder=builder,
            params=params,
            language=language or "",
            reply_to=reply_to,
        )
    )


def _enqueue(message: OutboxMessage) -> tuple[OutboxMessage, bool]:
    pk = _insert_unless_exists(message)
    if pk is None:  # this key was written before (or by a concurrent transaction that committed)
        return OutboxMessage.objects.get(key=message.key), False
    message.pk = pk
    message._state.adding = False
    transaction.on_commit(lambda: _dispatch(message.pk))
    return message, True


def _insert_unless_exists(message: OutboxMessage) -> int | None:
    """`INSERT … ON CONFLICT (key) DO NOTHING RETURNING id`: the new row's id, or None when the key
    exists. One round trip, and no savepoint: a known key is an answer, not an error that would
    abort the caller's transaction (get_or_create took six round trips on every registration)."""
    opts = OutboxMessage._meta
    fields = [field for field in opts.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(message, True), connection) for field in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({quote(opts.get_field('key').column)}) DO NOTHING RETURNING {quote(opts.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    return row[0] if row else None


def outbox_retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed delivery: 1, 2, 4… minutes, at most an hour."""
    return timedelta(seconds=min(3600, 30 * 2**attempts))


# Defined here, not in quai/tasks.py, so that this module needs no import of the tasks (which
# import it); the name stays the one already in the broker's queues.
@shared_task(name="quai.tasks.deliver_outbox_message", bind=True, acks_late=True, max_retries=5, time_limit=60, soft_time_limit=50)
def deliver_outbox_message(self, message_id: int) -> bool:
    """Deliver one outbox row. Safe to run twice: only the worker that claims the row sends it."""
    try:
        return outbox_deliver(message_id)
    except Exception as exc:
        # The row already holds the back-off time; retrying earlier would find it not due.
        raise self.retry(exc=exc, countdown=outbox_retry_delay(self.request.retries + 1).total_seconds() + 1)


def _dispatch(message_id: int) -> None:
    try:
        deliver_outbox_message.delay(message_id)
    except Exception:  # broker down: the row is safe in the database, the sweep will send it
        logger.warning("outbox: broker unavailable, message %s left for the sweep", message_id)


def _claim(message_id: int, now) -> bool:
    claimed = OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.PENDING) | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_AFTER),
        pk=message_id,
        next_attempt_at__lte=now,
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def outbox_deliver(message_id: int, *, now=None) -> bool:
    """Send one message if it is due and nobody else is sending it. True when this call sent it."""
    now = now or timezone.now()
    if not _claim(message_id, now):
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        rendered = _render_deferred(message)  # a failure here is retried like a failed send
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"X-Quai-Message-Key": message.key},
            reply_to=[message.reply_to] if message.reply_to else None,
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        for attachment in message.attachments:
            email.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
        email.send(fail_silently=False)
    except Exception as exc:
        max_attempts = settings.QUAI_OUTBOX_MAX_ATTEMPTS
        failed = message.attempts >= max_attempts
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=now + outbox_retry_delay(message.attempts),
            claimed_at=None,
        )
        logger.warning(
            "outbox: sending failed",
            extra={"message_id": message.pk, "attempt": message.attempts, "final": failed},
        )
        raise
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error="", **rendered
    )
    logger.info("outbox: sent", extra={"message_id": message.pk, "key": message.key})
    return True


def _render_deferred(message: OutboxMessage) -> dict:
    """Render a deferred message into `message` (subject, bodies, attachments); returns those fields
    for the "sent" update (the row keeps what was sent), or {} for a message rendered when written."""
    if not message.template:
        return {}
    context, attachments = registry.email_builders[message.builder].build(message.params)
    message.subject, message.body_text, message.body_html = _render(message.template, context, message.language or None)
    message.subject = message.subject[:255]
    message.attachments = attachments
    return {"subject": message.subject, "body_text": message.body_text, "body_html": message.body_html, "attachments": attachments}


def outbox_sweep(*, now=None, batch: int = SWEEP_BATCH) -> int:
    """Deliver what is due (written while Redis was down, retries, stuck claims). Returns the count sent."""
    now = now or timezone.now()
    due_ids = list(
        OutboxMessage.objects.filter(
            Q(status=OutboxMessage.Status.PENDING)
            | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_AFTER),
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    sent = 0
    for message_id in due_ids:
        try:
            sent += outbox_deliver(message_id, now=now)
        except Exception:
            continue  # recorded on the row; the next sweep retries it after its back-off
    return sent
