"""Calls for applications: apply (draft, submit, withdraw), scored reviews once per round, decisions."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from coworking.models import Plan, Subscription
from incubator import services
from incubator.models import Application, Call, Project, Review, ReviewScore, TeamMember
from quai.errors import ConflictError, DomainError
from quai.models import AuditLog, OutboxMessage
from tests.factories import UserFactory
from tests.incubator.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(db):
    return CallFactory(title="Appel 2026")


def _apply(call, member, **kwargs):
    values = {"project_name": "La Cantine", "summary": "Cantine solidaire", "answers": ["Manger", "Deux voisines"]}
    values.update(kwargs)
    return services.application_save(call=call, applicant=member, **values)


def test_call_create_with_questions_and_weighted_rubric(staff):
    today = timezone.localdate()
    call = services.call_create(by=staff, title="Appel printemps", opens_on=today, closes_on=today + datetime.timedelta(days=30),
                                questions=["Besoin ?", "  ", "Équipe ?"], criteria=[("Impact", 3), ("Équipe", 2)])
    assert call.questions == ["Besoin ?", "Équipe ?"]
    assert [(c.label, c.weight) for c in call.criteria.all()] == [("Impact", 3), ("Équipe", 2)]
    assert AuditLog.objects.filter(action="incubator.call_created", target_id=str(call.pk)).count() == 1


def test_call_create_refuses_reversed_dates_and_writes_nothing(staff):
    today = timezone.localdate()
    with pytest.raises(DomainError) as error:
        services.call_create(by=staff, title="Appel", opens_on=today, closes_on=today - datetime.timedelta(days=1),
                             questions=[], criteria=[("Impact", 1)])
    assert error.value.field == "closes_on"
    assert Call.objects.count() == 0 and AuditLog.objects.count() == 0


def test_call_create_is_staff_only(member):
    today = timezone.localdate()
    with pytest.raises(services.NotAllowed):
        services.call_create(by=member, title="Appel", opens_on=today, closes_on=today, questions=[], criteria=[("I", 1)])


def test_member_saves_a_draft_then_submits_it(call, member):
    draft = _apply(call, member, answers=["Manger"])
    assert draft.status == Application.Status.DRAFT and draft.submitted_at is None
    assert draft.answers == ["Manger", ""]
    with pytest.raises(DomainError) as error:
        services.application_submit(application=draft, by=member)
    assert error.value.field == "answers"
    draft = _apply(call, member)
    sent = services.application_submit(application=draft, by=member)
    assert sent.pk == draft.pk and sent.status == Application.Status.SUBMITTED and sent.submitted_at is not None
    assert Application.objects.count() == 1


def test_second_application_to_the_same_call_is_a_conflict(call, member):
    _apply(call, member, submit=True)
    with pytest.raises(ConflictError):
        _apply(call, member, project_name="Autre", submit=True)
    assert list(Application.objects.values_list("project_name", flat=True)) == ["La Cantine"]


def test_applying_to_a_closed_call_is_a_conflict_and_writes_nothing(member):
    today = timezone.localdate()
    closed = CallFactory(opens_on=today - datetime.timedelta(days=40), closes_on=today - datetime.timedelta(days=1))
    with pytest.raises(ConflictError) as error:
        _apply(closed, member, submit=True)
    assert error.value.field == "call"
    assert not Application.objects.exists()


def test_more_answers_than_questions_is_refused(call, member):
    with pytest.raises(DomainError) as error:
        _apply(call, member, answers=["a", "b", "c"])
    assert error.value.field == "answers"
    assert not Application.objects.exists()


def test_withdraw_then_no_more(call, member, other_member):
    application = _apply(call, member, submit=True)
    with pytest.raises(services.NotAllowed):
        services.application_withdraw(application=application, by=other_member)
    withdrawn = services.application_withdraw(application=application, by=member)
    assert withdrawn.status == Application.Status.WITHDRAWN
    with pytest.raises(ConflictError):
        services.application_withdraw(application=withdrawn, by=member)


def test_review_scores_every_criterion_with_weights(call, staff):
    application = ApplicationFactory(call=call)
    impact, team = call.criteria.all()
    review = services.application_review(application=application, by=staff, scores={impact.pk: 5, team.pk: 1},
                                         comment="Solide")
    # (5×3 + 1×1) ÷ 4 = 4
    assert review.weighted_score == Decimal("4.00")
    assert sorted(ReviewScore.objects.values_list("score", flat=True)) == [1, 5]


def test_several_reviewers_each_score_once_per_round(call, staff):
    application = ApplicationFactory(call=call)
    scores = {c.pk: 3 for c in call.criteria.all()}
    other_staff = UserFactory(is_staff=True)
    services.application_review(application=application, by=staff, scores=scores)
    services.application_review(application=application, by=other_staff, scores=scores)
    with pytest.raises(ConflictError) as error:
        services.application_review(application=application, by=staff, scores={c.pk: 5 for c in call.criteria.all()})
    assert error.value.code == "already_reviewed"
    assert Review.objects.count() == 2 and ReviewScore.objects.count() == 4
    assert AuditLog.objects.filter(action="incubator.application_reviewed").count() == 2
    # A new round lets the same reviewer score again.
    Application.objects.filter(pk=application.pk).update(review_round=2)
    application.refresh_from_db()
    services.application_review(application=application, by=staff, scores=scores)
    assert Review.objects.filter(reviewer=staff).count() == 2


def test_one_review_per_reviewer_and_round_is_a_database_rule(call, staff):
    application = ApplicationFactory(call=call)
    Review.objects.create(application=application, reviewer=staff, round=1, weighted_score=Decimal("3"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(application=application, reviewer=staff, round=1, weighted_score=Decimal("4"))


def test_review_needs_every_criterion_and_scores_0_to_5(call, staff):
    application = ApplicationFactory(call=call)
    impact, team = call.criteria.all()
    with pytest.raises(DomainError) as error:
        services.application_review(application=application, by=staff, scores={impact.pk: 3})
    assert error.value.field == "scores"
    with pytest.raises(DomainError):
        services.application_review(application=application, by=staff, scores={impact.pk: 6, team.pk: 2})
    assert not Review.objects.exists()


def test_only_staff_review(call, member):
    application = ApplicationFactory(call=call)
    with pytest.raises(services.NotAllowed):
        services.application_review(application=application, by=member, scores={c.pk: 3 for c in call.criteria.all()})


def test_accepting_creates_the_project_with_its_founder_plan_and_email_after_commit(
        call, staff, coach, django_capture_on_commit_callbacks):
    application = ApplicationFactory(call=call, project_name="La Cantine")
    applicant = application.applicant
    with django_capture_on_commit_callbacks(execute=True):
        project = services.application_decide(application=application, by=staff, decision="accepted", coach=coach)
        assert mail.outbox == []  # the e-mail waits for the commit
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    assert project.name == "La Cantine" and project.coach == coach and project.application == application
    assert project.incubation_start == timezone.localdate() and project.status == Project.Status.ACTIVE
    assert list(TeamMember.objects.filter(project=project).values_list("member_id", "role")) == [(applicant.pk, "founder")]
    plan = Subscription.objects.get(member=applicant)
    assert plan.plan.kind == Plan.Kind.INCUBATED and plan.starts_on == timezone.localdate()
    message = OutboxMessage.objects.get(key=f"incubator-decision:{application.pk}")
    assert message.to == applicant.email and "La Cantine" in message.subject
    assert f"/incubator/projects/{project.pk}/" in message.body_text


@pytest.mark.parametrize("decision", ["waitlisted", "rejected"])
def test_waitlist_or_reject_notifies_without_project(call, staff, decision):
    application = ApplicationFactory(call=call)
    assert services.application_decide(application=application, by=staff, decision=decision) is None
    application.refresh_from_db()
    assert application.status == decision and not Project.objects.exists()
    assert OutboxMessage.objects.filter(key=f"incubator-decision:{application.pk}").count() == 1
    assert not Subscription.objects.exists()


def test_decision_twice_is_a_conflict(call, staff):
    application = ApplicationFactory(call=call)
    services.application_decide(application=application, by=staff, decision="rejected")
    with pytest.raises(ConflictError):
        services.application_decide(application=application, by=staff, decision="accepted")
    assert not Project.objects.exists()
    assert OutboxMessage.objects.count() == 1


def test_failed_decision_sends_nothing(call, staff, monkeypatch):
    application = ApplicationFactory(call=call)

    def boom(**kwargs):
        raise RuntimeError("coworking down")

    monkeypatch.setattr(services, "_sync_incubated_plan", boom)
    with pytest.raises(RuntimeError):
        services.application_decide(application=application, by=staff, decision="accepted")
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not Project.objects.exists() and not OutboxMessage.objects.exists() and not AuditLog.objects.exists()


def test_fte_at_entry_from_the_decision_is_the_base_of_inc1(call, staff):
    from incubator.indicators import inc1_rows

    application = ApplicationFactory(call=call, project_name="La Cantine")
    project = services.application_decide(application=application, by=staff, decision="accepted",
                                          fte_at_entry=Decimal("1.5"))
    services.kpi_report_add(project=project, by=application.applicant, reported_on=timezone.localdate(), fte=Decimal("4"))
    end = timezone.localdate() + datetime.timedelta(days=1)
    assert [(r["name"], r["jobs_created"]) for r in inc1_rows(timezone.localdate(), end)] == [("La Cantine", Decimal("2.50"))]
    with pytest.raises(DomainError) as error:
        services.application_decide(application=ApplicationFactory(call=call), by=staff, decision="accepted",
                                    fte_at_entry=Decimal("-1"))
    assert error.value.field == "fte_at_entry"
    assert Project.objects.count() == 1


def test_a_withdrawn_draft_keeps_no_submission_date(call, member):
    draft = _apply(call, member)
    withdrawn = services.application_withdraw(application=draft, by=member)
    withdrawn.refresh_from_db()
    assert (withdrawn.status, withdrawn.submitted_at) == ("withdrawn", None)
