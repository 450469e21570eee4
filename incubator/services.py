"""Incubator writes. Each function: one transaction, its audit row inside it, e-mails through the
outbox (sent after commit, never when the change rolls back), DomainError/ConflictError with a
translated message naming the field.

The incubated coworking plan follows the team: founders of an active project have it; when the
project ends, they lose it unless another active project still gives it to them
(`_sync_incubated_plan`, the only place that calls coworking).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incubator import selectors
from incubator.models import (
    Application, Call, Criterion, KpiReport, MentoringSession, Milestone, Project, Review, ReviewScore, TeamMember,
)
from incubator.validation import check_amount, check_date, check_dates_ordered, check_fte
from quai.audit import audit_log
from quai.dberrors import constraint_name
from quai.errors import ConflictError, DomainError
from quai.outbox import outbox_enqueue

MAX_QUESTIONS = 20
MAX_ANSWER_LENGTH = 5000


class NotAllowed(DomainError):
    """The person may see the object but not do this to it: HTTP 403 with the reason."""

    status_code = 403

    def __init__(self, message=None, *, field: str | None = None, code: str = "forbidden"):
        super().__init__(message, field=field, code=code)


def _require_staff(by, message) -> None:
    if not (by.is_authenticated and by.is_staff):
        raise NotAllowed(message)


# --- Calls for applications ---

def call_create(*, by, title: str, opens_on, closes_on, questions: list[str], criteria: list[tuple[str, int]],
                description: str = "") -> Call:
    """Staff open a call: dates, questions, and the rubric (criteria with weights 1–10)."""
    _require_staff(by, _("Only staff can create a call for applications."))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the call a title."), field="title")
    check_date(opens_on, field="opens_on")
    check_date(closes_on, field="closes_on")
    check_dates_ordered(opens_on, closes_on, field="closes_on")
    questions = [q.strip() for q in questions if q and q.strip()]
    if len(questions) > MAX_QUESTIONS:
        raise DomainError(_("At most %(n)s questions.") % {"n": MAX_QUESTIONS}, field="questions")
    if not criteria:
        raise DomainError(_("The rubric needs at least one criterion."), field="criteria")
    labels = [label.strip() for label, _weight in criteria]
    if any(not label for label in labels) or len(set(labels)) != len(labels):
        raise DomainError(_("Each criterion needs a distinct name."), field="criteria")
    if any(not 1 <= int(weight) <= 10 for _label, weight in criteria):
        raise DomainError(_("The weight must be between 1 and 10."), field="criteria")
    with transaction.atomic():
        call = Call.objects.create(title=title, description=description.strip(), opens_on=opens_on,
                                   closes_on=closes_on, questions=questions)
        Criterion.objects.bulk_create(
            Criterion(call=call, label=label, weight=int(weight), order=index)
            for index, (label, (_l, weight)) in enumerate(zip(labels, criteria))
        )
        audit_log(actor=by, action="incubator.call_created", target=call,
                  data={"opens_on": str(opens_on), "closes_on": str(closes_on)})
    return call


def _clean_application(call: Call, *, project_name: str, summary: str, answers) -> tuple[str, str, list[str]]:
    project_name = (project_name or "").strip()
    summary = (summary or "").strip()
    if not project_name:
        raise DomainError(_("Give your project a name."), field="project_name")
    if len(project_name) > 150:
        raise DomainError(_("The project name is too long (150 characters at most)."), field="project_name")
    if len(summary) > MAX_ANSWER_LENGTH:
        raise DomainError(_("The summary is too long (5000 characters at most)."), field="summary")
    if answers is None:
        answers = []
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        raise DomainError(_("Answers are a list of texts, one per question."), field="answers")
    if len(answers) > len(call.questions):
        raise DomainError(_("There are more answers than questions."), field="answers")
    answers = [a.strip() for a in answers] + [""] * (len(call.questions) - len(answers))
    if any(len(a) > MAX_ANSWER_LENGTH for a in answers):
        raise DomainError(_("An answer is too long (5000 characters at most)."), field="answers")
    return project_name, summary, answers


def _check_call_open(call: Call) -> None:
    if not call.is_open():
        raise ConflictError(_("This call is closed: applications are not accepted."), field="call", code="call_closed")


def application_save(*, call: Call, applicant, project_name: str, summary: str, answers, submit: bool = False) -> Application:
    """A member writes (or rewrites) their application to an open call; `submit` sends it to the reviewers.

    One application per member and call (database constraint): a second one is a 409.
    """
    _check_call_open(call)
    project_name, summary, answers = _clean_application(call, project_name=project_name, summary=summary, answers=answers)
    if submit:
        _check_complete(summary, answers)
    try:
        with transaction.atomic():
            application = (
                Application.objects.select_for_update().filter(call=call, applicant=applicant).first()
            )
            if application is None:
                application = Application(call=call, applicant=applicant)
            elif application.status != Application.Status.DRAFT:
                raise ConflictError(_("You have already applied to this call."), field="call", code="already_applied")
            application.project_name, application.summary, application.answers = project_name, summary, answers
            if submit:
                application.status = Application.Status.SUBMITTED
                application.submitted_at = timezone.now()
            application.save()
            audit_log(actor=applicant, action="incubator.application_submitted" if submit else "incubator.application_saved",
                      target=application, data={"call": call.pk})
    except IntegrityError:  # two tabs creating it at once: the constraint decides
        raise ConflictError(_("You have already applied to this call."), field="call", code="already_applied")
    return application


def _check_complete(summary: str, answers: list[str]) -> None:
    if not summary:
        raise DomainError(_("Describe your project before sending it."), field="summary")
    if any(not a for a in answers):
        raise DomainError(_("Answer every question before sending your application."), field="answers")


def application_submit(*, application: Application, by) -> Application:
    if application.applicant_id != by.pk:
        raise NotAllowed(_("Only the applicant can send this application."))
    return application_save(call=application.call, applicant=by, project_name=application.project_name,
                            summary=application.summary, answers=application.answers, submit=True)


def application_withdraw(*, application: Application, by) -> Application:
    """The applicant withdraws a draft or a submitted application (not once it is decided)."""
    if application.applicant_id != by.pk:
        raise NotAllowed(_("Only the applicant can withdraw this application."))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in (Application.Status.DRAFT, Application.Status.SUBMITTED):
            raise ConflictError(_("This application can no longer be withdrawn."), code="not_withdrawable")
        application.status = Application.Status.WITHDRAWN
        application.save(update_fields=["status"])
        audit_log(actor=by, action="incubator.application_withdrawn", target=application)
    return application


def application_review(*, application: Application, by, scores: dict[int, int], comment: str = "") -> Review:
    """A reviewer (staff) scores every criterion of the rubric 0–5, once per round (database unique constraint)."""
    _require_staff(by, _("Only staff can review applications."))
    if application.status not in (Application.Status.SUBMITTED, Application.Status.WAITLISTED):
        raise ConflictError(_("Only a submitted application can be reviewed."), code="not_reviewable")
    criteria = list(application.call.criteria.all())
    try:
        scores = {int(key): int(value) for key, value in (scores or {}).items()}
    except (TypeError, ValueError):
        raise DomainError(_("A score is between 0 and 5."), field="scores")
    if set(scores) != {c.pk for c in criteria}:
        raise DomainError(_("Score every criterion of the rubric."), field="scores")
    if any(not 0 <= value <= 5 for value in scores.values()):
        raise DomainError(_("A score is between 0 and 5."), field="scores")
    try:
        with transaction.atomic():
            review = Review.objects.create(
                application=application, reviewer=by, round=application.review_round, comment=(comment or "").strip(),
                weighted_score=selectors.weighted_score(scores, criteria),
            )
            ReviewScore.objects.bulk_create(ReviewScore(review=review, criterion_id=pk, score=value)
                                            for pk, value in scores.items())
            audit_log(actor=by, action="incubator.application_reviewed", target=application,
                      data={"round": review.round, "score": str(review.weighted_score)})
    except IntegrityError as error:
        if constraint_name(error) == "incubator_one_review_per_round":
            raise ConflictError(_("You have already scored this application in this round."), field="scores",
                                code="already_reviewed")
        raise
    return review


def application_review_round_open(*, application: Application, by) -> Application:
    """Staff open a new review round (after a waiting list, say): every reviewer may score it again."""
    _require_staff(by, _("Only staff can review applications."))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in (Application.Status.SUBMITTED, Application.Status.WAITLISTED):
            raise ConflictError(_("Only a submitted application can be reviewed."), code="not_reviewable")
        application.review_round += 1
        application.save(update_fields=["review_round"])
        audit_log(actor=by, action="incubator.review_round_opened", target=application,
                  data={"round": application.review_round})
    return application


def application_decide(*, application: Application, by, decision: str, coach=None,
                       start: datetime.date | None = None, fte_at_entry=Decimal("0")) -> Project | None:
    """Staff decide (accepted, waitlisted, rejected); the applicant is told by e-mail after commit.

    An accepted application becomes a project: the applicant is its founder, from `start` (default today),
    with the jobs it already had (`fte_at_entry`, the base of INC-1).
    """
    _require_staff(by, _("Only staff can decide on applications."))
    if decision not in Application.DECISIONS:
        raise DomainError(_("Unknown decision."), field="decision")
    start = check_date(start or timezone.localdate(), field="start")
    fte_at_entry = check_fte(fte_at_entry if fte_at_entry is not None else Decimal("0"), field="fte_at_entry")
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("call", "applicant").get(pk=application.pk)
        if application.status not in (Application.Status.SUBMITTED, Application.Status.WAITLISTED):
            raise ConflictError(_("This application has already been decided or withdrawn."), code="already_decided")
        application.status = decision
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decided_at"])
        project = None
        if decision == Application.Status.ACCEPTED:
            project = Project.objects.create(name=application.project_name, summary=application.summary,
                                             incubation_start=start, coach=coach, application=application,
                                             fte_at_entry=fte_at_entry)
            TeamMember.objects.create(project=project, member=application.applicant, role=TeamMember.Role.FOUNDER)
            _sync_incubated_plan(project=project, on=start)
        audit_log(actor=by, action="incubator.application_decided", target=application,
                  data={"decision": decision, "project": project.pk if project else None})
        applicant = application.applicant
        outbox_enqueue(key=f"incubator-decision:{application.pk}", to=applicant.email, user=applicant,
                       template=f"incubator/decision_{decision}",
                       context={"call": application.call.title, "project_name": application.project_name,
                                "project_id": project.pk if project else None,
                                "name": applicant.get_full_name() or applicant.email})
    return project


# --- Projects and their team ---

def _sync_incubated_plan(*, project: Project, on: datetime.date) -> None:
    """Founders of an active project have the incubated plan; others lose it unless another active
    project of theirs still gives it. Runs inside the caller's transaction."""
    from coworking.services import incubated_plan_end, incubated_plan_grant

    for membership in TeamMember.objects.filter(project=project).select_related("member"):
        member = membership.member
        entitled = TeamMember.objects.filter(
            member=member, role=TeamMember.Role.FOUNDER, project__status=Project.Status.ACTIVE
        ).exists()
        if entitled:
            incubated_plan_grant(member=member, starts_on=max(on, project.incubation_start))
        else:
            incubated_plan_end(member=member, on=on)


