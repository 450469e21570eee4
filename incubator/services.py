from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from incubator.models import KpiReport, MentoringSession, Milestone, Project
from incubator.selectors import user_can_coach, user_is_team_member
from quai.audit import audit_log
from quai.errors import ConflictError, DomainError


def mentoring_session_log(*, project: Project, by, date, duration_min: int, notes: str = "") -> MentoringSession:
    """The coach (or staff) records a mentoring session."""
    if not user_can_coach(by, project):
        raise DomainError(_("Only the project's coach or staff can log a mentoring session."))
    if not 0 < duration_min <= 600:
        raise DomainError(_("The duration must be between 1 and 600 minutes."), field="duration_min")
    return MentoringSession.objects.create(
        project=project, coach=by, date=date, duration_min=duration_min, notes=notes.strip()
    )


def kpi_report_add(
    *, project: Project, by, reported_on, fte: Decimal, revenue_eur: Decimal | None = None, beneficiaries: int | None = None
) -> KpiReport:
    """A founder, the coach or staff reports the project's figures (one report per day)."""
    if not (user_can_coach(by, project) or user_is_team_member(by, project)):
        raise DomainError(_("Only the project's team, its coach or staff can report figures."))
    if fte < 0:
        raise DomainError(_("Jobs (FTE) cannot be negative."), field="fte")
    try:
        with transaction.atomic():
            report = KpiReport.objects.create(
                project=project, reported_on=reported_on, fte=fte, revenue_eur=revenue_eur, beneficiaries=beneficiaries
            )
    except IntegrityError:
        raise ConflictError(_("Figures were already reported for this day; change the date."), field="reported_on")
    audit_log(actor=by, action="incubator.kpi_reported", target=project, data={"fte": str(fte), "on": str(reported_on)})
    return report


def milestone_mark_done(*, milestone: Milestone, by, done_on) -> Milestone:
    if not (user_can_coach(by, milestone.project) or user_is_team_member(by, milestone.project)):
        raise DomainError(_("Only the project's team, its coach or staff can update its milestones."))
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    return milestone


def project_set_status(*, project: Project, by, status: str, end=None) -> Project:
    """Staff close an incubation (graduated or stopped) or reopen it."""
    if not by.is_staff:
        raise DomainError(_("Only staff can change a project's status."))
    if status not in Project.Status.values:
        raise DomainError(_("Unknown status."), field="status")
    with transaction.atomic():
        previous = project.status
        project.status = status
        if status != Project.Status.ACTIVE and end is not None:
            if end < project.incubation_start:
                raise DomainError(_("The end of incubation cannot be before its start."), field="incubation_end")
            project.incubation_end = end
        project.save(update_fields=["status", "incubation_end"])
        audit_log(actor=by, action="incubator.status_changed", target=project, data={"from": previous, "to": status})
    return project
