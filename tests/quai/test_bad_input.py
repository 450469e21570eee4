"""Bad input gets a clear 400 (403 when not allowed, 409 when busy or taken), never a 500, and
nothing is written: one test per class of bad input, each trying many pages, endpoints and filters.

Every case asserts the exact status and that no row changed anywhere (row counts before/after).
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from coworking.models import Plan, Resource
from coworking.services import PARIS, booking_create, local_dt
from events.models import Event, Registration
from fabrique import services as fabrique
from fabrique.models import Session
from members.models import Membership, MembershipType
from quai.api import exception_handler
from quai.dberrors import as_domain_error
from quai.errors import ConflictError, InvalidInput
from quai.middleware import BadInputMiddleware
from tests.coworking.factories import ResourceFactory, SiteFactory, SubscriptionFactory
from tests.events.factories import EventFactory
from tests.fabrique.factories import make_cohort
from tests.factories import StaffFactory, UserFactory

MODELS = [
    "members.User", "members.Profile", "members.Membership", "members.MembershipType", "members.ApiToken",
    "coworking.Booking", "coworking.Subscription", "coworking.Plan", "coworking.CalendarFeed",
    "events.Event", "events.Registration", "events.AttendanceScan", "events.MediationActivity", "events.Feedback",
    "fabrique.Cohort", "fabrique.Module", "fabrique.Application", "fabrique.ApplicationScore", "fabrique.Enrolment",
    "fabrique.Session", "fabrique.Outcome", "fabrique.Submission", "fabrique.Review",
    "quai.AuditLog", "quai.OutboxMessage",
]


def row_counts() -> dict:
    return {label: apps.get_model(label).objects.count() for label in MODELS}


def snapshot() -> dict:
    """Row counts, and the values that an update (rather than an insert) would change."""
    return {
        "counts": row_counts(),
        "modules": list(apps.get_model("fabrique.Module").objects.order_by("pk").values_list("month", "title")),
        "names": list(apps.get_model("members.User").objects.order_by("pk").values_list("first_name", "last_name", "is_staff")),
        "events": list(Event.objects.order_by("pk").values_list("title", "starts_at", "price", "registration_closes_at")),
        "bookings": list(apps.get_model("coworking.Booking").objects.order_by("pk").values_list("span", "status")),
    }


@pytest.fixture
def world(db):
    """Everyone and everything the bad inputs aim at."""
    staff = StaffFactory()
    member = UserFactory()
    SubscriptionFactory(member=member)
    site = SiteFactory()
    desk = ResourceFactory(site=site, name="Poste A1")
    room = ResourceFactory(site=site, kind="room", name="Salle Seine", capacity=8, zone="")
    resident = UserFactory()
    fixed = ResourceFactory(site=site, name="Poste fixe", assigned_to=resident)
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    booking = booking_create(member=member, resource=desk, starts_at=local_dt(day, datetime.time(9)),
                             ends_at=local_dt(day, datetime.time(13)))
    event = EventFactory(is_public=True)
    registration = Registration.objects.create(event=event, member=member, person_key=f"member:{member.pk}", status="confirmed")
    cohort = make_cohort(staff, year=timezone.localdate().year)
    cohort.applications_open = True
    cohort.save(update_fields=["applications_open"])
    holder, coach = UserFactory(), UserFactory()
    enrolment = fabrique.enrol(cohort=cohort, holder=holder, coach=coach, project_name="La Grange")
    deliverable = enrolment.deliverables.first()
    submission = fabrique.submission_create(deliverable=deliverable, by=holder, text="Version 1")
    application = fabrique.application_submit(cohort=cohort, holder=UserFactory(), commune="Poissy", project="Un lieu",
                                              motivation="Oui", stage="idea")
    individual = MembershipType.objects.create(name="Individuelle", kind="individual", amount_eur=Decimal("20"))
    yearly = MembershipType.objects.create(name="Douze mois", kind="reduced", amount_eur=Decimal("10"), duration_months=12)
    return {
        "staff": staff, "member": member, "site": site, "desk": desk, "room": room, "fixed": fixed, "resident": resident,
        "day": day, "booking": booking, "event": event, "registration": registration, "cohort": cohort, "holder": holder,
        "coach": coach, "enrolment": enrolment, "deliverable": deliverable, "submission": submission,
        "application": application, "individual": individual, "yearly": yearly,
    }


def client_for(world, who: str):
    """anon / member / staff / holder: a page client; *_api: an API client."""
    if who.endswith("_api"):
        client = APIClient()
        person = who[:-4]
        if person != "anon":
            client.force_authenticate(world[person])
        return client
    client = Client()
    if who != "anon":
        client.force_login(world[who])
    return client


def fill(value, world):
    """Case data may name objects of the world: "{event}" → its id."""
    if isinstance(value, str):
        ids = {key: getattr(obj, "pk", obj) for key, obj in world.items()}
        return value.format(**ids) if "{" in value else value
    if isinstance(value, dict):
        return {k: fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, world) for v in value]
    return value


def send(world, who, method, url, data=None):
    client = client_for(world, who)
    url, data = fill(url, world), fill(data, world)
    if who.endswith("_api"):
        return getattr(client, method)(url, data=data, format="json") if data is not None else getattr(client, method)(url)
    return getattr(client, method)(url, data=data or {})


def check(world, who, method, url, data, status):
    before = snapshot()
    response = send(world, who, method, url, data)
    assert response.status_code == status, (url, data, response.status_code, response.content[:500])
    assert snapshot() == before, (url, data)
    return response


def iso(day_offset=7, hour=10, tz="+01:00", year=None):
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    if year:
        day = day.replace(year=year, month=3, day=2)
    return f"{day.isoformat()}T{hour:02d}:00:00{tz}"


NEXT_WEEK = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


# --- 1. NUL and other control characters: query strings, paths, form fields, API bodies ------

CONTROL_CHARACTERS = [
    # query strings (pages and API), keys included
    ("staff", "get", "/staff/members/?q=a%00b", None),
    ("staff", "get", "/staff/members/?q=%07", None),
    ("staff", "get", "/staff/members/export.csv?q=%00", None),
    ("member", "get", "/coworking/?zone=%00", None),
    ("member", "get", "/coworking/?site=%00", None),
    ("member", "get", "/coworking/bookings/?page=%00", None),
    ("anon", "get", "/events/?theme=%00", None),
    ("anon", "get", "/events/?theme=a%01b", None),
    ("anon", "get", "/events/?%00=1", None),
    ("member", "get", "/directory/?skill=%00", None),
    ("staff", "get", "/staff/events/{event}/door/?q=%00", None),
    ("staff", "get", "/staff/coworking/?site=%1b", None),
    ("staff_api", "get", "/api/v1/members/?q=%00", None),
    ("member_api", "get", "/api/v1/resources/?zone=%00", None),
    ("anon_api", "get", "/api/v1/events/?theme=%1b", None),
    ("staff_api", "get", "/api/v1/bookings/?status=%00", None),
    # paths
    ("anon", "get", "/events/cancel/%00abc/", None),
    ("anon", "get", "/events/feedback/a%00b/", None),
    ("anon", "get", "/coworking/calendar/%00.ics", None),
    ("staff", "get", "/staff/members/export.%00", None),
    ("anon", "post", "/events/cancel/%07/", {}),
    # form fields (pages)
    ("member", "post", "/account/", {"first_name": "Ma\x00rie", "last_name": "Martin", "language": "fr"}),
    ("member", "post", "/account/profile/", {"bio": "ligne\x0bsuivante"}),
    ("member", "post", "/account/profile/", {"commune": "\x1b[31mPoissy"}),
    ("member", "post", "/account/", {"first_name": "\x00", "last_name": "X", "language": "fr"}),
    ("member", "post", "/account/", {"first_name": "Marie\x08", "last_name": "X", "language": "fr"}),
    ("member", "post", "/account/tokens/", {"name": "tok\x07en"}),
    ("anon", "post", "/events/{event}/", {"name": "Jean\x00", "email": "jean@example.org", "consent": "on"}),
    ("anon", "post", "/events/{event}/", {"name": "Jean\x08", "email": "jean@example.org", "consent": "on"}),
    ("staff", "post", "/staff/events/{event}/walk-in/", {"name": "Wa\x0clk"}),
    ("staff", "post", "/staff/registrations/{registration}/attendance/", {"present": "1", "nonce": "n\x00"}),
    ("member", "post", "/fabrique/apply/{cohort}/", {"commune": "Poissy", "project": "Un lieu", "motivation": "\x00",
                                                     "stage": "idea"}),
    ("member", "post", "/fabrique/apply/{cohort}/", {"commune": "Pois\x1fsy", "project": "Un lieu", "motivation": "Oui",
                                                     "stage": "idea"}),
    ("staff", "post", "/staff/fabrique/", {"name": "Pro\x1fmo", "year": "2031", "start": "2031-01-01", "end": "2031-06-30",
                                           "capacity": "8"}),
    ("holder", "post", "/fabrique/deliverables/{deliverable}/", {"text": "mon texte\x00"}),
    ("staff", "post", "/staff/fabrique/applications/{application}/", {"score": "4", "comment": "bien\x07"}),
    # API bodies
    ("member_api", "patch", "/api/v1/me/", {"first_name": "\x00"}),
    ("member_api", "patch", "/api/v1/me/", {"last_name": "a\x1bb"}),
    ("anon_api", "post", "/api/v1/events/{event}/registrations/", {"name": "\x01Jean", "email": "jean@example.org"}),
    ("staff_api", "post", "/api/v1/events/", {"title": "Café\x00", "kind": "other", "start": iso(), "end": iso(hour=12),
                                              "capacity": 10}),
    ("staff_api", "post", "/api/v1/events/", {"title": "Café", "kind": "other", "start": iso(), "end": iso(hour=12),
                                              "capacity": 10, "themes": ["ess\x02"]}),
    ("staff_api", "post", "/api/v1/registrations/{registration}/attendance/", {"present": True, "nonce": "\x02"}),
    ("member_api", "post", "/api/v1/bookings/", {"resource": "{desk}", "start": iso() + "\x00", "end": iso(hour=13)}),
]


@pytest.mark.parametrize("who,method,url,data", CONTROL_CHARACTERS)
def test_control_characters_are_a_400_and_nothing_is_written(world, who, method, url, data):
    check(world, who, method, url, data, 400)


def test_a_control_character_in_the_query_string_names_the_parameter(world):
    response = check(world, "staff_api", "get", "/api/v1/members/?q=a%00b", None, 400)
    assert response.json()["errors"] == {"q": ["Supprimez les caractères de contrôle invisibles de ce texte."]}


def test_tab_and_line_breaks_stay_allowed_in_multi_line_text(world):
    client = client_for(world, "member")
    response = client.post("/account/profile/", {"bio": "Première ligne\r\n\tseconde ligne"})
    assert response.status_code == 302
    assert world["member"].profile.bio == "Première ligne\r\n\tseconde ligne"


# --- 2. Dates and datetimes out of range, overflowing arithmetic, naive datetimes -------------

DATES = [
    ("member", "get", "/coworking/?date=0001-01-01", None),
    ("member", "get", "/coworking/?date=9999-12-31", None),
    ("member", "get", "/coworking/?date=2101-01-01", None),
    ("member", "get", "/coworking/?date=1999-12-31", None),
    ("member", "get", "/coworking/?date=10000-01-01", None),
    ("member", "get", "/coworking/?date=2026-02-30", None),
    ("member", "get", "/coworking/?date=abc", None),
    ("staff", "get", "/staff/coworking/occupancy/?start=0001-01-01&end=0001-01-02", None),
    ("staff", "get", "/staff/coworking/occupancy/?start=9999-12-30&end=9999-12-31", None),
    ("staff", "get", "/staff/members/?joined_from=0001-01-01", None),
    ("staff", "get", "/staff/members/?joined_to=9999-12-31", None),
    ("staff_api", "get", "/api/v1/members/?joined_from=0001-01-01", None),
    ("staff_api", "get", "/api/v1/members/?joined_to=not-a-date", None),
    ("anon", "get", "/events/?month=9999-12", None),
    ("anon", "get", "/events/?month=0001-01", None),
    ("anon", "get", "/events/?month=2026-13", None),
    ("anon_api", "get", "/api/v1/events/?month=9999-12", None),
    ("member_api", "get", "/api/v1/availability/?site={site}&date=9999-12-31", None),
    ("member_api", "get", "/api/v1/availability/?site={site}&date=0001-01-01", None),
    # the booking API and the booking form: out of range, or without a time zone
    ("member_api", "post", "/api/v1/bookings/", {"resource": "{desk}", "start": "9999-12-31T09:00:00+01:00",
                                                 "end": "9999-12-31T13:00:00+01:00"}),
    ("member_api", "post", "/api/v1/bookings/", {"resource": "{desk}", "start": "0001-01-01T09:00:00+01:00",
                                                 "end": "0001-01-01T13:00:00+01:00"}),
    ("member_api", "post", "/api/v1/bookings/", {"resource": "{desk}", "start": iso(tz=""), "end": iso(hour=13, tz="")}),
    ("member_api", "patch", "/api/v1/bookings/{booking}/", {"start": iso(tz=""), "end": iso(hour=13, tz="")}),
    ("member_api", "patch", "/api/v1/bookings/{booking}/", {"start": "9999-12-31T23:00:00-12:00",
                                                            "end": "9999-12-31T23:30:00-12:00"}),
    ("member", "post", "/coworking/book/", {"slot": "{desk}|" + iso(hour=9, tz="") + "|" + iso(hour=13, tz="")}),
    ("member", "post", "/coworking/book/", {"slot": "{desk}|9999-12-31T09:00:00+01:00|9999-12-31T13:00:00+01:00"}),
    ("member", "post", "/coworking/book/", {"resource": "{desk}", "start": "0001-01-01T09:00:00+01:00",
                                            "end": "0001-01-01T13:00:00+01:00"}),
    ("member", "post", "/coworking/recurring/", {"resource": "{room}", "date": "9999-12-25", "start_time": "10:00",
                                                 "end_time": "11:00", "weeks": "4"}),
    ("member", "post", "/coworking/bookings/{booking}/move/", {"date": "9999-12-31", "slot": "am"}),
    ("member", "post", "/coworking/bookings/{booking}/move/", {"date": "0001-01-01", "slot": "am"}),
    # the events API
    ("staff_api", "post", "/api/v1/events/", {"title": "Café", "kind": "other", "start": iso(tz=""), "end": iso(hour=12),
                                              "capacity": 10}),
    ("staff_api", "post", "/api/v1/events/", {"title": "Café", "kind": "other", "start": "9999-12-31T10:00:00+01:00",
                                              "end": "9999-12-31T12:00:00+01:00", "capacity": 10}),
    ("staff_api", "post", "/api/v1/events/", {"title": "Café", "kind": "other", "start": iso(), "end": iso(hour=12),
                                              "capacity": 10, "registration_opens_at": iso(day_offset=1, tz="")}),
    ("staff_api", "patch", "/api/v1/events/{event}/", {"start": "0001-01-01T10:00:00+01:00"}),
    ("staff_api", "patch", "/api/v1/events/{event}/", {"registration_closes_at": "9999-12-31T23:59:59+14:00"}),
    # memberships (a start in 9999 broke every later payment of the member)
    ("staff_api", "post", "/api/v1/memberships/", {"member": "{member}", "type": "{individual}", "payment_method": "cash",
                                                   "starts_on": "9999-01-01"}),
    ("staff_api", "post", "/api/v1/memberships/", {"member": "{member}", "type": "{yearly}", "payment_method": "cash",
                                                   "starts_on": "2100-12-01"}),
    ("staff_api", "post", "/api/v1/memberships/", {"member": "{member}", "type": "{individual}", "payment_method": "cash",
                                                   "paid_on": "0001-01-01"}),
    # the Fabrique: a cohort in 9999, sessions and outcomes far from today
    ("staff", "post", "/staff/fabrique/", {"name": "Promo", "year": "9999", "start": "9999-01-01", "end": "9999-06-30",
                                           "capacity": "8"}),
    ("staff", "post", "/staff/fabrique/cohorts/{cohort}/", {"title": "Atelier", "starts_at": "2062-01-01T10:00",
                                                            "ends_at": "2062-01-01T12:00"}),
    ("staff", "post", "/staff/fabrique/cohorts/{cohort}/", {"title": "Atelier", "starts_at": "0001-01-01T10:00",
                                                            "ends_at": "0001-01-01T12:00"}),
    ("staff", "post", "/staff/fabrique/enrolments/{enrolment}/outcome/", {"name": "Le Lieu", "commune": "Poissy",
                                                                         "opened_on": "1990-01-01"}),
    ("staff", "post", "/staff/fabrique/enrolments/{enrolment}/outcome/", {"name": "Le Lieu", "commune": "Poissy",
                                                                         "opened_on": "9999-12-31"}),
]


@pytest.mark.parametrize("who,method,url,data", DATES)
def test_dates_out_of_range_or_without_time_zone_are_a_400(world, who, method, url, data):
    check(world, who, method, url, data, 400)


def test_the_error_names_the_date_field(world):
    response = check(world, "member_api", "post", "/api/v1/bookings/",
                     {"resource": "{desk}", "start": iso(tz=""), "end": iso(hour=13)}, 400)
    assert list(response.json()["errors"]) == ["start"]
    response = check(world, "staff_api", "post", "/api/v1/memberships/",
                     {"member": "{member}", "type": "{individual}", "payment_method": "cash", "starts_on": "9999-01-01"}, 400)
    assert list(response.json()["errors"]) == ["starts_on"]


# --- 3. Database refusals: CHECK → 400 with the field, UNIQUE → 409, lock timeout → 409 ---------


def _database_refusal(create):
    try:
        with transaction.atomic():
            create()
    except (IntegrityError, OperationalError) as error:
        return error
    raise AssertionError("the database accepted it")


CHECK_VIOLATIONS = [
    (lambda w: Plan.objects.create(name="Négatif", kind="day_pass", monthly_price_eur=Decimal("-1")), "monthly_price_eur",
     "Le prix ne peut pas être négatif."),
    (lambda w: MembershipType.objects.create(name="Négatif", kind="individual", amount_eur=Decimal("-5")), "amount_eur",
     "Le montant ne peut pas être négatif."),
    (lambda w: Membership.objects.create(member=w["member"], type=w["individual"], starts_on=datetime.date(9999, 1, 1),
                                         ends_on=datetime.date(9999, 12, 31)), "starts_on", None),
    (lambda w: Membership.objects.create(member=w["member"], type=w["individual"], starts_on=datetime.date(2026, 1, 1),
                                         ends_on=datetime.date(2026, 12, 31), amount_paid=Decimal("-20"),
                                         paid_on=datetime.date(2026, 1, 1)), "amount_paid", None),
    (lambda w: Event.objects.filter(pk=w["event"].pk).update(price="-5 €"), "price", "Le prix ne peut pas être négatif."),
    (lambda w: Event.objects.filter(pk=w["event"].pk).update(registration_opens_at=w["event"].starts_at,
                                                             registration_closes_at=w["event"].starts_at
                                                             - datetime.timedelta(days=3)),
     "registration_opens_at", None),
    (lambda w: Session.objects.create(cohort=w["cohort"], title="Loin", starts_at=datetime.datetime(9999, 1, 1, tzinfo=PARIS),
                                      ends_at=datetime.datetime(9999, 1, 2, tzinfo=PARIS)), "starts_at", None),
    (lambda w: Resource.objects.filter(pk=w["desk"].pk).update(kind="room", assigned_to=w["member"]), "assigned_to", None),
]


@pytest.mark.parametrize("create,field,message", CHECK_VIOLATIONS)
def test_check_violations_are_a_400_naming_the_field_on_pages_and_the_api(world, rf, create, field, message):
    before = snapshot()
    error = _database_refusal(lambda: create(world))
    assert snapshot() == before
    mapped = as_domain_error(error)
    assert isinstance(mapped, InvalidInput) and mapped.field == field
    if message:
        assert str(mapped.message) == message
    api = exception_handler(error, {})
    assert api.status_code == 400 and list(api.data["errors"]) == [field]
    request = rf.get("/staff/")
    request.user = world["staff"]
    request.session, request._messages = {}, []
    page = BadInputMiddleware(lambda r: None).process_exception(request, error)
    assert page.status_code == 400
    assert f"(champ « {mapped.field_label} »)" in page.content.decode()


def test_unique_violations_are_a_409(world, rf):
    error = _database_refusal(lambda: Membership.objects.bulk_create([
        Membership(member=world["member"], type=world["individual"], starts_on=datetime.date(2026, 1, 1),
                   ends_on=datetime.date(2026, 12, 31)) for _ in range(2)]))
    mapped = as_domain_error(error)
    assert isinstance(mapped, ConflictError) and mapped.status_code == 409 and mapped.field == "member"
    assert exception_handler(error, {}).status_code == 409


def test_swapping_two_months_of_the_curriculum_is_a_409_and_changes_nothing(world):
    modules = list(world["cohort"].modules.order_by("month"))
    data = {"form-TOTAL_FORMS": str(len(modules)), "form-INITIAL_FORMS": str(len(modules)), "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "12"}
    for index, module in enumerate(modules):
        month = {1: 2, 2: 1}.get(module.month, module.month)
        data.update({f"form-{index}-id": str(module.pk), f"form-{index}-month": str(month),
                     f"form-{index}-title": module.title + " (modifié)", f"form-{index}-deliverable_kind": module.deliverable_kind,
                     f"form-{index}-deliverable_title": module.deliverable_title})
    response = check(world, "staff", "post", "/staff/fabrique/cohorts/{cohort}/curriculum/", data, 409)
    assert "Ce mois a déjà un module." in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["member", "member_api"])
def test_a_lock_timeout_is_a_409_busy_page_and_nothing_is_written(who):
    from django.db import connections

    member = UserFactory()
    event = EventFactory(capacity=5)
    world = {"member": member, "event": event}
    locked, release = threading.Event(), threading.Event()

    def hold_the_event_lock():
        with transaction.atomic():
            Event.objects.select_for_update().get(pk=event.pk)
            locked.set()
            release.wait(timeout=30)
        connections.close_all()

    holder = threading.Thread(target=hold_the_event_lock)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '50ms'")  # this thread's connection serves the test client
        url = f"/api/v1/events/{event.pk}/registrations/" if who.endswith("_api") else f"/events/{event.pk}/"
        response = send(world, who, "post", url, {})
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = DEFAULT")
    assert response.status_code == 409
    if who.endswith("_api"):
        assert response.json()["code"] == "busy"
    else:
        assert "Occupé pour le moment : réessayez" in response.content.decode()
    assert Registration.objects.count() == 0


# --- 4. Not allowed is a 403 with the reason, not a 400 ---------------------------------------

NOT_ALLOWED = [
    # the holder reviewing their own submission (page and API)
    ("holder", "post", "/fabrique/submissions/{submission}/review/", {"decision": "validated", "feedback": "Parfait"}),
    ("holder_api", "post", "/api/v1/fabrique/submissions/{submission}/review/", {"decision": "validated", "feedback": "Bien"}),
    # a resident's fixed desk booked by someone else (page and API)
    ("member_api", "post", "/api/v1/bookings/", {"resource": "{fixed}", "start": iso(hour=9), "end": iso(hour=13)}),
    ("member", "post", "/coworking/book/", {"resource": "{fixed}", "start": iso(hour=9), "end": iso(hour=13)}),
    ("member_api", "patch", "/api/v1/bookings/{booking}/", {"resource": "{fixed}", "start": iso(hour=9), "end": iso(hour=13)}),
]


@pytest.mark.parametrize("who,method,url,data", NOT_ALLOWED)
def test_not_allowed_is_a_403_with_the_reason(world, who, method, url, data):
    world = dict(world, holder_api=world["holder"])
    response = check(world, who, method, url, data, 403)
    if who.endswith("_api"):
        assert response.json()["detail"].startswith(("Seul", "Ce bureau fixe"))


def test_changing_roles_without_being_an_administrator_is_refused_as_not_allowed(world):
    from django.core.exceptions import PermissionDenied

    from members.services import member_set_staff

    before = snapshot()
    with pytest.raises(PermissionDenied):  # 403 on pages and in the API
        member_set_staff(user=world["member"], is_staff=True, by=world["staff"])
    assert snapshot() == before


# --- 5 and 6. Bad filter values, non-ASCII digits where an integer is expected --------------

BAD_FILTERS = [
    ("staff", "get", "/staff/members/?type=abc", None),
    ("staff", "get", "/staff/members/?type=٣", None),
    ("staff", "get", "/staff/members/?type=²", None),
    ("staff", "get", "/staff/members/?status=zzz", None),
    ("staff", "get", "/staff/members/?order=zzz", None),
    ("staff", "get", "/staff/members/?page=abc", None),
    ("staff", "get", "/staff/members/?page=٣", None),
    ("staff", "get", "/staff/members/?page=0", None),
    ("staff", "get", "/staff/members/?page=-1", None),
    ("staff", "get", "/staff/members/?page=²", None),
    ("staff", "get", "/staff/members/export.csv?type=abc", None),
    ("staff", "get", "/staff/members/export.xlsx?joined_from=yesterday", None),
    ("member", "get", "/coworking/bookings/?page=abc", None),
    ("member", "get", "/coworking/bookings/?page=٣", None),
    ("member", "get", "/coworking/bookings/?page=99999999999999999999", None),
    ("member", "get", "/coworking/?kind=abc", None),
    ("anon", "get", "/events/?kind=abc", None),
    ("staff_api", "get", "/api/v1/members/?type=abc", None),
    ("staff_api", "get", "/api/v1/members/?type=٣", None),
    ("staff_api", "get", "/api/v1/members/?status=zzz", None),
    ("staff_api", "get", "/api/v1/bookings/?status=zzz", None),
    ("staff_api", "get", "/api/v1/bookings/?resource=٣", None),
    ("staff_api", "get", "/api/v1/bookings/?resource=abc", None),
    ("staff_api", "get", "/api/v1/bookings/?member=²", None),
    ("member_api", "get", "/api/v1/resources/?site=abc", None),
    ("member_api", "get", "/api/v1/resources/?site=٣", None),
    ("member_api", "get", "/api/v1/resources/?kind=zzz", None),
    ("member_api", "get", "/api/v1/availability/?site=²&date=" + NEXT_WEEK, None),
    ("member_api", "get", "/api/v1/availability/?site=٣&date=" + NEXT_WEEK, None),
    ("anon_api", "get", "/api/v1/events/?kind=zzz", None),
    ("anon_api", "get", "/api/v1/events/?month=abc", None),
    ("staff_api", "get", "/api/v1/memberships/?member=abc", None),
    ("staff_api", "get", "/api/v1/memberships/?type=٣", None),
    # non-ASCII digits in bodies
    ("member_api", "post", "/api/v1/bookings/", {"resource": "٣", "start": iso(hour=9), "end": iso(hour=13)}),
    ("member_api", "post", "/api/v1/bookings/", {"resource": "²", "start": iso(hour=9), "end": iso(hour=13)}),
    ("staff_api", "post", "/api/v1/events/", {"title": "Café", "kind": "other", "start": iso(), "end": iso(hour=12),
                                              "capacity": "١٠"}),
    ("staff", "post", "/staff/fabrique/applications/{application}/", {"score": "٣"}),
    ("staff", "post", "/staff/fabrique/applications/{application}/", {"score": "²"}),
    ("staff", "post", "/staff/fabrique/applications/{application}/", {"status": "selected", "coach": "²"}),
    ("member", "post", "/coworking/recurring/", {"resource": "{room}", "date": NEXT_WEEK, "start_time": "10:00",
                                                 "end_time": "11:00", "weeks": "٤"}),
    ("staff", "post", "/staff/fabrique/", {"name": "Promo", "year": "٢٠٣١", "start": "2031-01-01", "end": "2031-06-30",
                                           "capacity": "8"}),
]


@pytest.mark.parametrize("who,method,url,data", BAD_FILTERS)
def test_bad_filter_values_and_non_ascii_digits_are_a_400(world, who, method, url, data):
    check(world, who, method, url, data, 400)


def test_a_bad_filter_shows_the_list_with_the_error_on_its_field(world):
    response = check(world, "staff", "get", "/staff/members/?type=abc", None, 400)
    assert "Saisissez un nombre entier, écrit avec les chiffres 0 à 9." in response.content.decode()


# --- 7. Formsets posted with extra forms --------------------------------------------------------


def _curriculum(world, *, total=None, extra=()):
    modules = list(world["cohort"].modules.order_by("month"))
    data = {"form-TOTAL_FORMS": str(total if total is not None else len(modules) + len(extra)),
            "form-INITIAL_FORMS": str(len(modules)), "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "12"}
    for index, module in enumerate(modules):
        data.update({f"form-{index}-id": str(module.pk), f"form-{index}-month": str(module.month),
                     f"form-{index}-title": module.title, f"form-{index}-deliverable_kind": module.deliverable_kind,
                     f"form-{index}-deliverable_title": module.deliverable_title})
    for offset, month in enumerate(extra):
        index = len(modules) + offset
        data.update({f"form-{index}-month": str(month), f"form-{index}-title": f"Mois {month}"})
    return data


FORMSETS = [
    {"extra": [7]},
    {"extra": [7, 8]},
    {"extra": range(7, 13)},
    {"extra": range(7, 20)},
    {"total": 1000, "extra": [7]},
    {"total": 13},
]


@pytest.mark.parametrize("shape", FORMSETS)
def test_formsets_posted_with_extra_forms_are_a_400(world, shape):
    check(world, "staff", "post", "/staff/fabrique/cohorts/{cohort}/curriculum/", _curriculum(world, **shape), 400)


def test_a_formset_without_its_management_form_is_a_400(world):
    check(world, "staff", "post", "/staff/fabrique/cohorts/{cohort}/curriculum/", {"form-0-title": "x"}, 400)


# --- 8. CSV cells over the csv module's field limit, and other unreadable files -------------


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("membres.csv", content, content_type="text/csv")}


CSV_FILES = [
    b"email;nom\nmarie@example.org;" + b"x" * 200_000 + b"\n",
    b"email;nom\n" + b"a" * 140_000 + b"@example.org;Martin\n",
    b"email;" + b"n" * 150_000 + b"\nmarie@example.org;Martin\n",
    b"email;nom\nmarie@example.org;\"" + b"y" * 135_000 + b"\"\n",
]


@pytest.mark.parametrize("content", CSV_FILES, ids=["long-cell", "long-email", "long-header", "long-quoted"])
def test_unreadable_csv_files_are_a_400_with_a_clear_error(world, content):
    response = check(world, "staff", "post", "/staff/members/import/", _upload(content), 400)
    assert "export" in response.content.decode().lower()


# --- 9. NaN, Infinity, huge and negative amounts ---------------------------------------------

AMOUNTS = ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e999", "-5", "-0.01", "123456789", "1000000.00",
           "12.345", "٣٠", "20 euros", "0x10"]


@pytest.mark.parametrize("amount", AMOUNTS)
def test_bad_amounts_are_a_400_in_the_api(world, amount):
    check(world, "staff_api", "post", "/api/v1/memberships/",
          {"member": "{member}", "type": "{individual}", "payment_method": "cash", "amount_paid": amount}, 400)


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e999", "-5", "123456789", "٣٠", "sNaN"])
def test_bad_amounts_in_the_import_reject_their_line_and_nothing_is_written(world, amount):
    from members.importer import import_apply, import_plan
    from quai.errors import DomainError

    data = f"email;nom;montant;date\nnouveau@example.org;Martin;{amount};15/01/2026\n".encode()
    plan = import_plan(data)
    assert [line.action for line in plan.lines] == ["reject"]
    before = snapshot()
    with pytest.raises(DomainError):
        import_apply(data, by=world["staff"])
    assert snapshot() == before


@pytest.mark.parametrize("cell", ["Mar\x00tin", "Mar\x07tin", "Martin\x1b[0m"])
def test_import_cells_with_control_characters_reject_their_line(world, cell):
    from members.importer import import_plan

    plan = import_plan(f"email;nom\nnouveau@example.org;{cell}\n".encode())
    assert [line.action for line in plan.lines] == ["reject"]


@pytest.mark.parametrize("paid_on", ["01/01/0001", "31/12/9999", "01/01/1999", "2101-01-01"])
def test_import_dates_out_of_range_reject_their_line(world, paid_on):
    from members.importer import import_plan

    plan = import_plan(f"email;nom;date\nnouveau@example.org;Martin;{paid_on}\n".encode())
    assert [line.action for line in plan.lines] == ["reject"]


# --- 10. Values stored until now that are refused -----------------------------------------------

REFUSED_VALUES = [
    ("staff_api", "post", "/api/v1/events/", {"title": "Café", "kind": "other", "start": iso(day_offset=9), "end": iso(day_offset=9, hour=12),
                                              "capacity": 10, "registration_opens_at": iso(day_offset=3),
                                              "registration_closes_at": iso(day_offset=2)}, "registration_closes_at"),
    ("staff_api", "patch", "/api/v1/events/{event}/", {"registration_opens_at": iso(day_offset=2),
                                                       "registration_closes_at": iso(day_offset=1)}, "registration_closes_at"),
    ("staff_api", "patch", "/api/v1/events/{event}/", {"registration_opens_at": iso(day_offset=2),
                                                       "registration_closes_at": iso(day_offset=2)}, "registration_closes_at"),
    ("staff_api", "post", "/api/v1/events/", {"title": "Café", "kind": "other", "start": iso(), "end": iso(hour=12),
                                              "capacity": 10, "price": "-5 €"}, "price"),
    ("staff_api", "patch", "/api/v1/events/{event}/", {"price": " - 12"}, "price"),
    ("staff_api", "patch", "/api/v1/events/{event}/", {"capacity": -3}, "capacity"),
    ("staff_api", "post", "/api/v1/memberships/", {"member": "{member}", "type": "{individual}", "payment_method": "cash",
                                                   "amount_paid": "-20"}, "amount_paid"),
]


@pytest.mark.parametrize("who,method,url,data,field", REFUSED_VALUES)
def test_values_that_used_to_be_stored_are_refused_with_the_field(world, who, method, url, data, field):
    response = check(world, who, method, url, data, 400)
    assert list(response.json()["errors"]) == [field]


def test_a_free_text_price_is_still_accepted(world):
    response = send(world, "staff_api", "patch", "/api/v1/events/{event}/", {"price": "Prix libre (5 € conseillés)"})
    assert response.status_code == 200
    assert Event.objects.get(pk=world["event"].pk).price == "Prix libre (5 € conseillés)"


def test_renewing_after_a_membership_ending_in_2100_is_refused_not_a_crash(world):
    from members.services import membership_record_payment

    Membership.objects.create(member=world["member"], type=world["individual"], starts_on=datetime.date(2100, 1, 1),
                              ends_on=datetime.date(2100, 12, 31), amount_paid=Decimal("20"), paid_on=datetime.date(2026, 1, 1),
                              payment_method="cash")
    before = snapshot()
    with pytest.raises(InvalidInput) as refused:
        membership_record_payment(member=world["member"], type=world["individual"], by=world["staff"], method="cash")
    assert refused.value.field == "starts_on"
    assert snapshot() == before
    response = check(world, "staff", "post", f"/staff/members/{world['member'].pk}/payment/",
                     {"type": world["individual"].pk, "payment_method": "cash"}, 400)
    assert "Cette adhésion commencerait ou finirait en dehors des années gérées par la plateforme" in response.content.decode()


@pytest.mark.parametrize("params,field", [
    ({"resource": "٣"}, "resource"), ({"resource": "abc"}, "resource"), ({"status": "zzz"}, "status"),
    ({"member": "²"}, "member"), ({"label": "a\x1bb"}, "label"),
])
def test_the_filterset_base_refuses_a_bad_value_instead_of_ignoring_it(world, params, field):
    from coworking.models import Booking
    from quai.inputs import FilterSet

    class BookingFilter(FilterSet):
        class Meta:
            model = Booking
            fields = ["resource", "status", "member", "label"]

    with pytest.raises(InvalidInput) as refused:
        BookingFilter(params, queryset=Booking.objects.all()).validated_qs()
    assert refused.value.field == field and refused.value.status_code == 400
    assert list(BookingFilter({"resource": str(world["desk"].pk)}, queryset=Booking.objects.all()).validated_qs()) == [world["booking"]]
