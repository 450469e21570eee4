"""A visitor registers as a guest from the public agenda on a phone; staff mark attendance at the door."""

import pytest

from events.models import Registration
from tests.browser.conftest import assert_accessible, login
from tests.events.factories import EventFactory
from tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guest_registers_from_the_agenda_on_a_phone(phone_page):
    page = phone_page
    event = EventFactory(title="Café ESS : consommer autrement", capacity=20)
    page.goto(page.base_url + "/events/")
    assert_accessible(page)
    page.get_by_role("link", name="Café ESS : consommer autrement").click()
    page.get_by_label("Votre nom").fill("Léa Martin")
    page.get_by_label("Votre adresse e-mail").fill("lea.martin@example.org")
    page.get_by_label("J’accepte", exact=False).check()
    assert_accessible(page)
    page.get_by_role("button", name="S’inscrire").click()
    page.get_by_text("Vous êtes inscrit").wait_for()
    registration = Registration.objects.get(event=event)
    assert registration.guest_email == "lea.martin@example.org" and registration.status == "confirmed"


def test_staff_marks_attendance_on_the_door_list(phone_page):
    page = phone_page
    staff = StaffFactory(email="accueil@example.org")
    event = EventFactory(title="Atelier Déclic")
    from events import services

    services.registration_create(event=event, guest_name="Paul Durand", guest_email="paul@example.org")
    services.registration_create(event=event, guest_name="Awa Keita", guest_email="awa@example.org")
    login(page, staff.email, TEST_PASSWORD)
    page.goto(f"{page.base_url}/staff/events/{event.pk}/door/")
    assert_accessible(page)
    page.get_by_role("button", name="Présent — Paul Durand").click()
    page.locator("#registration-" + str(Registration.objects.get(guest_email="paul@example.org").pk)).get_by_text("✓ présent").wait_for()
    assert Registration.objects.get(guest_email="paul@example.org").attended is True
    assert Registration.objects.get(guest_email="awa@example.org").attended is None
