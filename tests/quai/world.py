"""A small tiers-lieu with one of everything, for tests that sweep every route (the authorization
matrix, schemathesis): eleven personas and objects that each belong to one of them.

Objects in URLs belong to member A, founder X or holder H1, so that their twins (B, Y, H2) must get
a 404 on them. Nothing here depends on a test; every object is made through factories or services.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PERSONAS = (
    "anonymous",
    "member_a",
    "member_b",
    "coworker",
    "founder_x",
    "founder_y",
    "holder_h1",
    "holder_h2",
    "coach",
    "staff_no_2fa",
    "staff",
)


@dataclass
class World:
    people: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)  # strings that stand in URLs (feed token, cancel token...)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def _png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 80, 40)).save(buffer, "PNG")
    return SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")


def build_world() -> World:
    from django.contrib.auth.models import Group, Permission

    from coworking import services as coworking_services
    from coworking.models import CalendarFeed
    from coworking.services import PARIS, local_dt
    from events import services as event_services
    from fabrique import services as fabrique_services
    from incubator.models import KpiReport, MentoringSession, Milestone
    from members import services as member_services
    from members.models import ApiToken
    from tests.coworking.factories import ResourceFactory, SiteFactory, SubscriptionFactory
    from tests.events.factories import EventFactory
    from tests.events.factories_declic import individual
    from tests.fabrique.factories import make_sessions, pdf
    from tests.factories import StaffFactory, UserFactory
    from tests.incubator.factories import ApplicationFactory, CallFactory, ProjectFactory
    from tests.members.factories import MembershipFactory

    world = World()
    people = world.people
    people["member_a"] = UserFactory(email="a@example.org", first_name="Anne", last_name="Aubert")
    people["member_b"] = UserFactory(email="b@example.org", first_name="Bruno", last_name="Bailly")
    people["coworker"] = UserFactory(email="coworker@example.org", first_name="Chloé", last_name="Cowork")
    people["founder_x"] = UserFactory(email="x@example.org", first_name="Xavier", last_name="Xeres")
    people["founder_y"] = UserFactory(email="y@example.org", first_name="Yasmine", last_name="Yvon")
    people["holder_h1"] = UserFactory(email="h1@example.org", first_name="Hélène", last_name="Un")
    people["holder_h2"] = UserFactory(email="h2@example.org", first_name="Hugo", last_name="Deux")
    people["coach"] = UserFactory(email="coach@example.org", first_name="Camille", last_name="Coach")
    people["staff_no_2fa"] = StaffFactory(email="staff-no-2fa@example.org", first_name="Sam", last_name="Sansfacteur")
    people["staff"] = StaffFactory(email="staff@example.org", first_name="Sophie", last_name="Lemaire")
    a, staff = people["member_a"], people["staff"]
    # What the team's group gives staff in the admin (each deployment sets its own): viewing the
    # sampled models is enough for the matrix.
    team = Group.objects.create(name="Équipe")
    team.permissions.set(Permission.objects.filter(codename__startswith="view_"))
    for person in (people["staff_no_2fa"], staff):
        person.groups.add(team)

    for person in (a, people["member_b"], people["coworker"]):
        MembershipFactory(member=person)
    for person in (a, people["member_b"], people["coworker"]):
        SubscriptionFactory(member=person)

    objects = world.objects
    site = objects["site"] = SiteFactory()
    desk = objects["desk"] = ResourceFactory(site=site, name="Poste A1")
    ResourceFactory(site=site, kind="room", name="Salle Seine", capacity=8, zone="")
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    objects["booking_a"] = coworking_services.booking_create(
        member=a, resource=desk, starts_at=local_dt(day, datetime.time(9)), ends_at=local_dt(day, datetime.time(13))
    )
    world.tokens["feed_a"] = CalendarFeed.objects.create(member=a).token
    objects["token_a"], _key = ApiToken.issue(user=a, name="A's sync")
    member_services.profile_set_photo(user=a, upload=_png())  # A is not in the directory: only A and staff see it

    event = objects["event"] = EventFactory(title="Café ESS", site=site)
    objects["members_event"] = EventFactory(title="Atelier adhérents", is_public=False)
    objects["registration_a"] = event_services.registration_create(event=event, member=a)
    world.tokens["cancel_a"] = event_services.cancel_link(objects["registration_a"]).rstrip("/").rsplit("/", 1)[1]
    world.tokens["feedback_a"] = event_services.feedback_link(objects["registration_a"]).rstrip("/").rsplit("/", 1)[1]
    objects["mediation_activity"] = individual(by=staff, date=timezone.localdate() - datetime.timedelta(days=2), duree=45)

    project = objects["project_x"] = ProjectFactory(name="Recyclerie du Pecq", team=[people["founder_x"]], coach=people["coach"])
    ProjectFactory(name="Ferme urbaine", team=[people["founder_y"]])
    objects["milestone_x"] = Milestone.objects.create(project=project, title="Premier client", due_on=timezone.localdate())
    objects["call"] = CallFactory(title="Appel 2026")
    objects["application_x"] = ApplicationFactory(call=objects["call"], applicant=people["founder_x"], project_name="Recyclerie 2")
    objects["mentoring_session_x"] = MentoringSession.objects.create(project=project, coach=people["coach"],
                                                                     date=timezone.localdate(), duration_min=60)
    KpiReport.objects.create(project=project, reported_on=timezone.localdate() - datetime.timedelta(days=7), fte=2)

    cohort = objects["cohort"] = fabrique_services.cohort_create(
        by=staff, name="Promotion 2026", year=2026, start=timezone.localdate() - datetime.timedelta(days=30),
        end=timezone.localdate() + datetime.timedelta(days=150),
    )
    cohort.applications_open = True
    cohort.save(update_fields=["applications_open"])
    objects["application_h2"] = fabrique_services.application_submit(
        cohort=cohort, holder=people["holder_h2"], commune="Poissy", project="La Grange", motivation="Un lieu", stage="idea"
    )
    enrolment = objects["enrolment_h1"] = fabrique_services.enrol(
        cohort=cohort, holder=people["holder_h1"], coach=people["coach"], project_name="Tiers-lieu de Chatou", commune="Chatou"
    )
    fabrique_services.enrol(cohort=cohort, holder=people["holder_h2"], project_name="La Grange", commune="Poissy")
    deliverable = objects["deliverable_h1"] = enrolment.deliverables.order_by("pk").first()
    objects["submission_h1"] = fabrique_services.submission_create(
        deliverable=deliverable, by=people["holder_h1"], text="Notre proposition de valeur", upload=pdf()
    )
    objects["session"] = make_sessions(cohort, n=1)[0]
    objects["module"] = cohort.modules.get(month=1)
    return world
