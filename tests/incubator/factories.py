import datetime

import factory
from django.utils import timezone

from incubator.models import Application, Call, Criterion, Project, TeamMember


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Projet à impact {n}")
    sector = "Réemploi"
    incubation_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        """team=[founder, …]: founders (use TeamMemberFactory for other roles)."""
        if create and extracted:
            for member in extracted:
                TeamMember.objects.create(project=self, member=member, role=TeamMember.Role.FOUNDER)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    project = factory.SubFactory(ProjectFactory)
    member = factory.SubFactory("tests.factories.UserFactory")
    role = TeamMember.Role.FOUNDER


class CallFactory(factory.django.DjangoModelFactory):
    """An open call (from 10 days ago to 20 days ahead) with two questions and a two-line rubric."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Appel à candidatures {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    questions = factory.LazyFunction(lambda: ["Quel besoin du territoire ?", "Qui porte le projet ?"])

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if create:
            for order, (label, weight) in enumerate(extracted or [("Impact social", 3), ("Équipe", 1)]):
                Criterion.objects.create(call=self, label=label, weight=weight, order=order)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory("tests.factories.UserFactory")
    project_name = factory.Sequence(lambda n: f"Candidature {n}")
    summary = "Une épicerie solidaire en circuit court."
    answers = factory.LazyFunction(lambda: ["Se nourrir bien à petit prix", "Deux habitantes du quartier"])
    status = Application.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
