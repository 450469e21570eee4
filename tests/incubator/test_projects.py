"""Projects: team roles, the incubated coworking plan that follows the founders, status, creation evidence."""

import datetime

import pytest
from django.utils import timezone

from coworking.models import Plan, Subscription
from incubator import services
from incubator.models import Project, TeamMember
from quai.errors import ConflictError, DomainError
from quai.models import AuditLog
from tests.factories import UserFactory
from tests.incubator.factories import ApplicationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _incubated(member, day=None):
    """Has `member` an incubated plan valid on `day` (default: tomorrow, the first day after an end today)?"""
    day = day or timezone.localdate() + datetime.timedelta(days=1)
    return Subscription.objects.filter(member=member, plan__kind=Plan.Kind.INCUBATED, starts_on__lte=day,
                                       ends_on__gte=day).exists()


def test_founder_added_to_an_active_project_gets_the_incubated_plan(staff):
    project = ProjectFactory()
    founder, associate = UserFactory(), UserFactory()
    services.team_member_add(project=project, by=staff, member=founder, role="founder")
    services.team_member_add(project=project, by=staff, member=associate, role="associate")
    assert _incubated(founder) and not _incubated(associate)
    with pytest.raises(ConflictError):
        services.team_member_add(project=project, by=staff, member=founder, role="associate")
    assert TeamMember.objects.filter(project=project).count() == 2


@pytest.mark.parametrize("status", ["graduated", "stopped"])
def test_founders_lose_the_plan_when_the_project_ends(staff, status):
    project = ProjectFactory()
    founder = UserFactory()
    services.team_member_add(project=project, by=staff, member=founder)
    today = timezone.localdate()
    services.project_set_status(project=project, by=staff, status=status)
    project.refresh_from_db()
    assert project.status == status and project.incubation_end == today
    # The plan covers the incubation's last day, and no day after it; the row stays as history.
    assert _incubated(founder, today) and not _incubated(founder, today + datetime.timedelta(days=1))
    assert Subscription.objects.get(member=founder).ends_on == today


def test_an_end_before_the_plan_started_removes_the_plan(staff):
    project = ProjectFactory()
    founder = UserFactory()
    services.team_member_add(project=project, by=staff, member=founder)  # plan from today
    services.project_set_status(project=project, by=staff, status="stopped",
                                end=timezone.localdate() - datetime.timedelta(days=1))
    assert not Subscription.objects.filter(member=founder).exists()
    assert AuditLog.objects.filter(action="incubator.status_changed", target_id=str(project.pk)).count() == 1


def test_a_founder_of_two_projects_keeps_the_plan_while_one_is_active(staff):
    first, second = ProjectFactory(), ProjectFactory()
    founder = UserFactory()
    services.team_member_add(project=first, by=staff, member=founder)
    services.team_member_add(project=second, by=staff, member=founder)
    assert Subscription.objects.filter(member=founder).count() == 1
    services.project_set_status(project=first, by=staff, status="graduated")
    assert _incubated(founder)
    services.project_set_status(project=second, by=staff, status="stopped")
    assert not _incubated(founder)


def test_reopening_a_project_gives_the_plan_back(staff):
    project = ProjectFactory()
    founder = UserFactory()
    services.team_member_add(project=project, by=staff, member=founder)
    services.project_set_status(project=project, by=staff, status="stopped", end=timezone.localdate() - datetime.timedelta(days=3))
    services.project_set_status(project=project, by=staff, status="active")
    project.refresh_from_db()
    assert project.incubation_end is None and _incubated(founder)


def test_removing_a_founder_ends_their_plan(staff):
    project = ProjectFactory()
    founder = UserFactory()
    services.team_member_add(project=project, by=staff, member=founder)
    services.team_member_remove(project=project, by=staff, member=founder)
    assert not _incubated(founder) and not TeamMember.objects.exists()


def test_end_before_start_is_refused_and_nothing_changes(staff):
    project = ProjectFactory()
    with pytest.raises(DomainError) as error:
        services.project_set_status(project=project, by=staff, status="graduated",
                                    end=project.incubation_start - datetime.timedelta(days=1))
    assert error.value.field == "incubation_end"
    project.refresh_from_db()
    assert project.status == "active" and project.incubation_end is None
    assert not AuditLog.objects.exists()


def test_only_staff_change_status(project, member, coach):
    for person in (member, coach):
        with pytest.raises(services.NotAllowed):
            services.project_set_status(project=project, by=person, status="stopped")


def test_creation_is_recorded_with_kind_and_evidence(project, coach):
    day = timezone.localdate() - datetime.timedelta(days=10)
    services.project_record_creation(project=project, by=coach, created_on=day, kind="legal", evidence="SIRET 123 456 789 00012")
    project.refresh_from_db()
    assert (project.created_on, project.creation_kind, project.creation_evidence) == (day, "legal", "SIRET 123 456 789 00012")
    assert AuditLog.objects.filter(action="incubator.creation_recorded").count() == 1


@pytest.mark.parametrize("kwargs, field", [
    ({"kind": "legal", "evidence": ""}, "creation_evidence"),
    ({"kind": "rumour", "evidence": "SIRET"}, "creation_kind"),
    ({"kind": "first_revenue", "evidence": "Facture 1", "created_on": datetime.date(1990, 1, 1)}, "created_on"),
    ({"kind": "place_opened", "evidence": "Ouverture", "days_ahead": 3}, "created_on"),
])
def test_creation_without_evidence_or_with_odd_date_is_refused(project, coach, kwargs, field):
    created_on = kwargs.pop("created_on", None) or timezone.localdate() + datetime.timedelta(days=kwargs.pop("days_ahead", 0))
    with pytest.raises(DomainError) as error:
        services.project_record_creation(project=project, by=coach, created_on=created_on, **kwargs)
    assert error.value.field == field
    project.refresh_from_db()
    assert project.created_on is None


def test_founder_cannot_record_creation(project, member):
    with pytest.raises(services.NotAllowed):
        services.project_record_creation(project=project, by=member, created_on=timezone.localdate(), kind="legal",
                                         evidence="SIRET")


def test_stage_changes_by_coach_only(project, coach, member):
    services.project_set_stage(project=project, by=coach, stage="launched")
    assert Project.objects.get(pk=project.pk).stage == "launched"
    with pytest.raises(services.NotAllowed):
        services.project_set_stage(project=project, by=member, stage="idea")


def test_accepted_application_founder_keeps_the_project_when_erased(staff):
    from quai.registry import registry

    application = ApplicationFactory()
    project = services.application_decide(application=application, by=staff, decision="accepted")
    data = next(d for d in registry.person_data if d.app_label == "incubator")
    exported = data.export(application.applicant)
    assert exported["projects"][0]["role"] == "founder" and exported["applications"][0]["status"] == "accepted"
    data.erase(application.applicant)
    assert Project.objects.filter(pk=project.pk).exists() and not TeamMember.objects.exists()


def test_project_update_changes_stage_and_status_together_or_not_at_all(project, staff):
    with pytest.raises(DomainError):
        services.project_update(project=project, by=staff, status="graduated", stage="launched",
                                end=project.incubation_start - datetime.timedelta(days=1))
    project.refresh_from_db()
    assert (project.stage, project.status) == ("idea", "active")
    assert not AuditLog.objects.exists()
    services.project_update(project=project, by=staff, status="graduated", stage="launched", end=timezone.localdate())
    project.refresh_from_db()
    assert (project.stage, project.status, project.incubation_end) == ("launched", "graduated", timezone.localdate())
