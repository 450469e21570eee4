"""Factories and named personas shared by every app's tests.

Each app adds its own factories in tests/<app>/factories.py; people come from here.
"""

import factory
from allauth.account.models import EmailAddress
from django.conf import settings

from members.models import User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        # Accounts made by factories have a verified primary address, as after sign-up.
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    is_staff = True
    email = factory.Sequence(lambda n: f"staff{n}@example.org")

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        # Staff must have TOTP (quai.middleware.StaffMFARequiredMiddleware); give them one.
        if create and extracted is not False and settings.QUAI_STAFF_MFA_REQUIRED:
            from allauth.mfa.totp.internal.auth import TOTP

            from tests.auth import STAFF_TOTP_SECRET

            TOTP.activate(self, STAFF_TOTP_SECRET)
