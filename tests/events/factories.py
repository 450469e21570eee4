import datetime

import factory
from django.utils import timezone

from events.models import Event


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Café ESS n°{n}")
    kind = Event.Kind.ESS_AWARENESS
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=5))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    capacity = 10
    is_public = True
    status = Event.Status.PUBLISHED