def team_member_add(*, project: Project, by, member, role: str = TeamMember.Role.FOUNDER) -> TeamMember:
    _require_staff(by, _("Only staff can change a team."))
    if role not in TeamMember.Role.values:
        raise DomainError(_("Unknown role."), field="role")
    try:
        with transaction.atomic():
            membership = TeamMember.objects.create(project=project, member=member, role=role)
            if project.status == Project.Status.ACTIVE:
                _sync_incubated_plan(project=project, on=timezone.localdate())
            audit_log(actor=by, action="incubator.team_member_added", target=project, data={"member": member.pk, "role": role})
    except IntegrityError:
        raise ConflictError(_("This person is already in the team."), field="member")
    return membership


def team_member_remove(*, project: Project, by, member) -> None:
    _require_staff(by, _("Only staff can change a team."))
    from coworking.services import incubated_plan_end

    with transaction.atomic():
        deleted, _rows = TeamMember.objects.filter(project=project, member=member).delete()
        if deleted:
            still = TeamMember.objects.filter(member=member, role=TeamMember.Role.FOUNDER,
                                              project__status=Project.Status.ACTIVE).exists()
            if not still:
                incubated_plan_end(member=member, on=timezone.localdate())
            audit_log(actor=by, action="incubator.team_member_removed", target=project, data={"member": member.pk})


