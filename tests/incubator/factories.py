import datetime

import factory

from incubator.models import Project


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Projet à impact {n}")
    sector = "Réemploi"
    incubation_start = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=100))

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        if create and extracted:
            self.team.add(*extracted)
