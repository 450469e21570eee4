"""E-mails read right in a mail client: subjects and text parts are plain text, never HTML-escaped."""

import pytest
from django.core import mail

from events import services as event_services
from quai.models import OutboxMessage
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_event_confirmation_subject_and_text_keep_apostrophes_and_ampersands(django_capture_on_commit_callbacks):
    event = EventFactory(title="Fresque de l'ESS & apéro <débat>", capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        registration = event_services.registration_create(
            event=event, guest_name="Zoé O'Neil", guest_email="zoe@example.org", consent=True
        )
    message = OutboxMessage.objects.get(key=f"event-registration:{registration.pk}")
    assert "Fresque de l'ESS & apéro <débat>" in message.subject
    assert "Fresque de l'ESS & apéro <débat>" in message.body_text
    assert "&#x27;" not in message.subject + message.body_text
    assert "&amp;" not in message.subject + message.body_text
    sent = next(m for m in mail.outbox if m.to == ["zoe@example.org"])
    assert sent.subject == message.subject


def test_account_emails_from_allauth_are_not_escaped(client, settings, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    settings.QUAI_SITE_NAME = "Le Quai d'en face"
    user = UserFactory(email="jean@example.org", first_name="Jean", last_name="D'Arc")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})
    message = OutboxMessage.objects.get(to=user.email)
    assert "&#x27;" not in message.subject
    assert "&#x27;" not in message.body_text
    assert "Le Quai d'en face" in message.body_text


def test_links_in_emails_use_the_public_site_address(settings, django_capture_on_commit_callbacks):
    settings.QUAI_SITE_URL = "https://quai.example.org:8443"
    event = EventFactory(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        registration = event_services.registration_create(
            event=event, guest_name="Zoé", guest_email="zoe2@example.org", consent=True
        )
    body = OutboxMessage.objects.get(key=f"event-registration:{registration.pk}").body_text
    assert f"https://quai.example.org:8443/events/{event.pk}/" in body
    assert "127.0.0.1" not in body


def test_event_confirmation_text_reads_as_french_lines(settings, django_capture_on_commit_callbacks):
    from tests.coworking.factories import SiteFactory

    settings.QUAI_SITE_URL = "https://quai.example.org"
    event = EventFactory(title="Café ESS", capacity=5, site=SiteFactory(name="la Ruche Saint-Germain"))
    with django_capture_on_commit_callbacks(execute=True):
        registration = event_services.registration_create(
            event=event, guest_name="Zoé", guest_email="zoe3@example.org", consent=True
        )
    lines = OutboxMessage.objects.get(key=f"event-registration:{registration.pk}").body_text.splitlines()
    assert lines[0] == "Bonjour Zoé,"
    assert lines[2].startswith("Votre place est confirmée pour « Café ESS » le ") and lines[2].endswith(".")
    # The place on its own line, labelled; French spacing before the colons.
    assert lines[3] == "Lieu : la Ruche Saint-Germain"
    assert f"Détails : https://quai.example.org/events/{event.pk}/" in lines
