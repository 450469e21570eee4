"""Staff create an event from the staff page on a laptop; a member registers on a phone and sees
"inscrit·e — annuler" where the button was."""

import datetime

import pytest
from django.utils import timezone

from events.models import Event, Registration
from tests.browser.conftest import assert_accessible, login
from tests.coworking.factories import ResourceFactory, SiteFactory
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_creates_publishes_an_event_and_a_member_registers_on_a_phone(page, phone_page):
    site = SiteFactory()
    seine = ResourceFactory(site=site, kind="room", name="Salle Seine", zone="")
    ResourceFactory(site=site, kind="room", name="Salle Forêt", zone="")
    staff = StaffFactory(email="equipe@example.org")
    member = UserFactory(email="lea@example.org", first_name="Léa", last_name="Martin")
    day = timezone.localdate() + datetime.timedelta(days=9)

    login(page, staff.email, TEST_PASSWORD)
    page.goto(page.base_url + "/staff/events/")
    assert_accessible(page)
    page.locator("main").get_by_role("link", name="Nouvel événement").click()
    page.get_by_label("Titre").fill("Fresque de l’ESS")
    page.get_by_label("Type").select_option("ess_awareness")
    page.get_by_label("Début").fill(f"{day:%Y-%m-%d}T18:00")
    page.get_by_label("Fin").fill(f"{day:%Y-%m-%d}T20:00")
    # The room field is replaced by htmx with the rooms free at that time: wait for that answer and
    # its swap (under load, a choice made before the swap would be lost with the old field).
    with page.expect_response(lambda response: "/staff/events/rooms/" in response.url and "ends_at=" in response.url):
        page.get_by_label("Fin").dispatch_event("change")
    for _ in range(100):
        if not page.evaluate("() => Boolean(document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping'))"):
            break
        page.wait_for_timeout(50)
    page.get_by_label("Salle").select_option(label="Salle Seine — la Ruche Saint-Germain")
    page.get_by_label("Capacité (places)").fill("12")
    page.get_by_label("Réservé aux adhérents").check()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("Brouillon enregistré").wait_for()
    event = Event.objects.get()
    assert (event.status, event.room_id, event.is_public, event.capacity) == ("draft", seine.pk, False, 12)
    assert timezone.localtime(event.starts_at).replace(tzinfo=None) == datetime.datetime.combine(day, datetime.time(18))
    assert_accessible(page)
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Publié :").wait_for()
    assert Event.objects.get().status == "published"

    # A long description: the registration section is far below the fold, where the member taps.
    Event.objects.filter(pk=event.pk).update(description="\n\n".join(f"Paragraphe {n} du programme de la fresque." for n in range(30)))
    phone = phone_page
    login(phone, member.email, TEST_PASSWORD)
    phone.goto(f"{phone.base_url}/events/{event.pk}/")
    assert_accessible(phone)
    phone.get_by_role("button", name="S’inscrire").click()
    phone.get_by_text("Vous êtes inscrit·e").wait_for()
    assert phone.get_by_text("Annuler mon inscription", exact=True).is_visible()
    # The page comes back on the registration section, not at the top (no jump).
    # Polled from Python: wait_for_function evaluates a string in the page, which the real CSP forbids.
    for _ in range(100):
        if phone.evaluate(
            "() => { const r = document.querySelector('.registration-state').getBoundingClientRect();"
            " return window.scrollY > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }"
        ):
            break
        phone.wait_for_timeout(100)
    else:
        raise AssertionError("the registration state is not on screen where the tap was")
    assert Registration.objects.get(event=event, member=member).status == "confirmed"
    assert_accessible(phone)
