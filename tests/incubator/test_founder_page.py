"""Issue 14 — the founders' project page: figures the French way, mentoring notes for the team,
and the next session first (date, Paris time, coach, place or video link, .ics)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from incubator import selectors, services
from incubator.models import KpiReport, MentoringSession
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _page(client, user, project):
    client.force_login(user)
    response = client.get(reverse("incubator:project", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _session(project, coach, date, time=None, **kwargs):
    return MentoringSession.objects.create(project=project, coach=coach, date=date, start_time=time, **kwargs)


# --- figures ------------------------------------------------------------------------------------

def test_founder_reads_figures_the_french_way(client, project, member):
    KpiReport.objects.create(project=project, reported_on=datetime.date(2026, 3, 31), fte=Decimal("2.50"),
                             revenue_eur=Decimal("72000.00"), beneficiaries=1250, funding_eur=Decimal("30000.00"))
    KpiReport.objects.create(project=project, reported_on=datetime.date(2025, 12, 31), fte=Decimal("2.00"),
                             revenue_eur=None, beneficiaries=None, funding_eur=Decimal("1500.40"))
    html = _page(client, member, project)
    summary = html[html.index('class="summary-figures"'):html.index("</ul>", html.index('class="summary-figures"'))]
    assert "Emplois<strong>2,5\u00a0ETP</strong>" in summary
    assert "Chiffre d’affaires<strong>72\u00a0000\u00a0€</strong>" in summary
    assert "Bénéficiaires<strong>1\u00a0250</strong>" in summary
    assert "Financements obtenus<strong>30\u00a0000\u00a0€</strong>" in summary
    assert "Dernier relevé\u00a0: 31 mars 2026." in html or "Dernier relevé : 31 mars 2026." in html
    table = html[html.index('id="kpi-table"'):]
    assert '<td data-label="Date">31 mars 2026</td><td data-label="Emplois" class="num">2,5\u00a0ETP</td>' in table
    assert '<td data-label="Date">31 décembre 2025</td><td data-label="Emplois" class="num">2\u00a0ETP</td>' in table
    assert '<td data-label="Chiffre d’affaires" class="num">—</td>' in table  # no figure is not 0
    assert '<td data-label="Financements obtenus" class="num">1\u00a0500\u00a0€</td>' in table
    assert "72000" not in html and "2.5" not in html.replace("2.5.", "")


@pytest.mark.parametrize(("fte", "shown"), [("0.25", "0,25\u00a0ETP"), ("3.00", "3\u00a0ETP"), ("100.00", "100\u00a0ETP"),
                                            ("1250.50", "1\u00a0250,5\u00a0ETP")])
def test_fte_keeps_only_the_decimals_it_has(fte, shown):
    from django.utils import translation

    from incubator.templatetags.incubator_format import fte as fte_filter

    with translation.override("fr"):
        assert fte_filter(Decimal(fte)) == shown


# --- the next session -----------------------------------------------------------------------------

def test_next_session_is_the_earliest_not_over_yet(project, coach):
    now = datetime.datetime(2026, 12, 8, 15, 0, tzinfo=PARIS)
    past = _session(project, coach, datetime.date(2026, 12, 1), datetime.time(10, 0))
    ended_today = _session(project, coach, datetime.date(2026, 12, 8), datetime.time(13, 0), duration_min=60)
    later = _session(project, coach, datetime.date(2026, 12, 20), datetime.time(9, 30))
    soon = _session(project, coach, datetime.date(2026, 12, 10), datetime.time(14, 30))
    sessions = list(project.sessions.all())
    assert selectors.session_next(sessions, now=now) == soon
    # one running now (14:30–15:30) is still the next one: the team may be joining it
    running = _session(project, coach, datetime.date(2026, 12, 8), datetime.time(14, 30), duration_min=60)
    assert selectors.session_next(list(project.sessions.all()), now=now) == running
    # without a time: today's is the record of a session just held; a later one is ahead, after a
    # timed one of the same day
    _session(project, coach, datetime.date(2026, 12, 8), notes="Tenue ce matin")
    running.delete()
    assert selectors.session_next(list(project.sessions.all()), now=now) == soon
    untimed_soon = _session(project, coach, datetime.date(2026, 12, 10))
    assert selectors.session_next(list(project.sessions.all()), now=now) == soon
    soon.delete()
    assert selectors.session_next(list(project.sessions.all()), now=now) == untimed_soon
    assert {past, ended_today, later} <= set(project.sessions.all())
    assert selectors.session_next([past, ended_today], now=now) is None


def test_dashboard_splits_planned_and_past_sessions(project, coach):
    now = datetime.datetime(2026, 12, 8, 15, 0, tzinfo=PARIS)
    past = _session(project, coach, datetime.date(2026, 11, 20), notes="Point sur le prévisionnel")
    first = _session(project, coach, datetime.date(2026, 12, 10), datetime.time(14, 30))
    second = _session(project, coach, datetime.date(2026, 12, 22), datetime.time(9, 0))
    project = selectors.project_get_for_user(coach, project.pk)
    dashboard = selectors.project_dashboard(project, now=now)
    assert (dashboard["next_session"], dashboard["upcoming_sessions"], dashboard["past_sessions"]) == (first, [second], [past])


def test_founder_sees_the_next_session_first_with_time_coach_place_and_ics(client, project, member, coach):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=3)
    _session(project, coach, today - datetime.timedelta(days=30), notes="Clarifier la cible des ateliers.",
             next_actions="Appeler la mairie")
    planned = _session(project, coach, day, datetime.time(14, 30), duration_min=90, location="Le Quai, salle Seine",
                       notes="Préparer le budget 2027")
    html = _page(client, member, project)
    card = html[html.index('id="next-session"'):html.index("</section>", html.index('id="next-session"'))]
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("fr"):
        when = date_format(day, "l j F Y").capitalize()
    assert f"<strong>{when} · 14:30 (heure de Paris)</strong>" in card
    assert "<dt>Durée</dt><dd>90 min</dd>" in card
    assert "<dt>Accompagnateur</dt><dd>Camille Coach</dd>" in card
    assert "<dt>Lieu</dt><dd>Le Quai, salle Seine</dd>" in card
    assert "Préparer le budget 2027" in card
    assert f'href="{reverse("incubator:session_ics", args=[planned.pk])}" download>Ajouter à mon agenda (.ics)</a>' in card
    # the card comes before the figures; the past notes are visible to the team further down
    assert html.index('id="next-session"') < html.index('id="kpi-heading"')
    assert "Clarifier la cible des ateliers." in html and "Appeler la mairie" in html
    assert "Comptes rendus des séances passées" in html


def test_a_video_session_shows_a_join_link(client, project, member, coach):
    _session(project, coach, timezone.localdate() + datetime.timedelta(days=1), datetime.time(9, 0),
             location="https://visio.example.org/quai-recyclerie")
    html = _page(client, member, project)
    assert '<dd><a href="https://visio.example.org/quai-recyclerie" rel="noopener noreferrer">Rejoindre la visio</a></dd>' in html


def test_no_planned_session_says_so(client, project, member, coach):
    _session(project, coach, timezone.localdate() - datetime.timedelta(days=2), datetime.time(9, 0))
    html = _page(client, member, project)
    assert "Aucune séance planifiée pour l’instant." in html
    assert "Planifier la prochaine" not in html  # the founder does not plan sessions
    assert "Planifier la prochaine" in _page(client, coach, project)


def test_coach_plans_the_next_session_with_time_and_place(client, project, coach):
    client.force_login(coach)
    day = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(reverse("incubator:session_create", args=[project.pk]), {
        "date": day.isoformat(), "start_time": "14:30", "duration_min": "60", "location": "  Salle Seine ", "notes": "Budget",
    })
    assert response.status_code == 302
    session = project.sessions.get()
    assert (session.date, session.start_time, session.location, session.coach) == (day, datetime.time(14, 30), "Salle Seine", coach)
    assert session.starts_at == datetime.datetime.combine(day, datetime.time(14, 30), tzinfo=PARIS)


def test_session_api_carries_time_and_place(project, coach):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(coach)
    day = timezone.localdate() + datetime.timedelta(days=5)
    response = api.post(f"/api/v1/incubator/projects/{project.pk}/sessions/",
                        {"date": day.isoformat(), "duration_min": 45, "start_time": "09:15", "location": "Visio"}, format="json")
    assert response.status_code == 201
    assert (response.json()["start_time"], response.json()["location"]) == ("09:15:00", "Visio")


# --- the .ics -------------------------------------------------------------------------------------

def test_session_ics_in_paris_time_with_place(client, project, member, coach):
    session = _session(project, coach, datetime.date(2026, 7, 3), datetime.time(14, 30), duration_min=90,
                       location="Le Quai, salle Seine")
    client.force_login(member)
    response = client.get(reverse("incubator:session_ics", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="mentorat-{session.pk}.ics"'
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert event["dtstart"].dt == datetime.datetime(2026, 7, 3, 14, 30, tzinfo=PARIS)
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event["dtend"].dt == datetime.datetime(2026, 7, 3, 16, 0, tzinfo=PARIS)
    assert str(event["location"]) == "Le Quai, salle Seine"
    assert str(event["uid"]).startswith(f"incubator-session-{session.pk}@")
    assert str(event["summary"]).endswith("— La Recyclerie (Camille Coach)")


def test_session_without_time_is_an_all_day_event(client, project, member, coach):
    session = _session(project, coach, datetime.date(2026, 7, 3))
    client.force_login(member)
    [event] = Calendar.from_ical(client.get(reverse("incubator:session_ics", args=[session.pk])).content).walk("VEVENT")
    assert (event["dtstart"].dt, event["dtend"].dt) == (datetime.date(2026, 7, 3), datetime.date(2026, 7, 4))


def test_session_ics_is_for_the_team_the_coach_and_staff(client, project, other_project, member, other_member, coach, staff):
    session = _session(project, coach, timezone.localdate() + datetime.timedelta(days=2), datetime.time(10, 0))
    url = reverse("incubator:session_ics", args=[session.pk])
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")
    for person, expected in ((other_member, 404), (UserFactory(), 404), (member, 200), (coach, 200), (staff, 200)):
        client.force_login(person)
        assert client.get(url).status_code == expected, person


def test_service_keeps_time_and_place(project, coach):
    session = services.mentoring_session_log(project=project, by=coach, date=timezone.localdate(), duration_min=30,
                                             start_time=datetime.time(8, 0), location="Visio")
    session.refresh_from_db()
    assert (session.start_time, session.location, session.ends_at.time()) == (datetime.time(8, 0), "Visio", datetime.time(8, 30))


def test_milestone_dates_read_in_french(client, project, member):
    from incubator.models import Milestone

    Milestone.objects.create(project=project, title="Premier salarié", due_on=datetime.date(2027, 2, 19))
    Milestone.objects.create(project=project, title="Statuts", due_on=datetime.date(2026, 6, 1), done_on=datetime.date(2026, 6, 3))
    html = _page(client, member, project)
    assert "Premier salarié — échéance 19 février 2027" in html
    assert '<span class="badge badge-ok">réalisé</span> 3 juin 2026' in html
