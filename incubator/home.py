"""The founder's project on the home page: next milestone and whether this quarter's figures are due."""

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from incubator.models import KpiReport, Milestone, Project, TeamMember
from incubator.selectors import quarter_bounds


def project_panel(user) -> dict | None:
    """One query: the founder's active project, its next milestone, and this quarter's report if any."""
    today = timezone.localdate()
    first, last = quarter_bounds(today)
    next_milestone = Milestone.objects.filter(project=OuterRef("pk"), done_on__isnull=True).order_by("due_on", "pk")
    project = (
        Project.objects.filter(status=Project.Status.ACTIVE,
                               pk__in=TeamMember.objects.filter(member=user).values("project_id"))
        .annotate(
            next_milestone_title=Subquery(next_milestone.values("title")[:1]),
            next_milestone_due=Subquery(next_milestone.values("due_on")[:1]),
            reported=Exists(KpiReport.objects.filter(project=OuterRef("pk"), reported_on__range=(first, last))),
        )
        .order_by("-incubation_start")
        .first()
    )
    if project is None:
        return None
    return {"project": project, "quarter_end": last}
