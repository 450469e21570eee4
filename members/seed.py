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

    from django.contrib.auth.hashers import make_password

    password = None  # hashed once for the six accounts (PBKDF2 takes about a second on a busy machine)
    for email, first, last, _role, is_staff in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"first_name": first, "last_name": last, "is_staff": is_staff, "is_superuser": is_staff},
        )
        if created:
            password = password or make_password(settings.QUAI_DEMO_PASSWORD)
            user.password = password
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
    """900 × scale members with memberships over three years; one password hash for all (fast).
    Loaded with COPY (quai.bulk): 90 000 people and their profiles at --scale 100."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from faker import Faker

    from members.models import Membership, MembershipType, PaymentInstructions, Profile, search_text
    from quai.bulk import allocate_ids, copy_rows

    # Demo values (the IBAN is the standard French example, not a real account).
    if not PaymentInstructions.objects.exists():
        PaymentInstructions.objects.create(
            helloasso_url="https://www.helloasso.com/associations/le-quai-des-possibles/adhesions/adhesion-annuelle",
            transfer_holder="Association Le Quai des possibles", transfer_iban="FR76 3000 6000 0112 3456 7890 189",
            transfer_bic="AGRIFRPP882", transfer_reference_prefix="ADH",
            desk_details="À l'accueil du Quai, du mardi au samedi de 10 h à 18 h : espèces, chèque ou carte bancaire.",
        )
    types = membership_types()
    if User.objects.filter(email__endswith="@adherents.demo.quai.test").exists():
        return
    fake = Faker("fr_FR")
    fake.seed_instance(rng.randint(0, 10**6))
    password = make_password("quai-demo-member")
    now = timezone.now()
    today = timezone.localdate()
    count = 900 * scale
    ids = allocate_ids(User, count)
    users, profiles, memberships = [], [], []
    skills_pool = ["comptabilité", "graphisme", "jardinage", "couture", "développement web", "animation", "bricolage", "juridique"]
    kinds = [MembershipType.Kind.INDIVIDUAL] * 6 + [MembershipType.Kind.REDUCED] * 3 + [MembershipType.Kind.ORGANISATION]
    methods = Membership.PaymentMethod.values
    for n, user_id in enumerate(ids):
        first, last = fake.first_name(), fake.last_name()
        email = f"{search_text(first)}.{search_text(last)}.{n}@adherents.demo.quai.test".replace(" ", "-").replace("'", "")
        joined = now - datetime.timedelta(days=rng.randint(0, 1100))
        users.append((user_id, email, first, last, password, joined))
        commune = rng.choice(COMMUNES_78)
        organisation = fake.company() if rng.random() < 0.2 else ""
        skills = ", ".join(rng.sample(skills_pool, 2))
        profiles.append((user_id, commune, organisation, skills, fake.phone_number() if rng.random() < 0.6 else "",
                         now if rng.random() < 0.3 else None, search_text(first, last, email, organisation, skills, commune)))
        joined_on = timezone.localdate(joined)  # the Paris day (the rules compare days)
        for year in range(today.year - 2, today.year + 1):
            if datetime.date(year, 1, 1) > joined_on + datetime.timedelta(days=365) or rng.random() < 0.75:
                if datetime.date(year, 12, 31) < joined_on:
                    continue
                kind = rng.choice(kinds)
                paid = max(datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, 120)), joined_on)
                if paid > today:
                    continue
                memberships.append((user_id, types[kind].pk, datetime.date(year, 1, 1), datetime.date(year, 12, 31),
                                    types[kind].amount_eur, paid, rng.choice(methods)))
    copy_rows(User, ("id", "email", "first_name", "last_name", "password", "date_joined"), users)
    copy_rows(Profile, ("user_id", "commune", "organisation", "skills", "phone", "directory_consent_at", "search"), profiles)
    copy_rows(Membership, ("member_id", "type_id", "starts_on", "ends_on", "amount_paid", "paid_on", "payment_method"), memberships)
    # The demo people are members too, as at the Quai: coworkers, founders, holders and coaches are
    # adhérents ("membre@" has no coworking plan); the seeders of their activities extend this
    # to every day they are active (memberships_ensure).
    memberships_ensure(spans=[(demo_user(email).pk, today, today) for email in (
        "membre@demo.quai.test", "coworker@demo.quai.test", "incube@demo.quai.test", "porteur@demo.quai.test", "coach@demo.quai.test")])


def membership_types() -> dict:
    from decimal import Decimal

    from members.models import MembershipType

    return {
        kind: MembershipType.objects.get_or_create(kind=kind, defaults={"name": name, "amount_eur": Decimal(amount)})[0]
        for kind, name, amount in (
            (MembershipType.Kind.INDIVIDUAL, "Adhésion individuelle", "20"),
            (MembershipType.Kind.REDUCED, "Adhésion solidaire", "5"),
            (MembershipType.Kind.ORGANISATION, "Adhésion structure", "80"),
        )
    }


def memberships_ensure(*, spans) -> int:
    """Demo people who use the Quai (coworkers, project holders, founders, coaches) are adhérents on
    every day they do: for each (member id, first day, last day) add the individual memberships
    missing for the seasons in between (one per season, paid at its start or when the person
    joined), and move `date_joined` back to the first of them when the account looks younger.
    Returns the number of memberships added."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from members.models import Membership, MembershipType
    from members.periods import season_bounds
    from quai.bulk import copy_rows

    individual = membership_types()[MembershipType.Kind.INDIVIDUAL]
    today = timezone.localdate()
    needed: dict[int, set[datetime.date]] = {}
    for member_id, first, last in spans:
        day = first
        while day <= max(first, last):
            season_first, season_last = season_bounds(start_month=individual.season_start_month, day=day)
            needed.setdefault(member_id, set()).add(season_first)
            day = season_last + datetime.timedelta(days=1)
    if not needed:
        return 0
    held: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
    for member_id, starts_on, ends_on in Membership.objects.filter(member_id__in=needed).values_list("member_id", "starts_on", "ends_on"):
        held.setdefault(member_id, []).append((starts_on, ends_on))
    rows, joined_before = [], {}
    for member_id, seasons in needed.items():
        for season_first in sorted(seasons):
            season_last = season_bounds(start_month=individual.season_start_month, day=season_first)[1]
            if any(starts_on <= season_first and ends_on >= min(season_last, today) for starts_on, ends_on in held.get(member_id, [])):
                continue
            # Renewed in the weeks before the season opens (never later than today).
            paid_on = min(season_first - datetime.timedelta(days=(member_id * 7) % 20), today)
            rows.append((member_id, individual.pk, season_first, season_last, individual.amount_eur, paid_on, "helloasso"))
            joined_before[member_id] = min(paid_on, joined_before.get(member_id, paid_on))
    copy_rows(Membership, ("member_id", "type_id", "starts_on", "ends_on", "amount_paid", "paid_on", "payment_method"), rows)
    if joined_before:
        # An account is not younger than its first payment: one UPDATE for everyone concerned.
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE members_user AS u SET date_joined = f.joined
                FROM (SELECT member_id, ((min(paid_on) - 1) + time '12:00') AT TIME ZONE %s AS joined
                      FROM members_membership WHERE member_id = ANY(%s) AND paid_on IS NOT NULL GROUP BY member_id) AS f
                WHERE u.id = f.member_id AND u.date_joined > f.joined
                """,
                [settings.TIME_ZONE, list(joined_before)],
            )
    return len(rows)


def print_demo_logins(stdout) -> None:
    """After seed_demo: the demo accounts, their password and the staff account's TOTP secret."""
    stdout.write("")
    stdout.write("Demo logins (password: %s)" % settings.QUAI_DEMO_PASSWORD)
    for email, role in demo_logins():
        stdout.write(f"  {email:<28} {role}")
    stdout.write(f"  TOTP secret of the staff account (add it to an authenticator app): {DEMO_TOTP_SECRET}")
