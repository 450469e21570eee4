"""The home page: a member sees what is next for them; a visitor sees the agenda and what the Quai is."""

import datetime

import pytest
from django.utils import timezone

from coworking import services as coworking_services
from events import services as event_services
from fabrique import services as fabrique_services
from tests.coworking.factories import ResourceFactory, SiteFactory, SubscriptionFactory
from tests.events.factories import EventFactory
from tests.fabrique.factories import make_cohort
from tests.factories import UserFactory
from tests.members.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_visitor_sees_the_next_public_events_and_what_the_quai_is(client):
    soon = timezone.now() + datetime.timedelta(days=3)
    EventFactory(title="Fresque de l'ESS", starts_at=soon, ends_at=soon + datetime.timedelta(hours=2))
    EventFactory(title="Réservé aux adhérents", is_public=False, starts_at=soon, ends_at=soon + datetime.timedelta(hours=2))
    EventFactory(title="Brouillon", status="draft", starts_at=soon, ends_at=soon + datetime.timedelta(hours=2))
    past = timezone.now() - datetime.timedelta(days=3)
    EventFactory(title="Déjà passé", starts_at=past, ends_at=past + datetime.timedelta(hours=2))
    page = _text(client.get("/"))
    assert "Bientôt au Quai" in page
    assert "Fresque de l’ESS" in page or "Fresque de l&#x27;ESS" in page
    for hidden in ("Réservé aux adhérents", "Brouillon", "Déjà passé"):
        assert hidden not in page
    assert "Ce que vous trouvez au Quai" in page


def test_member_home_shows_next_booking_event_membership_and_programme(client, staff):
    member = UserFactory(first_name="Amina")
    MembershipFactory(member=member, starts_on=timezone.localdate() - datetime.timedelta(days=100),
                      ends_on=timezone.localdate() + datetime.timedelta(days=200))
    SubscriptionFactory(member=member)
    desk = ResourceFactory(site=SiteFactory(), name="Poste Seine")
    day = timezone.localdate() + datetime.timedelta(days=7)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    coworking_services.booking_create(
        member=member, resource=desk,
        starts_at=coworking_services.local_dt(day, datetime.time(9)), ends_at=coworking_services.local_dt(day, datetime.time(13)),
    )
    soon = timezone.now() + datetime.timedelta(days=5)
    event = EventFactory(title="Atelier compostage", starts_at=soon, ends_at=soon + datetime.timedelta(hours=2))
    event_services.registration_create(event=event, member=member)
    cohort = make_cohort(staff, start=timezone.localdate() - datetime.timedelta(days=20))
    fabrique_services.enrol(cohort=cohort, holder=member, coach=UserFactory(), project_name="La Grange", commune="Poissy")

    client.force_login(member)
    page = _text(client.get("/"))
    assert "Bonjour Amina" in page
    assert "Mes prochaines réservations" in page and "Poste Seine" in page
    assert "Mes prochains événements" in page and "Atelier compostage" in page
    assert "Mon adhésion" in page and "valable jusqu’au" in page
    assert "Mon programme Fabrique" in page and "Prochaine échéance" in page


def test_a_plain_member_without_membership_is_invited_to_join_and_sees_no_coworking_panel(client):
    member = UserFactory()
    client.force_login(member)
    page = _text(client.get("/"))
    assert "Vous n’êtes pas encore adhérent·e." in page and "Adhérer" in page
    assert "Mes prochaines réservations" not in page
    assert "Mon programme Fabrique" not in page


def test_the_next_deadline_is_the_next_deliverable_not_yet_handed_in(client, staff):
    member = UserFactory()
    cohort = make_cohort(staff, start=timezone.localdate() - datetime.timedelta(days=70))
    enrolment = fabrique_services.enrol(cohort=cohort, holder=member, coach=UserFactory(), project_name="Le Hangar", commune="Chatou")
    first, second = enrolment.deliverables.order_by("due_on")[:2]
    first.status = "submitted"
    first.save(update_fields=["status"])
    client.force_login(member)
    page = _text(client.get("/"))
    assert f'href="/fabrique/deliverables/{second.pk}/"' in client.get("/").content.decode()
    assert f'href="/fabrique/deliverables/{first.pk}/"' not in client.get("/").content.decode()
    assert "Prochaine échéance" in page


def test_member_home_costs_a_constant_number_of_queries(client, django_assert_num_queries):
    member = UserFactory()
    client.force_login(member)
    client.get("/")
    # 1 the logged-in user, 2 the navigation's conditional links (one EXISTS query), 3 membership,
    # 4 upcoming bookings, 5 current plan (no booking: is this a coworker?), 6 my next events,
    # 7 Fabrique enrolment, 8 incubated project (with its next milestone and this quarter's report).
    # (The session is read from the cache.)
    with django_assert_num_queries(8):
        client.get("/")
