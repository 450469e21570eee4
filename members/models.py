import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quai.inputs import DATE_MAX, DATE_MIN, validate_date_range


def normalize_email_address(email: str) -> str:
    """The one normalisation of e-mail addresses in Quai: trimmed and lower-cased."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalize_email_address(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email=normalize_email_address(email))


# The staff search's full-text vectors ('simple': no stemming, words as written; the profile's
# column is already lower-case without accents). Each is also the expression of a GIN index.
USER_SEARCH_VECTOR = SearchVector("first_name", "last_name", "email", config="simple")
PROFILE_SEARCH_VECTOR = SearchVector("search", config="simple")


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: member, coworker, project holder, coach or staff. E-mail is the login."""

    class Language(models.TextChoices):
        FR = "fr", "Français"
        EN = "en", "English"

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.FR)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can use the back-office (/staff/) and the admin.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            # The staff member list, sorted by name (100 000 members: no full sort per page).
            models.Index(fields=["last_name", "first_name", "id"], name="user_name_idx"),
            # The staff search for accounts that have no profile yet (members.selectors.member_list):
            # core full-text search, no extension needed.
            GinIndex(USER_SEARCH_VECTOR, name="user_search_gin"),
        ]
        constraints = [
            # Addresses are stored normalised; this guards against any path that forgets to.
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email_address(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def for_key(self, key: str):
        return self.filter(key_hash=_hash_key(key))


def token_lifetime_days() -> int:
    from django.conf import settings

    return settings.QUAI_API_TOKEN_DAYS


def token_default_expiry():
    return timezone.now() + timedelta(days=token_lifetime_days())


class ApiToken(models.Model):
    """A personal API token (`Authorization: Token <key>`). Only its hash is stored."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    # A forgotten token stops working on its own (QUAI_API_TOKEN_DAYS, 90 days by default).
    expires_at = models.DateTimeField(_("expires at"), default=token_default_expiry)
    # Staff powers only for a token minted by a staff account after its second factor (or by an
    # operator): a member's token does not become a staff token when the member joins the staff.
    staff_powers = models.BooleanField(_("staff powers"), default=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def issue(cls, *, user: User, name: str, days: int | None = None) -> tuple["ApiToken", str]:
        """Create a token valid `days` days (default QUAI_API_TOKEN_DAYS); returns (token, key).
        The key is shown once and never stored in clear. `user` is the account as its powers
        stand now: a staff session without its second factor is a member (quai.second_factor)
        and may not mint one at all (members.views)."""
        key = "quai_" + secrets.token_urlsafe(32)
        now = timezone.now()
        token = cls.objects.create(
            user=user, name=name, key_prefix=key[:10], key_hash=_hash_key(key),
            created_at=now, expires_at=now + timedelta(days=days or token_lifetime_days()),
            staff_powers=user.is_staff or user.is_superuser,
        )
        return token, key

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


def search_text(*parts: str) -> str:
    """Lower-case, accents removed: what the staff search compares (no unaccent extension needed)."""
    import unicodedata

    text = " ".join(part for part in parts if part)
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def photo_path(profile, filename: str) -> str:
    # A random name: the file's place on disk says nothing about its owner.
    return f"members/photos/{secrets.token_hex(16)}.img"


class Profile(models.Model):
    """What a member tells about themselves, and their consents (each with its date)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True, help_text=_("Comma-separated, e.g. “comptabilité, graphisme”."))
    interests = models.CharField(_("interests"), max_length=300, blank=True)
    bio = models.TextField(_("short bio"), max_length=600, blank=True)
    # Private file (no public URL): served by members.views.PhotoView to whoever may see it.
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    directory_consent_at = models.DateTimeField(_("listed in the directory since"), null=True, blank=True)
    newsletter_consent_at = models.DateTimeField(_("newsletter consent since"), null=True, blank=True)
    image_rights_consent_at = models.DateTimeField(_("image rights consent since"), null=True, blank=True)
    # Normalised "first last e-mail organisation skills" for accent-insensitive search.
    search = models.TextField(editable=False, default="")
    flagged_inactive_at = models.DateTimeField(_("flagged inactive on"), null=True, blank=True)
    erasure_requested_at = models.DateTimeField(_("erasure requested on"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        indexes = [
            # The staff search at 100 000 members (members.selectors.member_list): words of the
            # normalised column, prefix-matched through core full-text search.
            GinIndex(PROFILE_SEARCH_VECTOR, name="profile_search_gin"),
        ]

    def refresh_search(self) -> None:
        user = self.user
        self.search = search_text(user.first_name, user.last_name, user.email, self.organisation, self.skills, self.commune)


class MembershipType(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", pgettext_lazy("membership type", "Individual")
        REDUCED = "reduced", _("Reduced / solidarity")
        ORGANISATION = "organisation", _("Organisation")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount_eur = models.DecimalField(_("amount (€)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])
    # 0 = the season in which the membership starts (see members.periods); otherwise N months from the start.
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), default=0, help_text=_("0 = the season (see “season starts in”); otherwise N months from the start")
    )
    # 1 = the calendar year; 9 = a September–August season, as many associations count their year.
    season_start_month = models.PositiveSmallIntegerField(
        _("season starts in (month)"), default=1, help_text=_("1 = calendar year (January–December); 9 = September–August")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership type")
        verbose_name_plural = _("membership types")
        ordering = ["amount_eur"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_eur__gte=0),
                name="membershiptype_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(season_start_month__gte=1, season_start_month__lte=12),
                name="membershiptype_season_month_valid",
                violation_error_message=_("The season starts in a month from 1 to 12."),
            ),
        ]

    def __str__(self) -> str:
        # In the active language's format ("20,00 €" in French), as every other amount shown.
        amount = number_format(self.amount_eur, decimal_pos=2, use_l10n=True, force_grouping=True)
        return f"{self.name} ({amount}\u00a0€)"


def membership_valid_on(day) -> models.Q:
    """A paid membership whose period holds `day` (MEM-1, the member's status)."""
    return models.Q(starts_on__lte=day, ends_on__gte=day, paid_on__isnull=False)


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: every membership; anyone else: their own."""
        return self if user.is_staff else self.filter(member=user)

    def valid_on(self, day):
        return self.filter(membership_valid_on(day))

    def ending_unrenewed_in_month_of(self, day):
        """Paid memberships ending in the month of `day` that no later paid membership of their
        member follows: whom to ask to renew this month (the staff home's card, the member list's
        "Ends this month")."""
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        later = Membership.objects.filter(member=models.OuterRef("member"), paid_on__isnull=False, ends_on__gt=models.OuterRef("ends_on"))
        return self.filter(paid_on__isnull=False, ends_on__gte=first, ends_on__lt=following).exclude(models.Exists(later))


class Membership(models.Model):
    """One adhésion: a period, what was paid, how. Status (active, expiring, expired) derives from dates."""

    class PaymentMethod(models.TextChoices):
        CASH = "cash", _("Cash")
        CHEQUE = "cheque", _("Cheque")
        TRANSFER = "transfer", _("Bank transfer")
        CARD = "card", _("Card")
        HELLOASSO = "helloasso", _("HelloAsso")

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("member"))
    type = models.ForeignKey(MembershipType, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("type"))
    starts_on = models.DateField(_("from"), validators=[validate_date_range])
    ends_on = models.DateField(_("until (inclusive)"), validators=[validate_date_range])
    amount_paid = models.DecimalField(
        _("amount paid (€)"), max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    payment_method = models.CharField(_("payment method"), max_length=12, choices=PaymentMethod.choices, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    # Where the payment was read from: "helloasso" when the member import read it from an export,
    # with the order's "Référence commande" as payment_reference.
    source = models.CharField(_("imported from"), max_length=12, choices=[("helloasso", "HelloAsso")], blank=True, default="")
    # Empty while a renewal requested by the member waits for staff to confirm the payment.
    paid_on = models.DateField(_("paid on"), null=True, blank=True, validators=[validate_date_range])
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-starts_on"]
        indexes = [
            # MEM-1 and the staff list's status filter: "valid on this date".
            models.Index(fields=["ends_on", "starts_on"], name="membership_period_idx"),
            # The staff list's status filters: "does this member hold a membership ending after X".
            models.Index(fields=["member", "ends_on"], name="membership_member_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="membership_dates_ordered",
                violation_error_message=_("The membership must end after it starts."),
            ),
            # A membership starting in year 9999 made every later payment of the member overflow
            # ("the day after it ends"): the dates stay within the years Quai handles.
            models.CheckConstraint(
                condition=models.Q(starts_on__gte=DATE_MIN) & models.Q(ends_on__lte=DATE_MAX)
                & (models.Q(paid_on__isnull=True) | models.Q(paid_on__gte=DATE_MIN, paid_on__lte=DATE_MAX)),
                name="membership_dates_in_range",
                violation_error_message=_("Give dates between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount_paid__isnull=True) | models.Q(amount_paid__gte=0),
                name="membership_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            # One renewal waiting for payment per member, whatever the path (two clicks, two tabs).
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(paid_on__isnull=True),
                name="membership_one_pending_per_member",
                violation_error_message=_("A renewal is already waiting for the team to confirm the payment."),
            ),
            # Re-importing a HelloAsso export changes nothing: one membership per order and member
            # (a family order pays for several members, one line each).
            models.UniqueConstraint(
                fields=["member", "payment_reference"], condition=models.Q(source="helloasso"),
                name="membership_helloasso_order_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.type} ({self.starts_on} → {self.ends_on})"

    def status_on(self, day) -> str:
        if self.paid_on is None:
            return "pending"
        if day > self.ends_on:
            return "expired"
        if day < self.starts_on:
            return "upcoming"
        return "expiring" if (self.ends_on - day).days <= 30 else "active"


class HelloAssoRate(models.Model):
    """A HelloAsso campaign rate ("Tarif") and the membership type staff chose for it in an import's
    dry run; remembered so the next import of the campaign proposes it."""

    name = models.CharField(_("HelloAsso rate"), max_length=200)
    # search_text(name): the export's spelling may vary in case and accents between campaigns.
    key = models.CharField(max_length=200, unique=True, editable=False)
    membership_type = models.ForeignKey(MembershipType, on_delete=models.CASCADE, related_name="helloasso_rates", verbose_name=_("membership type"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("HelloAsso rate")
        verbose_name_plural = _("HelloAsso rates")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.membership_type.name}"

    @staticmethod
    def key_for(name: str) -> str:
        return " ".join(search_text(name or "").split())

    def save(self, *args, **kwargs):
        self.key = self.key_for(self.name)
        super().save(*args, **kwargs)


class PaymentInstructions(models.Model):
    """How members pay their dues, shown with the amount when they renew (account page).
    One row (pk=1, enforced by the database), edited by staff in the admin; an empty field hides
    that way of paying."""

    helloasso_url = models.URLField(_("HelloAsso campaign link"), blank=True, help_text=_("The membership campaign page, e.g. https://www.helloasso.com/associations/…/adhesions/…"))
    transfer_holder = models.CharField(_("account holder"), max_length=150, blank=True)
    transfer_iban = models.CharField(_("IBAN"), max_length=42, blank=True)
    transfer_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    transfer_reference_prefix = models.CharField(
        _("transfer reference prefix"), max_length=20, default="ADH",
        help_text=_("The member writes this prefix and their request number on the transfer, e.g. ADH-1234."),
    )
    desk_details = models.TextField(
        _("paying at the desk"), blank=True,
        help_text=_("Where and when members can pay in person (cash, cheque, card). Empty: not offered."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payment instructions")
        verbose_name_plural = _("payment instructions")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="paymentinstructions_single_row"),
        ]

    def __str__(self) -> str:
        return str(_("How to pay the membership"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "PaymentInstructions":
        instructions, _created = cls.objects.get_or_create(pk=1)
        return instructions

    def transfer_reference(self, membership) -> str:
        return f"{self.transfer_reference_prefix}-{membership.pk}"

    @property
    def offers_transfer(self) -> bool:
        return bool(self.transfer_iban)
