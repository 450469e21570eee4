"""What `incubator` contributes to the shared registries."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quai.registry import NavLink, PersonData, Seeder, register_member_link, register_person_data, register_seeder
from quai.registry import register_staff_section


def _my_projects(user):
    from incubator.models import Project

    return Project.objects.filter(Q(team=user) | Q(coach=user))


def _export(user) -> dict:
    from incubator.models import Project

    projects = Project.objects.filter(Q(team=user) | Q(coach=user)).distinct().order_by("pk")
    return {
        "projects": [
            {
                "id": project.pk,
                "name": project.name,
                "role": "coach" if project.coach_id == user.pk else "team",
                "status": project.status,
                "incubation_start": project.incubation_start.isoformat(),
                "incubation_end": project.incubation_end.isoformat() if project.incubation_end else None,
            }
            for project in projects
        ]
    }


def _erase(user) -> None:
    # The project belongs to its team and the counts (PRJ-1/2, INC-1) must survive: the person
    # leaves the team; notes written as coach stay (they are about the project, not about them).
    from incubator.models import MentoringSession, Project

    for project in Project.objects.filter(team=user):
        project.team.remove(user)
    Project.objects.filter(coach=user).update(coach=None)
    MentoringSession.objects.filter(coach=user).update(coach=None)


def _summary(user) -> dict:
    return {"projects": list(_my_projects(user).distinct().order_by("name"))}


def _seed(*, scale, rng, stdout):
    from incubator.seed import seed_incubator

    seed_incubator(scale=scale, rng=rng, stdout=stdout)


register_member_link(
    NavLink(label=_("My projects"), url_name="incubator:my_projects", order=40, visible_if=_my_projects)
)
register_staff_section(NavLink(label=_("Incubator"), url_name="incubator:staff_projects", order=40))
register_person_data(
    PersonData(
        app_label="incubator",
        label=_("Incubator"),
        export=_export,
        erase=_erase,
        summary=_summary,
        summary_template="incubator/person_summary.html",
        order=40,
    )
)
register_seeder(Seeder(name="incubator.demo", func=_seed, order=40))

# Impact (quai.impact): PRJ-1, PRJ-2, INC-1, and the incubator's projects for PRJ-1/PRJ-2.
from incubator import indicators as _indicators  # noqa: E402
from quai.registry import register_indicator, register_project_source  # noqa: E402

for _indicator in _indicators.INDICATORS:
    register_indicator(_indicator)
register_project_source(_indicators.SOURCE)
