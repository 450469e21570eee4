import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Feedback, MediationSession
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
    path = "/" + message.body_text.split("/events/feedback/", 1)[1].split()[0]
    url = "/events/feedback/" + path.strip("/") + "/"
    assert client.post(url, {"rating": "9"}).status_code == 400
    assert client.post(url, {"rating": "5", "comment": "Très bien"}).status_code == 200
    assert Feedback.objects.get(registration=registration).rating == 5
    assert client.get("/events/feedback/forged/").status_code == 400


def test_declic_xlsx_export_has_french_columns(client, staff):
    from openpyxl import load_workbook

    MediationSession.objects.create(themes=["email", "procedures"], age_band="70p", gender="f", commune="Poissy")
    client.force_login(staff)
    response = client.get(reverse("events:mediation_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Date", "Durée (min)", "Type d’accompagnement")
    assert "E-mail" in rows[1][6] and rows[1][12] == "70 ans et plus"


def test_declic_statistics_break_down_the_record(client, staff):
    MediationSession.objects.create(themes=["email"], duration_min=45, age_band="70p", commune="Poissy", equipment=["phone"])
    MediationSession.objects.create(themes=["email", "banking"], duration_min=120, kind="collective", participants=6)
    client.force_login(staff)
    html = client.get(reverse("events:mediation_stats")).content.decode()
    for expected in ("Par thème", "Par durée", "30–60 min", "120 min +", "Par lieu", "Par équipement", "Téléphone", "Poissy", "70 ans et plus"):
        assert expected in html, expected
