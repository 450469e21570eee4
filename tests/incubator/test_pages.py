"""Incubator pages: apply, review and decide, the team dashboard, the staff pipeline; others' → 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from incubator.models import Application, KpiReport, MentoringSession, Milestone, Project, Review
from quai.models import OutboxMessage
from tests.factories import UserFactory
from tests.incubator.factories import ApplicationFactory, CallFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_member_drafts_then_sends_an_application(client, member):
    call = CallFactory(title="Appel 2026")
    client.force_login(member)
    page = client.get(reverse("incubator:my_projects")).content.decode()
    assert "Appel 2026" in page and reverse("incubator:apply", args=[call.pk]) in page
    url = reverse("incubator:apply", args=[call.pk])
    form = {"project_name": "La Cantine", "summary": "Cantine solidaire", "answer_0": "Manger", "answer_1": ""}
    assert client.post(url, {**form, "action": "save"}).status_code == 302
    assert Application.objects.get().status == "draft"
    response = client.post(url, {**form, "action": "submit"})
    assert response.status_code == 400
    assert "Répondez à chaque question" in response.content.decode()
    response = client.post(url, {**form, "answer_1": "Deux voisines", "action": "submit"})
    assert response.status_code == 302
    assert Application.objects.get().status == "submitted"


def test_closed_call_page_is_404_for_members(client, member):
    today = timezone.localdate()
    closed = CallFactory(opens_on=today - datetime.timedelta(days=30), closes_on=today - datetime.timedelta(days=1))
    client.force_login(member)
    assert client.get(reverse("incubator:apply", args=[closed.pk])).status_code == 404
    assert client.post(reverse("incubator:apply", args=[closed.pk]), {"project_name": "X", "action": "submit"}).status_code == 404
    assert not Application.objects.exists()


def test_member_withdraws_and_cannot_withdraw_others(client, member, other_member):
    mine = ApplicationFactory(applicant=member)
    theirs = ApplicationFactory(applicant=other_member)
    client.force_login(member)
    assert client.post(reverse("incubator:application_withdraw", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("incubator:application_withdraw", args=[mine.pk])).status_code == 302
    assert Application.objects.get(pk=mine.pk).status == "withdrawn"
    assert Application.objects.get(pk=theirs.pk).status == "submitted"


def test_staff_reviews_once_then_accepts(client, staff, coach):
    application = ApplicationFactory(project_name="La Cantine")
    impact, team = application.call.criteria.all()
    client.force_login(staff)
    url = reverse("incubator:staff_application", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Impact social (poids 3)" in page
    review = {"action": "review", f"score_{impact.pk}": "4", f"score_{team.pk}": "2", "comment": "Prometteur"}
    assert client.post(url, review).status_code == 302
    assert Review.objects.get().weighted_score == Decimal("3.50")
    assert "Vous avez noté cette candidature pour ce tour." in client.get(url).content.decode()
    assert client.post(url, review).status_code == 409
    assert Review.objects.count() == 1
    response = client.post(url, {"action": "decide", "decision": "accepted", "coach": "nobody@example.org"})
    assert response.status_code == 400 and "Aucun membre n’a cette adresse e-mail." in response.content.decode()
    response = client.post(url, {"action": "decide", "decision": "accepted", "coach": "COACH@example.org",
                                 "fte_at_entry": "1.5"})
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.coach == coach and project.application == application and project.fte_at_entry == Decimal("1.5")
    assert OutboxMessage.objects.filter(key=f"incubator-decision:{application.pk}").count() == 1
    call_page = client.get(reverse("incubator:staff_call", args=[application.call_id])).content.decode()
    assert "La Cantine" in call_page and "3,50" in call_page


def test_staff_pages_are_403_for_members(client, member):
    application = ApplicationFactory()
    client.force_login(member)
    assert client.get(reverse("incubator:staff_projects")).status_code == 403
    assert client.get(reverse("incubator:staff_call", args=[application.call_id])).status_code == 403
    assert client.get(reverse("incubator:staff_application", args=[application.pk])).status_code == 403


def test_founder_dashboard_shows_chart_table_milestones_and_notes(client, project, member, coach):
    today = timezone.localdate()
    KpiReport.objects.create(project=project, reported_on=today - datetime.timedelta(days=100), fte=1, revenue_eur=5000)
    KpiReport.objects.create(project=project, reported_on=today - datetime.timedelta(days=5), fte=3, revenue_eur=20000)
    Milestone.objects.create(project=project, title="Premier client", due_on=today + datetime.timedelta(days=10))
    MentoringSession.objects.create(project=project, coach=coach, date=today, notes="Revoir les prix",
                                    next_actions="Tester 3 tarifs")
    client.force_login(member)
    page = client.get(reverse("incubator:project", args=[project.pk])).content.decode()
    assert page.count('<svg class="kpi-chart"') == 2 and 'id="kpi-table"' in page
    assert "Premier client" in page and "Revoir les prix" in page and "Tester 3 tarifs" in page
    assert "Marquer comme fait" in page
    assert 'id="kpi-form"' in page and "Saisir une séance d’accompagnement" not in page  # founders report, coaches log sessions


def test_founder_never_reads_another_projects_notes_or_kpis(client, member, other_project):
    KpiReport.objects.create(project=other_project, reported_on=timezone.localdate(), fte=7)
    MentoringSession.objects.create(project=other_project, date=timezone.localdate(), notes="Confidentiel")
    milestone = Milestone.objects.create(project=other_project, title="Secret")
    client.force_login(member)
    assert client.get(reverse("incubator:project", args=[other_project.pk])).status_code == 404
    for name in ("kpi_create", "session_create", "milestone_create", "project_status", "creation_record"):
        assert client.post(reverse(f"incubator:{name}", args=[other_project.pk]), {"fte": "1"}).status_code == 404
    assert client.post(reverse("incubator:milestone_tick", args=[milestone.pk]), {"done": "1"}).status_code == 404
    assert Milestone.objects.get(pk=milestone.pk).done_on is None
    assert KpiReport.objects.count() == 1


def test_founder_reports_on_the_page_with_errors_on_their_field(client, project, member):
    client.force_login(member)
    url = reverse("incubator:kpi_create", args=[project.pk])
    response = client.post(url, {"reported_on": "2026-11-01", "fte": "2", "revenue_eur": "-5"})
    assert response.status_code == 400
    assert 'id="id_revenue_eur_error"' in response.content.decode()
    response = client.post(url, {"reported_on": "1990-01-01", "fte": "2"})
    assert response.status_code == 400 and 'id="id_reported_on_error"' in response.content.decode()
    assert not KpiReport.objects.exists()
    assert client.post(url, {"reported_on": str(timezone.localdate()), "fte": "2", "funding_eur": "10000"}).status_code == 302
    assert KpiReport.objects.get().funding_eur == Decimal("10000")


def test_founder_ticks_a_milestone(client, project, member):
    milestone = Milestone.objects.create(project=project, title="Statuts déposés")
    client.force_login(member)
    response = client.post(reverse("incubator:milestone_tick", args=[milestone.pk]), {"done": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#milestones-heading")
    assert Milestone.objects.get().done_on == timezone.localdate()


def test_founder_cannot_change_status_or_log_sessions(client, project, member):
    client.force_login(member)
    response = client.post(reverse("incubator:project_status", args=[project.pk]), {"status": "stopped", "stage": "idea"})
    assert response.status_code == 403
    response = client.post(reverse("incubator:session_create", args=[project.pk]),
                           {"date": str(timezone.localdate()), "duration_min": "60"})
    assert response.status_code == 403
    assert Project.objects.get().status == "active" and not MentoringSession.objects.exists()


def test_staff_graduates_a_project_and_records_its_creation(client, project, staff):
    client.force_login(staff)
    today = timezone.localdate()
    response = client.post(reverse("incubator:project_status", args=[project.pk]),
                           {"status": "graduated", "stage": "launched", "end": str(today)})
    assert response.status_code == 302
    response = client.post(reverse("incubator:creation_record", args=[project.pk]),
                           {"created_on": str(today), "creation_kind": "first_revenue", "creation_evidence": "Facture n°1"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.stage, project.incubation_end, project.creation_kind) == (
        "graduated", "launched", today, "first_revenue")


def test_staff_pipeline_shows_alerts(client, project, staff):
    client.force_login(staff)
    page = client.get(reverse("incubator:staff_projects")).content.decode()
    assert "La Recyclerie" in page and "pas de rapport ce trimestre" in page
    assert "1 projet actif sans rapport ce trimestre" in page


def test_staff_pipeline_by_status_folds_on_a_phone(client, project, staff):
    graduated = ProjectFactory(name="Atelier vélo", status="graduated")
    client.force_login(staff)
    url = reverse("incubator:staff_projects")
    page = client.get(url).content.decode()
    # every status's link with its count; the current one marked
    assert f'<a class="status-tab" href="{url}" aria-current="page">Tout <span class="status-tab-count">2</span></a>' in page
    assert '<a class="status-tab" href="?status=graduated">Sorti de l’incubateur <span class="status-tab-count">1</span></a>' in page
    assert '<a class="status-tab" href="?status=stopped">Arrêté <span class="status-tab-count">0</span></a>' in page
    # one section per status with projects: the active ones open (a script folds them on a phone)
    assert '<details class="pipeline-status" id="status-active" open data-fold-on-phone>' in page
    assert '<details class="pipeline-status" id="status-graduated" data-fold-on-phone>' in page
    assert 'id="status-stopped"' not in page
    assert "1 projet · <span class=\"badge badge-danger\">1 en alerte</span>" in page
    assert page.count("<script src=\"/static/incubator/pipeline.js\"></script>") == 1

    filtered = client.get(url, {"status": "graduated"}).content.decode()
    assert '<details class="pipeline-status" id="status-graduated" open>' in filtered
    assert 'id="status-active"' not in filtered and "Atelier vélo" in filtered and "La Recyclerie" not in filtered
    assert 'href="?status=graduated" aria-current="page"' in filtered
    # an unknown status is the whole pipeline
    assert 'id="status-active"' in client.get(url, {"status": "nope"}).content.decode()
    assert graduated.pk


def test_outsider_sees_no_project_page(client, project):
    client.force_login(UserFactory())
    assert client.get(reverse("incubator:project", args=[project.pk])).status_code == 404


def test_home_panel_tells_the_founder_what_is_due(client, project, member, other_member):
    Milestone.objects.create(project=project, title="Statuts déposés", due_on=timezone.localdate() + datetime.timedelta(days=9))
    client.force_login(member)
    page = client.get("/").content.decode()
    assert "Prochain jalon : Statuts déposés" in page and "Indicateurs attendus" in page
    KpiReport.objects.create(project=project, reported_on=timezone.localdate(), fte=1)
    assert "Indicateurs attendus" not in client.get("/").content.decode()
    client.force_login(other_member)
    assert "La Recyclerie" not in client.get("/").content.decode()


def test_staff_creates_a_call_from_the_back_office(client, staff):
    from incubator.models import Call

    client.force_login(staff)
    url = reverse("incubator:staff_call_create")
    today = timezone.localdate()
    form = {"title": "Appel 2027", "description": "", "opens_on": str(today), "closes_on": str(today - datetime.timedelta(days=1)),
            "questions": "Quel besoin ?\n\nQuelle équipe ?", "criteria": "Impact social; 3\nÉquipe ; 1"}
    response = client.post(url, form)
    assert response.status_code == 400 and 'id="id_closes_on_error"' in response.content.decode()
    response = client.post(url, {**form, "criteria": "Impact; trois"})
    assert response.status_code == 400 and "Écrivez chaque critère" in response.content.decode()
    assert not Call.objects.exists()
    response = client.post(url, {**form, "closes_on": str(today + datetime.timedelta(days=30))})
    call = Call.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("incubator:staff_call", args=[call.pk])
    assert call.questions == ["Quel besoin ?", "Quelle équipe ?"]
    assert [(c.label, c.weight) for c in call.criteria.all()] == [("Impact social", 3), ("Équipe", 1)]


def test_new_review_round_lets_the_reviewer_score_again(client, staff):
    application = ApplicationFactory()
    impact, team = application.call.criteria.all()
    client.force_login(staff)
    url = reverse("incubator:staff_application", args=[application.pk])
    review = {"action": "review", f"score_{impact.pk}": "3", f"score_{team.pk}": "3"}
    assert client.post(url, review).status_code == 302
    assert client.post(url, {"action": "new_round"}).status_code == 302
    assert client.post(url, review).status_code == 302
    assert list(Review.objects.order_by("round").values_list("round", flat=True)) == [1, 2]


def test_members_cannot_create_calls(client, member):
    client.force_login(member)
    assert client.get(reverse("incubator:staff_call_create")).status_code == 403


def test_staff_adds_and_removes_a_founder_on_the_project_page(client, project, staff):
    from coworking.models import Subscription

    newcomer = UserFactory(email="nouvelle@example.org")
    client.force_login(staff)
    url = reverse("incubator:team_add", args=[project.pk])
    response = client.post(url, {"email": "inconnue@example.org", "role": "founder"})
    assert response.status_code == 400 and "Aucun membre n’a cette adresse e-mail." in response.content.decode()
    assert client.post(url, {"email": "Nouvelle@example.org", "role": "founder"}).status_code == 302
    assert client.post(url, {"email": "nouvelle@example.org", "role": "associate"}).status_code == 409
    assert Subscription.objects.get(member=newcomer).ends_on > timezone.localdate()
    response = client.post(reverse("incubator:team_remove", args=[project.pk, newcomer.pk]))
    assert response.status_code == 302
    assert not project.memberships.filter(member=newcomer).exists()
    assert Subscription.objects.get(member=newcomer).ends_on == timezone.localdate()


def test_founder_cannot_change_the_team(client, project, member, other_member):
    client.force_login(member)
    assert client.post(reverse("incubator:team_add", args=[project.pk]),
                       {"email": other_member.email, "role": "founder"}).status_code == 403
    assert client.post(reverse("incubator:team_remove", args=[project.pk, member.pk])).status_code == 403
    assert client.post(reverse("incubator:team_remove", args=[project.pk, other_member.pk])).status_code == 404
    assert list(project.memberships.values_list("member_id", flat=True)) == [member.pk]
