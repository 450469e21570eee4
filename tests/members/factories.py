import datetime
from decimal import Decimal

import factory

from members.models import Membership, MembershipType


class MembershipTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipType
        django_get_or_create = ["kind"]

    kind = MembershipType.Kind.INDIVIDUAL
    name = "Adhésion individuelle"
    amount_eur = Decimal("20")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    type = factory.SubFactory(MembershipTypeFactory)
    starts_on = factory.LazyFunction(lambda: datetime.date.today().replace(month=1, day=1))
    ends_on = factory.LazyFunction(lambda: datetime.date.today().replace(month=12, day=31))
    amount_paid = Decimal("20")
    payment_method = "cheque"
    paid_on = factory.LazyFunction(datetime.date.today)