def project_set_status(*, project: Project, by, status: str, end=None) -> Project:
    """Staff close an incubation (graduated or stopped: founders lose the incubated plan) or reopen it."""
    _require_staff(by, _("Only staff can change a project's status."))
    if status not in Project.Status.values:
        raise DomainError(_("Unknown status."), field="status")
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        previous = project.status
        project.status = status
        if status == Project.Status.ACTIVE:
            project.incubation_end = None
        else:
            end = check_date(end or project.incubation_end or timezone.localdate(), field="incubation_end")
            check_dates_ordered(project.incubation_start, end, field="incubation_end")
            project.incubation_end = end
        project.save(update_fields=["status", "incubation_end"])
        _sync_incubated_plan(project=project, on=project.incubation_end or timezone.localdate())
        audit_log(actor=by, action="incubator.status_changed", target=project, data={"from": previous, "to": status})
    return project


def project_update(*, project: Project, by, status: str, stage: str, end=None) -> Project:
    """Staff change the stage and the status together: both or neither."""
    _require_staff(by, _("Only staff can change a project's status."))
    with transaction.atomic():
        if stage != project.stage:
            project = project_set_stage(project=project, by=by, stage=stage)
        if status != project.status or (end is not None and end != project.incubation_end):
            project = project_set_status(project=project, by=by, status=status, end=end)
    return project


