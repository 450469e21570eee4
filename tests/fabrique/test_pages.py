"""The Fabrique pages: holder, coach and staff; their queries stay constant as data grows."""

import datetime

import pytest
from django.urls import reverse

from fabrique import selectors, services
from fabrique.models import Attendance, Submission
from tests.fabrique.factories import make_cohort, make_sessions, pdf
from tests.fabrique.helpers import deliverable_of, count_queries, grow

pytestmark = pytest.mark.django_db


def test_holder_dashboard_and_deliverable_pages(client, enrolment, member, coach):
    make_sessions(enrolment.cohort, n=2)
    client.force_login(member)
    html = client.get(reverse("fabrique:home")).content.decode()
    assert f'href="{reverse("fabrique:home")}"' in client.get("/").content.decode()  # nav link for holders
    assert "<progress" in html and "Tiers-lieu de Chatou" in html
    deliverable = deliverable_of(enrolment, "business_plan")
    response = client.post(reverse("fabrique:deliverable", args=[deliverable.pk]), {"file": pdf("mon plan.pdf")})
    assert response.status_code == 302
    html = client.get(reverse("fabrique:deliverable", args=[deliverable.pk])).content.decode()
    assert "mon plan.pdf" in html and "Soumis" in html
    client.force_login(coach)
    html = client.get(reverse("fabrique:coach")).content.decode()
    assert deliverable.title in html
    submission = Submission.objects.get()
    response = client.post(reverse("fabrique:review", args=[submission.pk]), {"decision": "validated", "feedback": "Bravo"})
    assert response.status_code == 302
    assert reverse("fabrique:coach") in client.get("/").content.decode()


def test_certificate_only_once_graduated(client, enrolment, member):
    client.force_login(member)
    assert client.get(reverse("fabrique:certificate", args=[enrolment.pk])).status_code == 404
    enrolment.graduated_at = datetime.date(2026, 6, 10)
    enrolment.save()
    assert "10 juin 2026" in client.get(reverse("fabrique:certificate", args=[enrolment.pk])).content.decode()


