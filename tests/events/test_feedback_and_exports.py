import datetime

import pytest
from django.utils import timezone

from events import services
from events.models import Feedback
from quai.models import OutboxMessage
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_feedback_is_requested_once_after_the_event_and_recorded(client, staff):
    event = EventFactory()
    registration = services.registration_create(event=event, guest_name="Léa", guest_email="lea@example.org")
    services.attendance_mark(registration=registration, present=True, nonce="n", by=staff)
    event.starts_at = timezone.now() - datetime.timedelta(hours=20)
    event.ends_at = timezone.now() - datetime.timedelta(hours=18)
    event.save()
    assert services.feedback_requests_send() == 1
    assert services.feedback_requests_send() == 0
    message = OutboxMessage.objects.get(key=f"event-feedback:{registration.pk}")
    assert f"Merci d’être venu·e à « {event.title} »." in message.body_text  # whoever came
    path = "/" + message.body_text.split("/events/feedback/", 1)[1].split()[0]
    url = "/events/feedback/" + path.strip("/") + "/"
    assert client.post(url, {"rating": "9"}).status_code == 400
    assert client.post(url, {"rating": "5", "comment": "Très bien"}).status_code == 200
    assert Feedback.objects.get(registration=registration).rating == 5
    assert client.get("/events/feedback/forged/").status_code == 400