def project_set_stage(*, project: Project, by, stage: str) -> Project:
    if not selectors.user_can_coach(by, project):
        raise NotAllowed(_("Only the project's coach or staff can change its stage."))
    if stage not in Project.Stage.values:
        raise DomainError(_("Unknown stage."), field="stage")
    with transaction.atomic():
        previous = project.stage
        Project.objects.filter(pk=project.pk).update(stage=stage)
        project.stage = stage
        audit_log(actor=by, action="incubator.stage_changed", target=project, data={"from": previous, "to": stage})
    return project


def project_record_creation(*, project: Project, by, created_on, kind: str, evidence: str) -> Project:
    """Staff or the coach record that the project is created (PRJ-2): a date, its kind, and the evidence."""
    if not selectors.user_can_coach(by, project):
        raise NotAllowed(_("Only the project's coach or staff can record its creation."))
    if kind not in Project.CreationKind.values:
        raise DomainError(_("Choose how the project was created."), field="creation_kind")
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError(_("Give the evidence (SIRET, first invoice, opening)."), field="creation_evidence")
    check_date(created_on, field="created_on", ahead_days=0)
    with transaction.atomic():
        project.created_on, project.creation_kind, project.creation_evidence = created_on, kind, evidence[:255]
        project.save(update_fields=["created_on", "creation_kind", "creation_evidence"])
        audit_log(actor=by, action="incubator.creation_recorded", target=project,
                  data={"on": str(created_on), "kind": kind})
    return project


# --- Follow-up ---

def mentoring_session_log(*, project: Project, by, date, duration_min: int, notes: str = "",
                          next_actions: str = "", start_time=None, location: str = "") -> MentoringSession:
    """The coach (or staff) records a mentoring session, or plans the next one (a date ahead, with
    its time in Europe/Paris and its place or video link: the team sees it first on their page)."""
    if not selectors.user_can_coach(by, project):
        raise NotAllowed(_("Only the project's coach or staff can log a mentoring session."))
    check_date(date, field="date", ahead_days=31)
    if not isinstance(duration_min, int) or not 0 < duration_min <= 600:
        raise DomainError(_("The duration must be between 1 and 600 minutes."), field="duration_min")
    with transaction.atomic():
        session = MentoringSession.objects.create(project=project, coach=by, date=date, duration_min=duration_min,
                                                  notes=(notes or "").strip(), next_actions=(next_actions or "").strip(),
                                                  start_time=start_time, location=(location or "").strip())
        audit_log(actor=by, action="incubator.session_logged", target=project, data={"on": str(date)})
    return session


