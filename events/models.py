import datetime
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quai.inputs import DATE_MAX, DATE_MIN, validate_date_range

# The handled years as instants, for the CHECK constraints on timestamps (quai.inputs).
EARLIEST = datetime.datetime.combine(DATE_MIN, datetime.time.min, tzinfo=datetime.timezone.utc)
LATEST = datetime.datetime.combine(DATE_MAX, datetime.time.max, tzinfo=datetime.timezone.utc)


# "Seats taken": confirmed registrations, walk-ins left out (people at the door, not seats sold:
# they never push anyone to the waiting list). The one statement of the rule: the services recount
# with RegistrationQuerySet.seats_taken() under the event lock, pages and the API annotate with
# EventQuerySet.with_seats_taken().
def _seats_taken_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": "confirmed", f"{prefix}walk_in": False})


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Anonymous: published (or cancelled) public events; members: also members-only; staff: everything."""
        if user is not None and user.is_authenticated and user.is_staff:
            return self
        queryset = self.filter(status__in=["published", "cancelled"])
        if user is None or not user.is_authenticated:
            queryset = queryset.filter(is_public=True)
        return queryset

    def with_seats_taken(self):
        """Each event with `seats_taken`, in the same query: a correlated count(*) per event row, from
        registration_seat_idx alone (an index-only scan), so a page of 30 events counts the seats of
        those 30 only. A JOIN + GROUP BY would aggregate every registration of every matching event
        before the LIMIT (1.6 M rows at seed_demo --scale 100)."""
        taken = (
            Registration.objects.filter(_seats_taken_q(), event=OuterRef("pk"))
            .order_by().values("event").annotate(n=Count("*")).values("n")
        )
        return self.annotate(seats_taken=Coalesce(Subquery(taken), 0))


class Event(models.Model):
    class Kind(models.TextChoices):
        ESS_AWARENESS = "ess_awareness", _("ESS awareness")
        ESS_TRAINING = "ess_training", _("ESS training")
        DIGITAL_WORKSHOP = "digital_workshop", _("Déclic Numérique workshop")
        NETWORKING = "networking", _("Networking / afterwork")
        FABRIQUE_SESSION = "fabrique_session", _("Fabrique session")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    ESS_KINDS = (Kind.ESS_AWARENESS, Kind.ESS_TRAINING)

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description (Markdown)"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    themes = ArrayField(models.CharField(max_length=60), verbose_name=_("themes"), default=list, blank=True)
    starts_at = models.DateTimeField(_("start"), validators=[validate_date_range])
    ends_at = models.DateTimeField(_("end"), validators=[validate_date_range])
    site = models.ForeignKey("coworking.Site", verbose_name=_("site"), null=True, blank=True, on_delete=models.SET_NULL)
    room = models.ForeignKey(
        "coworking.Resource", verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    room_booking = models.OneToOneField(
        "coworking.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="event", editable=False
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    is_public = models.BooleanField(_("public"), default=True, help_text=_("Public events accept guests; others are for members only."))
    price = models.CharField(
        _("price (informational)"), max_length=60, blank=True,
        validators=[RegexValidator(r"^\s*-\s*[0-9]", inverse_match=True, message=_("The price cannot be negative."))],
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True, validators=[validate_date_range])
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True, validators=[validate_date_range])
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(_("self-cancellation until (hours before)"), default=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCal SEQUENCE, bumped on change
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The last change: the DTSTAMP of the event in calendars (with `sequence`).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        indexes = [
            # The public agenda: published events from now on, by date.
            models.Index(fields=["status", "starts_at"], name="event_agenda_idx"),
            # Events not over yet (ends_at >= now, a few thousand among every past one): the
            # agenda's count and page, and a member's next events on the home page.
            models.Index(fields=["ends_at"], name="event_ends_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")),
                name="event_starts_before_it_ends",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="event_capacity_positive",
                violation_error_message=_("Capacity must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(starts_at__gte=EARLIEST) & Q(ends_at__lte=LATEST), name="event_dates_in_range",
                violation_error_message=_("Give dates between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True) | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_window_ordered",
                violation_error_message=_("Registration must close after it opens."),
            ),
            # The price is free text ("5 €", "gratuit", "prix libre"), but never a negative amount.
            models.CheckConstraint(
                condition=~Q(price__regex=r"^\s*-\s*[0-9]"), name="event_price_not_negative",
                violation_error_message=_("The price cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and now < self.starts_at
            and (self.registration_opens_at is None or now >= self.registration_opens_at)
            and (self.registration_closes_at is None or now < self.registration_closes_at)
        )


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: every registration; a member: their own."""
        return self if user.is_staff else self.filter(member=user)

    def seats_taken(self):
        """The registrations that hold a seat (see _seats_taken_q)."""
        return self.filter(_seats_taken_q())


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")

    # No index of its own: registration_event_status_idx and registration_one_active_per_person both
    # start with the event.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event"), db_index=False
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="event_registrations",
        verbose_name=_("member"),
    )
    guest_name = models.CharField(_("name"), max_length=150, blank=True)
    guest_email = models.EmailField(_("e-mail"), blank=True)
    # Who this is, for counting people once (DOMAIN.md): "member:<id>" or the normalised guest e-mail.
    # It survives erasure: the member's pseudonymised account keeps its id.
    person_key = models.CharField(_("person key"), max_length=260)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # The secret of the self-cancellation and feedback links, always looked up WITH the registration's
    # id (the signed link carries both): no index of its own. It had a unique one, and its
    # `varchar_pattern_ops` twin: two btrees of random keys, the dearest to maintain of the table's
    # (≈ 1.6 M rows at `seed_demo --scale 100`), that no query read; 256 random bits do not collide.
    cancel_token = models.CharField(max_length=43, default=secrets.token_urlsafe, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # One active registration per person and event, whatever the path (page, API, admin).
            models.UniqueConstraint(
                fields=["event", "person_key"],
                condition=~Q(status="cancelled"),
                name="registration_one_active_per_person",
                violation_error_message=_("This person is already registered for this event."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(guest_email="") | Q(walk_in=True),
                name="registration_identifies_someone",
            ),
        ]
        indexes = [
            # Recount of confirmed seats and the waiting list order, under the event lock.
            models.Index(fields=["event", "status", "created_at"], name="registration_event_status_idx"),
            models.Index(fields=["person_key"], name="registration_person_idx"),
            # The seats taken of each event (_seats_taken_q), from the index alone: the staff home
            # counts those of the week's events (≈ 11 000 registrations at scale 100, 276 events),
            # the agenda those of a page of events. Only the rows that hold a seat are in it.
            models.Index(fields=["event"], condition=Q(status="confirmed", walk_in=False), name="registration_seat_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} — {self.event}"

    @property
    def display_name(self) -> str:
        if self.member_id:
            return self.member.get_full_name() or self.member.email
        return self.guest_name or self.guest_email or str(_("Walk-in"))

    @property
    def email(self) -> str:
        return self.member.email if self.member_id else self.guest_email


class AttendanceScan(models.Model):
    """One row per tap at the door (refusals and corrections included); the nonce makes a re-sent tap count once."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="scans")
    present = models.BooleanField()
    nonce = models.CharField(max_length=64)
    scanned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    scanned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance scan")
        verbose_name_plural = _("attendance scans")
        constraints = [models.UniqueConstraint(fields=["registration", "nonce"], name="scan_nonce_once")]


class Feedback(models.Model):
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5"),
        ]


# Déclic Numérique records live in their own module (national layout, DOMAIN.md §2).
from events.declic.models import MediationActivity, MediationParticipant  # noqa: E402,F401
