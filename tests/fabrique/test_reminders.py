"""Reminders: sent once."""

import datetime

import pytest
from django.utils import timezone

from fabrique import services
from quai.models import OutboxMessage
from tests.fabrique.factories import make_sessions
from tests.fabrique.helpers import deliverable_of

pytestmark = pytest.mark.django_db


def test_reminders_are_sent_once(enrolment, member, coach):
    deliverable = deliverable_of(enrolment, "value_proposition")
    today = deliverable.due_on - datetime.timedelta(days=3)
    assert services.send_reminders(today=today) >= 1
    assert services.send_reminders(today=today) == 0
    assert OutboxMessage.objects.filter(key=f"fabrique-due-soon:{deliverable.pk}:{deliverable.due_on}").count() == 1
    later = deliverable.due_on + datetime.timedelta(days=2)
    services.send_reminders(today=later)
    services.send_reminders(today=later + datetime.timedelta(days=1))
    assert OutboxMessage.objects.filter(key=f"fabrique-overdue:{deliverable.pk}:{deliverable.due_on}").count() == 1
    session = make_sessions(enrolment.cohort, n=1, start=timezone.now() + datetime.timedelta(days=1))[0]
    services.send_reminders()
    services.send_reminders()
    assert OutboxMessage.objects.filter(key=f"fabrique-session-tomorrow:{session.pk}:{enrolment.pk}").count() == 1
    submission = services.submission_create(deliverable=deliverable, by=member, text="VP")
    services.submission_review(submission=submission, by=coach, decision="changes_requested", feedback="Encore")
    message = OutboxMessage.objects.get(key__startswith="fabrique-feedback:")
    assert message.to == member.email
