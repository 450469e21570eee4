"""What `incubator` contributes to the shared registries."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quai.registry import NavLink, PersonData, Seeder, register_member_link, register_person_data, register_seeder
from quai.registry import register_staff_section


def _my_projects(user):
    from incubator.models import Project

    return Project.objects.filter(Q(team=user) | Q(coach=user))


def _show_incubator_link(user):
    """Team members and coaches, applicants, and every member while a call is open (a QuerySet, non-empty
    when the link applies: the navigation answers all links in one query)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists

    from incubator.models import Call

    return get_user_model().objects.filter(pk=user.pk).filter(
        Q(incubated_projects__isnull=False) | Q(coached_projects__isnull=False)
        | Q(incubator_applications__isnull=False) | Exists(Call.objects.open_on(timezone.localdate()))
    )


def _export(user) -> dict:
    from incubator.models import Application, Project, TeamMember

    roles = dict(TeamMember.objects.filter(member=user).values_list("project_id", "role"))
    projects = Project.objects.filter(Q(team=user) | Q(coach=user)).distinct().order_by("pk")
    return {
        "projects": [
            {
                "id": project.pk,
                "name": project.name,
                "role": roles.get(project.pk, "coach"),
                "status": project.status,
                "incubation_start": project.incubation_start.isoformat(),
                "incubation_end": project.incubation_end.isoformat() if project.incubation_end else None,
            }
            for project in projects
        ],
        "applications": [
            {"id": a.pk, "call": a.call.title, "project_name": a.project_name, "summary": a.summary,
             "answers": a.answers, "status": a.status}
            for a in Application.objects.filter(applicant=user).select_related("call").order_by("pk")
        ],
    }


def _erase(user) -> None:
    # The project belongs to its team and the counts (PRJ-1/2, INC-1) must survive: the person
    # leaves the team; notes written as coach stay (they are about the project, not about them).
    from incubator.models import Application, MentoringSession, Project, TeamMember

    TeamMember.objects.filter(member=user).delete()
    Project.objects.filter(coach=user).update(coach=None)
    MentoringSession.objects.filter(coach=user).update(coach=None)
    Application.objects.filter(applicant=user).update(project_name="—", summary="", answers=[])


def _summary(user) -> dict:
    return {"projects": list(_my_projects(user).distinct().order_by("name"))}


def _seed(*, scale, rng, stdout):
    from incubator.seed import seed_incubator

    seed_incubator(scale=scale, rng=rng, stdout=stdout)


register_member_link(
    NavLink(label=_("Incubator"), url_name="incubator:my_projects", order=40, visible_if=_show_incubator_link)
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


def _register_home_panels() -> None:
    from incubator.home import project_panel
    from quai.registry import HomePanel, register_home_panel

    register_home_panel(HomePanel(name="incubator.project", template="incubator/home_panel.html", context=project_panel,
                                  order=16))


_register_home_panels()


def _person_search(*, text, people, limit):
    from incubator.selectors import staff_person_search

    return staff_person_search(text=text, people=people, limit=limit)


from quai.registry import PersonSearch, register_person_search  # noqa: E402

register_person_search(PersonSearch(app_label="incubator", label=_("Incubated projects and their teams"), search=_person_search, order=40))