def kpi_report_add(*, project: Project, by, reported_on, fte, revenue_eur=None, beneficiaries: int | None = None,
                   funding_eur=None) -> KpiReport:
    """The team, the coach or staff report the project's figures (one report per day)."""
    if not selectors.user_can_report(by, project):
        raise NotAllowed(_("Only the project's team, its coach or staff can report figures."))
    check_date(reported_on, field="reported_on", ahead_days=31)
    fte = check_fte(fte)
    revenue_eur = check_amount(revenue_eur, field="revenue_eur", message=_("Revenue cannot be negative."))
    funding_eur = check_amount(funding_eur, field="funding_eur", message=_("Funding cannot be negative."))
    if beneficiaries is not None and not 0 <= beneficiaries <= 10_000_000:
        raise DomainError(_("Enter a number of beneficiaries between 0 and 10 000 000."), field="beneficiaries")
    try:
        with transaction.atomic():
            report = KpiReport.objects.create(project=project, reported_on=reported_on, fte=fte, revenue_eur=revenue_eur,
                                              beneficiaries=beneficiaries, funding_eur=funding_eur)
            audit_log(actor=by, action="incubator.kpi_reported", target=project,
                      data={"fte": str(fte), "on": str(reported_on)})
    except IntegrityError as error:
        if constraint_name(error) == "kpi_one_report_per_day":
            raise ConflictError(_("Figures were already reported for this day; change the date."), field="reported_on")
        raise
    return report


def milestone_add(*, project: Project, by, title: str, due_on=None) -> Milestone:
    if not selectors.user_can_report(by, project):
        raise NotAllowed(_("Only the project's team, its coach or staff can add milestones."))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the milestone a title."), field="title")
    if due_on is not None:
        check_date(due_on, field="due_on")
    with transaction.atomic():
        milestone = Milestone.objects.create(project=project, title=title[:200], due_on=due_on)
        audit_log(actor=by, action="incubator.milestone_added", target=project, data={"title": milestone.title})
    return milestone


def milestone_tick(*, milestone: Milestone, by, done: bool, on: datetime.date | None = None) -> Milestone:
    """The team (or coach, staff) ticks a milestone done, or unticks it."""
    if not selectors.user_can_report(by, milestone.project):
        raise NotAllowed(_("Only the project's team, its coach or staff can update its milestones."))
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        milestone.done_on = check_date(on or timezone.localdate(), field="done_on", ahead_days=0) if done else None
        milestone.done_by = by if done else None
        milestone.save(update_fields=["done_on", "done_by"])
        audit_log(actor=by, action="incubator.milestone_ticked" if done else "incubator.milestone_unticked",
                  target=milestone.project, data={"milestone": milestone.pk})
    return milestone




# --- Reminders ---

KPI_REMINDER_DAYS_BEFORE_QUARTER_END = 21


def kpi_reminders_send(*, today: datetime.date | None = None) -> int:
    """Periodic: in the last three weeks of a quarter, each founder of an active project with no report
    this quarter gets one reminder. Once per project, quarter and founder: the outbox key
    `incubator-kpi-reminder:<project>:<year>Q<quarter>:<member>` makes a retry or a second run harmless."""
    today = today or timezone.localdate()
    first, last = selectors.quarter_bounds(today)
    if today < last - datetime.timedelta(days=KPI_REMINDER_DAYS_BEFORE_QUARTER_END):
        return 0
    year, quarter = selectors.quarter_of(today)
    due = (
        TeamMember.objects.filter(project__status=Project.Status.ACTIVE, role=TeamMember.Role.FOUNDER,
                                  project__incubation_start__lte=today)
        .exclude(project__kpi_reports__reported_on__range=(first, last))
        .select_related("project", "member")
    )
    sent = 0
    for membership in due:
        member, project = membership.member, membership.project
        _message, created = outbox_enqueue(
            key=f"incubator-kpi-reminder:{project.pk}:{year}Q{quarter}:{member.pk}", to=member.email, user=member,
            template="incubator/kpi_reminder",
            context={"name": member.get_short_name(), "project_name": project.name, "project_id": project.pk,
                     "quarter": f"T{quarter} {year}", "quarter_end": last},
        )
        sent += created
    return sent
