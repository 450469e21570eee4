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


def test_reminders_read_as_letters_with_their_link(enrolment, member, coach, settings):
    from django.utils.formats import date_format

    settings.QUAI_SITE_URL = "https://quai.example.org"
    member.first_name = "Amina"
    member.save(update_fields=["first_name"])
    deliverable = deliverable_of(enrolment, "value_proposition")
    link = f"https://quai.example.org/fabrique/deliverables/{deliverable.pk}/"
    due = date_format(deliverable.due_on, "l j F Y")
    services.send_reminders(today=deliverable.due_on - datetime.timedelta(days=3))
    services.send_reminders(today=deliverable.due_on + datetime.timedelta(days=1))
    session = make_sessions(enrolment.cohort, n=1, start=timezone.now() + datetime.timedelta(days=1))[0]
    services.send_reminders()
    submission = services.submission_create(deliverable=deliverable, by=member, text="VP")
    services.submission_review(submission=submission, by=coach, decision="changes_requested", feedback="Précisez le budget.")

    def lines(prefix):
        return OutboxMessage.objects.get(key__startswith=prefix).body_text.splitlines()

    due_soon = lines(f"fabrique-due-soon:{deliverable.pk}:")
    assert due_soon[:4] == ["Bonjour Amina,", "",
                            f"« {deliverable.title} » est à rendre le {due}. Sa consigne, son modèle et le formulaire pour le déposer :",
                            link]
    assert due_soon[-1] == f"— {settings.QUAI_SITE_NAME}"
    overdue = lines(f"fabrique-overdue:{deliverable.pk}:")
    assert overdue[0] == "Bonjour Amina," and overdue[2].startswith(f"« {deliverable.title} » était à rendre le {due} ")
    assert overdue[3] == link
    feedback = lines("fabrique-feedback:")
    assert feedback[:5] == ["Bonjour Amina,", "", f"Votre coach a relu « {deliverable.title} » : Modifications demandées.", "",
                            "Précisez le budget."]
    assert link in feedback
    tomorrow = lines(f"fabrique-session-tomorrow:{session.pk}:{enrolment.pk}")
    assert tomorrow[0] == "Bonjour Amina,"
    assert tomorrow[2].startswith("À demain, ") and tomorrow[2].endswith(f"pour la séance de la Fabrique de Territoire « {session.title} ».")
    assert "https://quai.example.org/fabrique/" in tomorrow
