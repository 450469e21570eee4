import datetime
from decimal import Decimal

import factory

from coworking.models import OpeningHours, Plan, Resource, Site, Subscription


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = "la Ruche Saint-Germain"
    slug = "ruche-test"

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        # Open every day 8:00–20:00 unless told otherwise, so tests can pick any date.
        if create and extracted is not False:
            for weekday in range(7):
                OpeningHours.objects.get_or_create(
                    site=self, weekday=weekday, defaults={"opens": datetime.time(8), "closes": datetime.time(20)}
                )


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    site = factory.SubFactory(SiteFactory)
    kind = Resource.Kind.DESK
    name = factory.Sequence(lambda n: f"Poste {n}")
    zone = "Open space A"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ["kind"]

    kind = Plan.Kind.FULL_TIME
    name = factory.LazyAttribute(lambda o: o.kind)
    credits = None


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    plan = factory.SubFactory(PlanFactory)
    starts_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=120))
    credits_remaining = None


def ten_day_pass(member, credits="10"):
    return SubscriptionFactory(member=member, plan=PlanFactory(kind=Plan.Kind.TEN_DAYS, credits=Decimal("10")), credits_remaining=Decimal(credits))
