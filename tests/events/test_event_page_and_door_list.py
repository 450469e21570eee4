"""The event page after registering, the agenda's folded filters and empty state, the door list's
counters and search (htmx)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Registration
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- event page --------------------------------------------------------------------------------


def test_member_registers_and_sees_registered_with_cancel_instead_of_the_form(client, member):
    event = EventFactory(capacity=5)
    client.force_login(member)
    response = client.post(reverse("events:detail", args=[event.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:detail", args=[event.pk]) + "#registration"
    body = client.get(response["Location"]).content.decode()
    registration = Registration.objects.get(event=event, member=member)
    assert "Vous êtes inscrit·e" in body
    assert reverse("events:cancel", args=[registration.pk]) in body
    assert ">S’inscrire</button>" not in body


def test_member_on_the_waiting_list_sees_their_position(client, member):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, guest_name="A", guest_email="a@example.org")
    services.registration_create(event=event, guest_name="B", guest_email="b@example.org")
    client.force_login(member)
    client.post(reverse("events:detail", args=[event.pk]))
    body = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Vous êtes sur liste d’attente — position 2" in body


def test_guest_sees_registered_state_with_the_signed_cancel_link_in_the_same_browser(client):
    event = EventFactory()
    response = client.post(reverse("events:detail", args=[event.pk]), {"name": "Léa", "email": "lea@example.org", "consent": "on"})
    assert response.status_code == 302
    body = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    registration = Registration.objects.get(event=event)
    assert "Vous êtes inscrit·e" in body and "lea@example.org" in body
    assert services.cancel_link(registration).split("/events/")[1] in body
    assert 'name="consent"' not in body


def test_another_browser_still_sees_the_form(client):
    event = EventFactory()
    services.registration_create(event=event, guest_name="Léa", guest_email="lea@example.org")
    body = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'name="consent"' in body and "Vous êtes inscrit·e" not in body


def test_guest_without_consent_gets_the_error_by_the_checkbox_and_in_the_summary(client):
    event = EventFactory()
    response = client.post(reverse("events:detail", args=[event.pk]), {"name": "Léa", "email": "lea@example.org"})
    assert response.status_code == 400
    body = response.content.decode()
    message = "Merci d’accepter que nous conservions votre nom et votre e-mail pour cet événement."
    assert body.count(message) == 2  # in the summary (a link to the checkbox) and under the checkbox
    assert 'href="#id_consent"' in body and 'id="id_consent_error"' in body
    assert Registration.objects.count() == 0


def test_registered_member_cancels_and_gets_the_form_back(client, member):
    event = EventFactory()
    registration = services.registration_create(event=event, member=member)
    client.force_login(member)
    response = client.post(reverse("events:cancel", args=[registration.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#registration")
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert ">S’inscrire</button>" in client.get(reverse("events:detail", args=[event.pk])).content.decode()


# --- agenda ------------------------------------------------------------------------------------


def test_agenda_groups_by_french_month_and_folds_its_filters(client):
    start = timezone.make_aware(datetime.datetime(2031, 6, 12, 18, 30))
    EventFactory(title="Fresque du climat", starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    body = client.get(reverse("events:agenda")).content.decode()
    assert '<details class="agenda-filters">' in body
    assert "<h2>Juin 2031</h2>" in body
    assert '<span class="event-date">Jeudi 12 juin</span>, 18:30–20:30' in body


def test_agenda_summary_names_the_active_filters_and_empty_state_offers_a_reset(client):
    EventFactory(kind="networking")
    response = client.get(reverse("events:agenda"), {"kind": "ess_training", "month": "2031-06"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "(Formation ESS, juin 2031)" in body
    assert "Aucun événement à venir ne correspond à ces filtres." in body
    assert "Voir tous les événements à venir" in body


def test_agenda_without_any_event_says_so(client):
    body = client.get(reverse("events:agenda")).content.decode()
    assert "Aucun événement n’est encore prévu." in body


def test_agenda_shows_thirty_events_a_page_and_keeps_the_filters_in_its_links(client):
    first = timezone.make_aware(datetime.datetime(2031, 6, 2, 18, 0))
    for n in range(31):
        starts_at = first + datetime.timedelta(days=n)
        EventFactory(title=f"Atelier {n:02d}", kind="networking", starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2))
    EventFactory(title="Autre type", kind="ess_training", starts_at=first, ends_at=first + datetime.timedelta(hours=2))

    body = client.get(reverse("events:agenda"), {"kind": "networking"}).content.decode()
    assert body.count('<li class="card">') == 30
    assert "Atelier 00" in body and "Atelier 29" in body and "Atelier 30" not in body and "Autre type" not in body
    assert "Page 1 sur 2" in body
    assert '<a href="?kind=networking&amp;page=2">Suivante</a>' in body
    assert "Précédente" not in body

    body = client.get(reverse("events:agenda"), {"kind": "networking", "page": "2"}).content.decode()
    assert body.count('<li class="card">') == 1
    assert "Atelier 30" in body and "Page 2 sur 2" in body
    assert '<a href="?kind=networking&amp;page=1">Précédente</a>' in body
    assert "Suivante" not in body
    # A page past the end shows the last one; a page that is not a number is a 400.
    assert "Atelier 30" in client.get(reverse("events:agenda"), {"kind": "networking", "page": "9"}).content.decode()
    assert client.get(reverse("events:agenda"), {"page": "deux"}).status_code == 400


def test_agenda_on_one_page_shows_no_pagination(client):
    for _ in range(30):
        EventFactory()
    body = client.get(reverse("events:agenda")).content.decode()
    assert body.count('<li class="card">') == 30
    assert 'aria-label="Pagination"' not in body


def test_agenda_marks_a_full_event_by_its_seats_taken_not_its_walk_ins(client, staff):
    full = EventFactory(title="Complet", capacity=1)
    services.registration_create(event=full, guest_name="A", guest_email="a@example.org")
    open_ = EventFactory(title="Ouvert", capacity=1)
    services.walk_in_add(event=open_, name="Passant", by=staff)
    body = client.get(reverse("events:agenda")).content.decode()
    assert body.count("Complet — liste d’attente") == 1
    assert body.index("Complet — liste d’attente") < body.index("Ouvert")


# --- door list ---------------------------------------------------------------------------------


@pytest.fixture
def door_event():
    event = EventFactory(capacity=2)
    paul = services.registration_create(event=event, guest_name="Paul Durand", guest_email="paul@example.org")
    services.registration_create(event=event, member=UserFactory(first_name="Awa", last_name="Keita"))
    services.registration_create(event=event, guest_name="Zoé Waiting", guest_email="zoe@example.org")
    return event, paul


def test_door_list_counters_present_expected_walk_ins(client, staff, door_event):
    event, paul = door_event
    services.attendance_mark(registration=paul, present=True, nonce="n1", by=staff)
    services.walk_in_add(event=event, name="Sam Passant", by=staff)
    client.force_login(staff)
    body = client.get(reverse("events:door_list", args=[event.pk])).content.decode()
    assert "<strong>2</strong> présent·es" in body  # Paul and the walk-in
    assert "<strong>2</strong> attendu·es" in body  # confirmed seats: Paul and Awa, not Zoé (waiting)
    assert "<strong>1</strong> sans inscription" in body
    assert body.index("Ajouter une personne sans inscription") < body.index('id="door-search"')


def test_door_list_search_returns_only_the_rows_for_htmx(client, staff, door_event):
    event, _paul = door_event
    client.force_login(staff)
    response = client.get(reverse("events:door_list", args=[event.pk]), {"partial": "1", "q": "keita"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Awa Keita" in body and "Paul Durand" not in body and "<html" not in body
    response = client.get(reverse("events:door_list", args=[event.pk]), {"partial": "1", "q": "nobody"}, HTTP_HX_REQUEST="true")
    assert "Personne ne correspond à « nobody »" in response.content.decode()


def test_marking_present_with_htmx_updates_the_row_and_the_counters(client, staff, door_event):
    event, paul = door_event
    client.force_login(staff)
    response = client.post(reverse("events:mark", args=[paul.pk]), {"present": "1", "nonce": "tap-1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="registration-{paul.pk}"' in body and 'hx-swap-oob="true"' in body and "<strong>1</strong> présent·es" in body
    paul.refresh_from_db()
    assert paul.attended is True


def test_door_rows_markup_states_badges_and_escaping(client, staff, door_event):
    import re

    event, paul = door_event
    services.attendance_mark(registration=paul, present=True, nonce="n1", by=staff)
    walk_in = services.walk_in_add(event=event, name="<b>Sam</b> & Co", by=staff)
    client.force_login(staff)
    body = client.get(reverse("events:door_list", args=[event.pk]), {"partial": "1"}, HTTP_HX_REQUEST="true").content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="T"', body)
    body = re.sub(r'name="nonce" value="[0-9a-f]{32}-', 'name="nonce" value="N-', body)
    url = reverse("events:mark", args=[walk_in.pk])
    form = (f'<form method="post" action="{url}" hx-post="{url}" hx-target="#registration-{walk_in.pk}" hx-swap="outerHTML">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="T">')
    assert (
        f'<li class="card door-row door-row-present" id="registration-{walk_in.pk}">\n'
        '  <p><strong>&lt;b&gt;Sam&lt;/b&gt; &amp; Co</strong> <span class="badge badge-warn">sans inscription</span><br>\n'
        '   <span class="badge badge-ok">✓ présent·e</span></p>\n'
        '  <div class="actions">\n'
        f'    {form}\n'
        f'      <input type="hidden" name="nonce" value="N-p{walk_in.pk}"><input type="hidden" name="present" value="1">\n'
        '      <button type="submit" class="button button-secondary">Présent<span class="visually-hidden"> — &lt;b&gt;Sam&lt;/b&gt; &amp; Co</span></button></form>\n'
        f'    {form}\n'
        f'      <input type="hidden" name="nonce" value="N-a{walk_in.pk}"><input type="hidden" name="present" value="0">\n'
        '      <button type="submit" class="button button-secondary">Absent<span class="visually-hidden"> — &lt;b&gt;Sam&lt;/b&gt; &amp; Co</span></button></form>\n'
        '  </div>\n'
        '</li>\n'
    ) in body
    zoe = body[body.index("<strong>Zoé Waiting</strong>"):]
    assert zoe.startswith('<strong>Zoé Waiting</strong> <span class="badge badge-muted">liste d’attente</span><br>\n'
                          '   <span class="badge badge-muted">pas encore</span></p>')
    assert body.count('<li class="card door-row') == 4 and body.count("<form ") == 8


def test_walk_in_without_a_name_is_a_form_error_and_nothing_is_written(client, staff, door_event):
    event, _paul = door_event
    client.force_login(staff)
    response = client.post(reverse("events:walk_in", args=[event.pk]), {"name": "", "email": ""})
    assert response.status_code == 400
    assert "<details class=\"walk-in\" open>" in response.content.decode()
    assert event.registrations.filter(walk_in=True).count() == 0
    response = client.post(reverse("events:walk_in", args=[event.pk]), {"name": "Sam", "email": ""})
    assert response.status_code == 302
    assert event.registrations.filter(walk_in=True, attended=True).count() == 1
