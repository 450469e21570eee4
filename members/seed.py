"""Demo accounts (always) and a few plain members; other apps attach their data to these people."""

from django.conf import settings

from members.models import User

DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # demo only: printed by `make run`, never used in production data

DEMO_ACCOUNTS = [
    # (e-mail, first name, last name, role shown to the person starting the demo, is_staff)
    ("staff@demo.quai.test", "Sophie", "Lemaire", "staff (back-office, TOTP secret below)", True),
    ("membre@demo.quai.test", "Karim", "Benali", "member, no plan", False),
    ("coworker@demo.quai.test", "Julie", "Moreau", "coworker, full-time plan", False),
    ("incube@demo.quai.test", "Thomas", "Nguyen", "founder of an incubated project", False),
    ("porteur@demo.quai.test", "Amina", "Diallo", "Fabrique project holder (running cohort)", False),
    ("coach@demo.quai.test", "Claire", "Dubois", "coach (incubator and Fabrique)", False),
]


def demo_logins() -> list[tuple[str, str]]:
    return [(email, role) for email, _first, _last, role, _staff in DEMO_ACCOUNTS]


def demo_user(email: str) -> User:
    return User.objects.get(email=email)


def seed_accounts(*, scale: int, rng, stdout) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    password = settings.QUAI_DEMO_PASSWORD
    for email, first, last, _role, is_staff in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"first_name": first, "last_name": last, "is_staff": is_staff, "is_superuser": is_staff},
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if is_staff and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