def test_coach_takes_attendance_through_the_page(client, enrolment, coach, other_member):
    session = make_sessions(enrolment.cohort, n=1)[0]
    client.force_login(other_member)
    assert client.get(reverse("fabrique:attendance", args=[session.pk])).status_code == 404
    client.force_login(coach)
    assert client.get(reverse("fabrique:attendance", args=[session.pk])).status_code == 200
    response = client.post(reverse("fabrique:attendance", args=[session.pk]), {f"e-{enrolment.pk}": "present"}, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert [str(m) for m in response.context["messages"]] == ["Présences enregistrées (1 porteur)."]
    assert Attendance.objects.get().status == "present"


def test_application_selection_enrols_with_coach(client, staff, member, coach):
    cohort = make_cohort(staff, year=2027)
    cohort.applications_open = True
    cohort.save()
    client.force_login(member)
    response = client.post(reverse("fabrique:apply", args=[cohort.pk]), {
        "commune": "Poissy", "territory": "Boucle de Seine", "project": "Un tiers-lieu nourricier",
        "stage": "idea", "motivation": "Créer du lien"})
    assert response.status_code == 302
    application = cohort.applications.get()
    services.application_score(application=application, by=staff, score=4)
    enrolment = services.application_decide(application=application, by=staff, status="selected", coach=coach)
    assert enrolment.holder == member and enrolment.coach == coach and enrolment.deliverables.count() == 6


def test_staff_pages(client, staff, enrolment):
    client.force_login(staff)
    assert client.get(reverse("fabrique:staff_cohorts")).status_code == 200
    assert client.get(reverse("fabrique:staff_cohort", args=[enrolment.cohort_id])).status_code == 200
    assert client.get(reverse("fabrique:staff_outcome", args=[enrolment.pk])).status_code == 200
    response = client.post(reverse("fabrique:staff_outcome", args=[enrolment.pk]),
                           {"name": "La Grange", "commune": "Chatou", "opened_on": "2026-10-01"})
    assert response.status_code == 302
    assert selectors.fab3_tiers_lieux_opened(end=datetime.date(2027, 1, 1)) == 1


def test_other_pages_render(client, staff, member, other_member, enrolment):
    from fabrique.models import Application

    cohort = enrolment.cohort
    cohort.applications_open = True
    cohort.save()
    client.force_login(other_member)
    assert f'href="{reverse("fabrique:home")}"' not in client.get("/").content.decode()  # not a holder: no link
    html = client.get(reverse("fabrique:home")).content.decode()
    assert reverse("fabrique:apply", args=[cohort.pk]) in html
    assert client.get(reverse("fabrique:apply", args=[cohort.pk])).status_code == 200
    assert client.get(reverse("fabrique:coach")).status_code == 404
    application = services.application_submit(cohort=cohort, holder=other_member, commune="Poissy", project="Un lieu",
                                              motivation="Oui", stage="idea")
    client.force_login(staff)
    assert client.get(reverse("fabrique:staff_application", args=[application.pk])).status_code == 200
    response = client.post(reverse("fabrique:staff_application", args=[application.pk]), {"score": "7"})
    assert response.status_code == 400
    client.post(reverse("fabrique:staff_application", args=[application.pk]), {"score": "4", "comment": "Solide"})
    client.post(reverse("fabrique:staff_application", args=[application.pk]), {"status": "waitlisted"})
    assert Application.objects.get().status == "waitlisted"
    assert client.get(reverse("fabrique:coach")).status_code == 200  # staff see all
    client.force_login(member)
    assert client.get(reverse("fabrique:staff_cohorts")).status_code == 403


def test_holder_and_coach_dashboards_keep_a_constant_number_of_queries(client, cohort, enrolment, member, coach):
    from tests.factories import UserFactory

    client.force_login(member)
    grow(enrolment, member, coach, 2)
    holder_few = count_queries(client, reverse("fabrique:home"))
    # the logged-in user, the navigation's conditional links (one EXISTS query), then the page's:
    # enrolment, deliverables, the latest review, sessions, attendance (the session is in the cache)
    assert holder_few == 7
    grow(enrolment, member, coach, 10)
    assert count_queries(client, reverse("fabrique:home")) == holder_few

    client.force_login(coach)
    coach_few = count_queries(client, reverse("fabrique:coach"))
    # the logged-in user, the navigation's conditional links, then the page's: review queue,
    # enrolments with their progress counted in SQL (no deliverables loaded), sessions
    assert coach_few == 5
    for i in range(4):
        holder = UserFactory()
        more = services.enrol(cohort=cohort, holder=holder, coach=coach, project_name=f"Projet {i}")
        grow(more, holder, coach, 1)
    assert count_queries(client, reverse("fabrique:coach")) == coach_few


def test_coach_table_rows_markup_progress_and_escaping(client, cohort, enrolment, coach):
    from tests.factories import UserFactory

    other = services.enrol(cohort=cohort, holder=UserFactory(first_name="<b>Léa</b>", last_name="& Co"), coach=coach,
                           project_name="Café <i>des</i> possibles")
    type(other).objects.filter(pk=other.pk).update(graduated_at=datetime.date(2026, 6, 30))
    client.force_login(coach)
    html = client.get(reverse("fabrique:coach")).content.decode()
    body = " ".join(html[html.index("<tbody>", html.index('id="holders-title"')):].split("</tbody>")[0].split())
    cohort_name = str(cohort)
    assert body == (
        f'<tbody> <tr><td data-label="Porteur"><a href="{reverse("fabrique:enrolment", args=[other.pk])}">'
        '&lt;b&gt;Léa&lt;/b&gt; &amp; Co</a> — Café &lt;i&gt;des&lt;/i&gt; possibles</td> '
        f'<td data-label="Promotion">{cohort_name}</td> '
        '<td data-label="Progression"><span class="badge badge-ok">Diplômé·e</span></td> '
        '<td data-label="Présences">0 %</td></tr> '
        f'<tr><td data-label="Porteur"><a href="{reverse("fabrique:enrolment", args=[enrolment.pk])}">'
        f'{enrolment.holder.get_full_name()}</a> — Tiers-lieu de Chatou</td> '
        f'<td data-label="Promotion">{cohort_name}</td> '
        '<td data-label="Progression">0 condition remplie sur 3</td> '
        '<td data-label="Présences">0 %</td></tr>'
    )


def test_the_staff_homes_waiting_submissions_card_leads_to_the_queue_that_lists_them(client, enrolment, member, staff):
    """The staff home counts submissions waiting for review; its link opens the review queue,
    which shows staff every coach's (not the cohorts' list, where none of them is)."""
    import re

    deliverable = deliverable_of(enrolment, "business_plan")
    client.force_login(member)
    client.post(reverse("fabrique:deliverable", args=[deliverable.pk]), {"file": pdf("mon plan.pdf")})
    client.force_login(staff)
    home = re.sub(r"\s+", " ", client.get(reverse("staff_home")).content.decode())  # also records the second factor
    assert (f'<a href="{reverse("fabrique:coach")}" class="card-link"> <span class="card-label">Rendus en attente de relecture</span> '
            '<span class="card-value">1</span>') in home
    queue = client.get(reverse("fabrique:coach")).content.decode()
    assert deliverable.title in queue and enrolment.holder.last_name in queue
