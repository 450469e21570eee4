"""What `fabrique` contributes to the shared registries."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quai.registry import NavLink, PersonData, Seeder, register_member_link, register_person_data, register_seeder
from quai.registry import register_staff_section


def _my_enrolments(user):
    from fabrique.models import Enrolment

    return Enrolment.objects.filter(holder=user)


def _my_coached(user):
    from fabrique.models import Enrolment

    return Enrolment.objects.filter(coach=user)


def _export(user) -> dict:
    from fabrique.models import Application, Attendance, Enrolment, Submission

    return {
        "applications": [
            {"cohort": a.cohort.name, "commune": a.commune, "territory": a.territory, "project": a.project,
             "stage": a.stage, "motivation": a.motivation, "status": a.status}
            for a in Application.objects.filter(holder=user).select_related("cohort")
        ],
        "enrolments": [
            {"id": e.pk, "cohort": e.cohort.name, "project": e.project_name, "commune": e.commune,
             "graduated_at": e.graduated_at.isoformat() if e.graduated_at else None,
             "coach": e.coach.get_full_name() if e.coach else None}
            for e in Enrolment.objects.filter(holder=user).select_related("cohort", "coach")
        ],
        "submissions": [
            {"deliverable": s.deliverable.title, "version": s.version, "text": s.text, "file": s.original_name,
             "submitted_at": s.submitted_at.isoformat(),
             "review": {"decision": s.review.decision, "feedback": s.review.feedback} if hasattr(s, "review") else None}
            for s in Submission.objects.filter(deliverable__enrolment__holder=user).select_related("deliverable", "review")
        ],
        "attendance": [
            {"session": a.session.title, "starts_at": a.session.starts_at.isoformat(), "status": a.status}
            for a in Attendance.objects.filter(enrolment__holder=user).select_related("session")
        ],
    }


def _erase(user) -> None:
    # Counts (FAB-1..4, PRJ-2) must survive: enrolments, attendance and validations stay, attached to
    # the pseudonymised user; what the person wrote (texts, files, motivation) is wiped.
    from fabrique.models import Application, Enrolment, Submission

    Application.objects.filter(holder=user).update(motivation="", project="—", territory="")
    for submission in Submission.objects.filter(deliverable__enrolment__holder=user).exclude(file=""):
        submission.file.delete(save=False)
    Submission.objects.filter(deliverable__enrolment__holder=user).update(text="—", file="", original_name="")
    Enrolment.objects.filter(coach=user).update(coach=None)


def _summary(user) -> dict:
    from fabrique.models import Enrolment

    return {"enrolments": list(Enrolment.objects.filter(holder=user).select_related("cohort"))}


def _pending(user) -> list:
    from fabrique.models import Enrolment

    if Enrolment.objects.filter(holder=user, graduated_at__isnull=True, cohort__end__gte=timezone.localdate()).exists():
        return [str(_("Enrolled in a running Fabrique cohort."))]
    return []


def _seed(*, scale, rng, stdout):
    from fabrique.seed import seed_fabrique

    seed_fabrique(scale=scale, rng=rng, stdout=stdout)


register_member_link(NavLink(label=_("My Fabrique"), url_name="fabrique:home", order=50, visible_if=_my_enrolments))
register_member_link(NavLink(label=_("Fabrique coaching"), url_name="fabrique:coach", order=51, visible_if=_my_coached))
register_staff_section(NavLink(label=_("Fabrique de Territoire"), url_name="fabrique:staff_cohorts", order=50))
register_person_data(
    PersonData(app_label="fabrique", label=_("Fabrique de Territoire"), export=_export, erase=_erase, summary=_summary,
               summary_template="fabrique/person_summary.html", pending=_pending, order=50)
)
register_seeder(Seeder(name="fabrique.demo", func=_seed, order=50))


def _register_home_panels() -> None:
    from fabrique.home import programme_panel
    from quai.registry import HomePanel, register_home_panel

    register_home_panel(HomePanel(name="fabrique.programme", template="fabrique/home_panel.html", context=programme_panel, order=15))


_register_home_panels()
# Impact (quai.impact) and the staff home's "today" figures.
from fabrique import indicators as _indicators  # noqa: E402
from quai.registry import StaffCard, register_indicator, register_project_source, register_staff_card  # noqa: E402

for _indicator in _indicators.INDICATORS:
    register_indicator(_indicator)
register_project_source(_indicators.SOURCE)
register_staff_card(StaffCard(key="fabrique.reviews", label=_("Submissions waiting for review"),
                              compute=_indicators.card_submissions_waiting, url_name="fabrique:coach", order=50))  # the review queue (all of it for staff)


def _person_search(*, text, people, limit):
    from fabrique.selectors import staff_person_search

    return staff_person_search(text=text, people=people, limit=limit)


from quai.registry import PersonSearch, register_person_search  # noqa: E402

register_person_search(PersonSearch(app_label="fabrique", label=_("Fabrique de Territoire holders"), search=_person_search, order=50))
