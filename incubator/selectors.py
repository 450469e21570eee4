from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404

from incubator.models import KpiReport, MentoringSession, Project


def project_list_for_user(user):
    """Projects the user may see, with what the list pages show (constant number of queries)."""
    latest_fte = KpiReport.objects.filter(project=OuterRef("pk")).order_by("-reported_on").values("fte")[:1]
    return (
        Project.objects.visible_to(user)
        .select_related("coach")
        .prefetch_related("team")
        .annotate(latest_fte=Subquery(latest_fte))
        .order_by("status", "name")
    )


def project_get_for_user(user, pk: int) -> Project:
    """One project the user may see, with its page's data; anyone else gets a 404 (never a 403 that leaks)."""
    return get_object_or_404(
        Project.objects.visible_to(user)
        .select_related("coach")
        .prefetch_related(
            "team",
            "milestones",
            "kpi_reports",
            Prefetch("sessions", queryset=MentoringSession.objects.select_related("coach")),
        ),
        pk=pk,
    )


def user_can_coach(user, project: Project) -> bool:
    return user.is_staff or project.coach_id == user.pk


def user_is_team_member(user, project: Project) -> bool:
    return any(member.pk == user.pk for member in project.team.all())


def inc1_jobs_created(*, until) -> Decimal | None:
    """INC-1: Σ over projects of (latest FTE reported ≤ until − FTE at entry). No report at all → None ("no data")."""
    latest = KpiReport.objects.filter(project=OuterRef("pk"), reported_on__lte=until).order_by("-reported_on")
    rows = (
        Project.objects.filter(incubation_start__lte=until)
        .annotate(latest_fte=Subquery(latest.values("fte")[:1]))
        .exclude(latest_fte=None)
        .values_list("latest_fte", "fte_at_entry")
    )
    rows = list(rows)
    if not rows:
        return None
    return sum((latest - entry for latest, entry in rows), Decimal("0"))


def prj2_projects_created(*, until) -> int:
    """PRJ-2 (incubator side): projects with a creation date ≤ until, each with its evidence."""
    return Project.objects.filter(created_on__lte=until).count()
