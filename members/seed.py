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


COMMUNES_78 = [
    "Saint-Germain-en-Laye", "Le Pecq", "Poissy", "Chambourcy", "Marly-le-Roi", "Le Vésinet", "Croissy-sur-Seine",
    "Maisons-Laffitte", "Sartrouville", "Houilles", "Chatou", "Mareil-Marly", "L'Étang-la-Ville", "Fourqueux", "Achères",
    "Conflans-Sainte-Honorine", "Versailles", "Louveciennes", "Carrières-sur-Seine", "Montesson", "Les Mureaux", "Mantes-la-Jolie",
]


def seed_members(*, scale: int, rng, stdout) -> None:
    """900 × scale members with memberships over three years; one password hash for all (fast)."""
    import datetime
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from faker import Faker

    from members.models import Membership, MembershipType, PaymentInstructions, Profile, search_text

    # Demo values (the IBAN is the standard French example, not a real account).
    if not PaymentInstructions.objects.exists():
        PaymentInstructions.objects.create(
            helloasso_url="https://www.helloasso.com/associations/le-quai-des-possibles/adhesions/adhesion-annuelle",
            transfer_holder="Association Le Quai des possibles", transfer_iban="FR76 3000 6000 0112 3456 7890 189",
            transfer_bic="AGRIFRPP882", transfer_reference_prefix="ADH",
            desk_details="À l'accueil du Quai, du mardi au samedi de 10 h à 18 h : espèces, chèque ou carte bancaire.",
        )
    types = {
        kind: MembershipType.objects.get_or_create(kind=kind, defaults={"name": name, "amount_eur": Decimal(amount)})[0]
        for kind, name, amount in (
            (MembershipType.Kind.INDIVIDUAL, "Adhésion individuelle", "20"),
            (MembershipType.Kind.REDUCED, "Adhésion solidaire", "5"),
            (MembershipType.Kind.ORGANISATION, "Adhésion structure", "80"),
        )
    }
    if User.objects.filter(email__endswith="@adherents.demo.quai.test").exists():
        return
    fake = Faker("fr_FR")
    fake.seed_instance(rng.randint(0, 10**6))
    password = make_password("quai-demo-member")
    today = timezone.localdate()
    users = []
    for n in range(900 * scale):
        first, last = fake.first_name(), fake.last_name()
        users.append(User(
            email=f"{search_text(first)}.{search_text(last)}.{n}@adherents.demo.quai.test".replace(" ", "-").replace("'", ""),
            first_name=first, last_name=last, password=password,
            date_joined=timezone.now() - datetime.timedelta(days=rng.randint(0, 1100)),
        ))
    users = User.objects.bulk_create(users, batch_size=2000)
    profiles, memberships = [], []
    for user in users:
        commune = rng.choice(COMMUNES_78)
        organisation = fake.company() if rng.random() < 0.2 else ""
        skills = ", ".join(rng.sample(["comptabilité", "graphisme", "jardinage", "couture", "développement web", "animation", "bricolage", "juridique"], 2))
        profiles.append(Profile(user=user, commune=commune, organisation=organisation, skills=skills,
                                phone=fake.phone_number() if rng.random() < 0.6 else "",
                                directory_consent_at=timezone.now() if rng.random() < 0.3 else None,
                                search=search_text(user.first_name, user.last_name, user.email, organisation, skills, commune)))
        for year in range(today.year - 2, today.year + 1):
            if datetime.date(year, 1, 1) > user.date_joined.date() + datetime.timedelta(days=365) or rng.random() < 0.75:
                if datetime.date(year, 12, 31) < user.date_joined.date():
                    continue
                kind = rng.choice([MembershipType.Kind.INDIVIDUAL] * 6 + [MembershipType.Kind.REDUCED] * 3 + [MembershipType.Kind.ORGANISATION])
                paid = max(datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, 120)), user.date_joined.date())
                if paid > today:
                    continue
                memberships.append(Membership(member=user, type=types[kind], starts_on=datetime.date(year, 1, 1), ends_on=datetime.date(year, 12, 31),
                                              amount_paid=types[kind].amount_eur, paid_on=paid,
                                              payment_method=rng.choice(Membership.PaymentMethod.values)))
    Profile.objects.bulk_create(profiles, batch_size=2000)
    Membership.objects.bulk_create(memberships, batch_size=5000)
    # The demo people are members too, as at the Quai: coworkers, founders, holders and coaches are
    # adhérents ("membre@" has no coworking plan).
    for email in ("membre@demo.quai.test", "coworker@demo.quai.test", "incube@demo.quai.test",
                  "porteur@demo.quai.test", "coach@demo.quai.test"):
        member = demo_user(email)
        if not member.memberships.exists():
            Membership.objects.create(member=member, type=types[MembershipType.Kind.INDIVIDUAL], starts_on=datetime.date(today.year, 1, 1),
                                      ends_on=datetime.date(today.year, 12, 31), amount_paid=Decimal("20"),
                                      paid_on=min(datetime.date(today.year, 1, 15), today),
                                      payment_method=Membership.PaymentMethod.HELLOASSO)


def print_demo_logins(stdout) -> None:
    """After seed_demo: the demo accounts, their password and the staff account's TOTP secret."""
    stdout.write("")
    stdout.write("Demo logins (password: %s)" % settings.QUAI_DEMO_PASSWORD)
    for email, role in demo_logins():
        stdout.write(f"  {email:<28} {role}")
    stdout.write(f"  TOTP secret of the staff account (add it to an authenticator app): {DEMO_TOTP_SECRET}")
