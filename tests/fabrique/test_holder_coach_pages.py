"""Issue 14 — what holders and coaches see: attendance over sessions held, the next deadline,
sessions with times, place and a .ics file, the coach's queue by due date, graduates."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from fabrique import selectors, services
from fabrique.models import Deliverable, Session
from tests.factories import UserFactory
from tests.fabrique.factories import pdf

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _past_and_future_sessions(cohort, *, past=6, future=6):
    now = timezone.now()
    weeks = [i - past if i < past else i - past + 1 for i in range(past + future)]  # none starts right now
    return Session.objects.bulk_create(
        Session(cohort=cohort, title=f"Atelier {i + 1}", location="Le Quai des possibles, salle Seine",
                starts_at=now + datetime.timedelta(weeks=week), ends_at=now + datetime.timedelta(weeks=week, hours=3))
        for i, week in enumerate(weeks)
    )


# --- 1. attendance over sessions held ----------------------------------------------------------

def test_six_present_of_six_held_is_100_percent_whatever_is_planned_after(enrolment, coach, client, member):
    sessions = _past_and_future_sessions(enrolment.cohort)
    for session in sessions[:6]:
        services.attendance_record(session=session, by=coach, statuses={enrolment.pk: "present"})
    progress = selectors.progress_for(enrolment)
    assert (progress["present"], progress["held"], progress["planned"]) == (6, 6, 12)
    assert progress["attendance_rate"] == 100 and progress["attendance_ok"] is True
    # the three ways of computing progress agree
    assert selectors.holder_dashboard(enrolment)["progress"]["attendance_rate"] == 100
    [listed] = selectors.enrolments_with_progress(type(enrolment).objects.filter(pk=enrolment.pk))
    assert (listed.progress["held"], listed.progress["attendance_rate"], listed.progress["planned"]) == (6, 100, 12)
    assert selectors.fab4_attendance(cohort=enrolment.cohort)[0]["expected"] == 6
    client.force_login(member)
    html = client.get(reverse("fabrique:home")).content.decode()
    assert "Assiduité 100\u00a0% (au moins 75\u00a0%)\u00a0: 6\u00a0/\u00a06 séances tenues" in html


def test_a_held_session_missed_counts_and_a_future_one_does_not(enrolment, coach):
    sessions = _past_and_future_sessions(enrolment.cohort, past=4, future=2)
    for session in sessions[:3]:
        services.attendance_record(session=session, by=coach, statuses={enrolment.pk: "present"})
    # the 4th has started, nobody took attendance: it is held, the holder was not there
    progress = selectors.progress_for(enrolment)
    assert (progress["present"], progress["held"], progress["attendance_rate"]) == (3, 4, 75)
    # attendance taken ahead for a future session makes it count as held
    services.attendance_record(session=sessions[4], by=coach, statuses={enrolment.pk: "absent"})
    progress = selectors.progress_for(enrolment)
    assert (progress["present"], progress["held"], progress["attendance_rate"]) == (3, 5, 60)
    assert progress["attendance_ok"] is False


def test_no_session_held_yet_is_zero_of_zero(enrolment, client, member):
    _past_and_future_sessions(enrolment.cohort, past=0, future=3)
    progress = selectors.progress_for(enrolment)
    assert (progress["held"], progress["planned"], progress["attendance_rate"]) == (0, 3, 0)
    client.force_login(member)
    assert "0\u00a0/\u00a00 séances tenues" in client.get(reverse("fabrique:home")).content.decode()


# --- 2. next deadline --------------------------------------------------------------------------

def test_next_deadline_is_the_next_deliverable_not_yet_submitted(enrolment, member, coach, client):
    ordered = list(enrolment.deliverables.order_by("due_on"))
    first, second, third = ordered[0], ordered[1], ordered[2]
    assert selectors.holder_dashboard(enrolment)["due_next"] == first
    services.submission_create(deliverable=first, by=member, text="Diagnostic")  # waiting for review
    assert selectors.holder_dashboard(enrolment)["due_next"] == second
    Deliverable.objects.filter(pk=second.pk).update(status="validated", validated_on=datetime.date(2026, 3, 1))
    assert selectors.holder_dashboard(enrolment)["due_next"] == third
    # changes requested on the first: it is due again, and comes first
    services.submission_review(submission=first.submissions.get(), by=coach, decision="changes_requested", feedback="À revoir")
    assert selectors.holder_dashboard(enrolment)["due_next"] == first
    client.force_login(member)
    html = client.get(reverse("fabrique:home")).content.decode()
    due_section = html[html.index('id="due-title"'):html.index('id="feedback-title"')]
    assert first.title in due_section and "Modifications demandées" in due_section
    Deliverable.objects.filter(enrolment=enrolment).update(status="submitted")
    assert selectors.holder_dashboard(enrolment)["due_next"] is None


def test_latest_feedback_is_the_most_recent_review_of_any_deliverable(enrolment, member, coach, client):
    from fabrique.models import Review

    client.force_login(member)
    html = client.get(reverse("fabrique:home")).content.decode()
    assert "Pas encore de retour." in html[html.index('id="feedback-title"'):]
    first, second = list(enrolment.deliverables.order_by("due_on"))[:2]
    for deliverable, feedback in ((second, "Précisez le budget"), (first, "Ajoutez les publics")):
        submission = services.submission_create(deliverable=deliverable, by=member, text="Version")
        services.submission_review(submission=submission, by=coach, decision="changes_requested", feedback=feedback)
    again = services.submission_create(deliverable=second, by=member, text="Version 2")
    services.submission_review(submission=again, by=coach, decision="validated", feedback="Validé")
    Review.objects.filter(submission__deliverable=first).update(reviewed_at=timezone.now() + datetime.timedelta(hours=1))
    assert selectors.holder_dashboard(enrolment)["latest_feedback"] == (first, Review.objects.get(submission__deliverable=first))
    html = client.get(reverse("fabrique:home")).content.decode()
    feedback = html[html.index('id="feedback-title"'):html.index("</section>", html.index('id="feedback-title"'))]
    assert first.title in feedback and "Ajoutez les publics" in feedback and "Validé" not in feedback


# --- 3. sessions with times, place and .ics ------------------------------------------------------

def _session_at(cohort, local_start, hours=3, **kwargs):
    start = local_start.replace(tzinfo=PARIS)
    return Session.objects.create(cohort=cohort, title="Atelier gouvernance", starts_at=start,
                                  ends_at=start + datetime.timedelta(hours=hours), **kwargs)


def test_dashboard_shows_next_sessions_with_times_place_and_ics_link(enrolment, member, client):
    start = timezone.localtime() + datetime.timedelta(days=3)
    session = _session_at(enrolment.cohort, start.replace(hour=14, minute=0, second=0, microsecond=0, tzinfo=None),
                          location="Le Quai des possibles, salle Seine")
    client.force_login(member)
    html = client.get(reverse("fabrique:home")).content.decode()
    section = html[html.index('id="sessions-title"'):html.index('id="deliverables-title"')]
    assert "14:00–17:00" in section and "Le Quai des possibles, salle Seine" in section
    assert f'href="{reverse("fabrique:session_ics", args=[session.pk])}"' in section


def test_session_ics_parses_with_a_stable_uid_and_paris_time(enrolment, member, client, settings):
    session = _session_at(enrolment.cohort, datetime.datetime(2026, 7, 2, 9, 30), location="Salle Seine")
    client.force_login(member)
    url = reverse("fabrique:session_ics", args=[session.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="fabrique-session-{session.pk}.ics"'
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == f"fabrique-session-{session.pk}@{settings.QUAI_ICAL_DOMAIN}"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == datetime.datetime(2026, 7, 2, 9, 30, tzinfo=PARIS)
    assert event.decoded("DTEND") == datetime.datetime(2026, 7, 2, 12, 30, tzinfo=PARIS)
    assert str(event["LOCATION"]) == "Salle Seine"
    assert "Atelier gouvernance" in str(event["SUMMARY"])
    again = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert str(again["UID"]) == str(event["UID"])  # same session, same UID: calendars update it


def test_session_ics_is_for_its_holders_coach_and_staff_only(enrolment, other_enrolment, member, other_member, coach,
                                                           staff, client, cohort):
    collective = _session_at(cohort, datetime.datetime(2026, 7, 2, 9, 30))
    own = Session.objects.create(cohort=cohort, kind="one_to_one", enrolment=other_enrolment, title="Point",
                                 starts_at=collective.starts_at, ends_at=collective.ends_at)
    stranger = UserFactory()
    for user, session, status in [(member, collective, 200), (member, own, 404), (other_member, own, 200),
                                  (coach, collective, 200), (coach, own, 404), (staff, own, 200),
                                  (stranger, collective, 404)]:
        client.force_login(user)
        assert client.get(reverse("fabrique:session_ics", args=[session.pk])).status_code == status, (user, session)
    client.logout()
    assert client.get(reverse("fabrique:session_ics", args=[collective.pk])).status_code == 302


# --- 4. the coach's queue -----------------------------------------------------------------------

def test_coach_queue_is_grouped_by_due_date_with_overdue_flags(enrolment, other_enrolment, member, coach, client):
    other_enrolment.coach = coach
    other_enrolment.save()
    diag = enrolment.deliverables.get(kind="diagnostic")
    vp = enrolment.deliverables.get(kind="value_proposition")
    other_diag = other_enrolment.deliverables.get(kind="diagnostic")
    for d in (vp, diag, other_diag):
        services.submission_create(deliverable=d, by=d.enrolment.holder, text="Texte")
    groups = selectors.coach_queue_by_due_date(coach, today=vp.due_on)
    assert [(g["due_on"], g["overdue"], [s.deliverable for s in g["submissions"]]) for g in groups] == [
        (diag.due_on, True, [diag, other_diag]),
        (vp.due_on, False, [vp]),
    ]
    client.force_login(coach)
    html = client.get(reverse("fabrique:coach")).content.decode()
    queue = html[html.index('id="queue-title"'):html.index('id="holders-title"')]
    assert queue.count("En retard") == (1 if diag.due_on < timezone.localdate() else 0) + (
        1 if vp.due_on < timezone.localdate() else 0)
    assert queue.index(diag.title) < queue.index(vp.title)


def test_review_page_shows_the_submission_before_the_form_then_the_next_in_queue(enrolment, other_enrolment, member,
                                                                                 coach, client):
    other_enrolment.coach = coach
    other_enrolment.save()
    diag = enrolment.deliverables.get(kind="diagnostic")
    vp = other_enrolment.deliverables.get(kind="value_proposition")
    services.submission_create(deliverable=diag, by=member, text="Notre diagnostic du quartier", upload=pdf("diag.pdf"))
    services.submission_create(deliverable=vp, by=other_enrolment.holder, text="Proposition")
    client.force_login(coach)
    html = client.get(reverse("fabrique:deliverable", args=[diag.pk])).content.decode()
    review = html[html.index('id="review-title"'):]
    assert review.index("diag.pdf") < review.index("Notre diagnostic du quartier") < review.index("<form")
    submission = diag.submissions.get()
    response = client.post(reverse("fabrique:review", args=[submission.pk]), {"decision": "validated", "feedback": "Bravo"},
                           follow=True)
    html = response.content.decode()
    assert f'href="{reverse("fabrique:deliverable", args=[vp.pk])}"' in html
    assert "Suivant dans la file : " + vp.title in html
    # the last one reviewed: the queue is empty, said so
    response = client.post(reverse("fabrique:review", args=[vp.submissions.get().pk]),
                           {"decision": "validated", "feedback": "Oui"}, follow=True)
    assert "Votre file de relecture est vide." in response.content.decode()


# --- 5. graduates -------------------------------------------------------------------------------

def test_graduates_are_diplome_e_for_the_coach_and_staff(enrolment, coach, staff, client):
    type(enrolment).objects.filter(pk=enrolment.pk).update(graduated_at=datetime.date(2026, 6, 10))
    client.force_login(coach)
    assert '<span class="badge badge-ok">Diplômé·e</span>' in client.get(reverse("fabrique:coach")).content.decode()
    client.force_login(staff)
    html = client.get(reverse("fabrique:staff_cohort", args=[enrolment.cohort_id])).content.decode()
    assert "Diplômé·e 10 juin 2026" in html  # not "10 Jui" (juin or juillet?)
