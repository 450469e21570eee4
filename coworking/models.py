import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import BigIntegerRangeField, DateTimeRangeField, RangeOperators
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DurationField, ExpressionWrapper, F, Func, Q, Value
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coworking.time import PARIS
from quai.inputs import DATE_MAX, DATE_MIN, validate_date_range


class Site(models.Model):
    """A physical place run on this deployment (la Ruche Saint-Germain is the first), with its booking rules."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Desk slots (local time): morning [am_start, split), afternoon [split, pm_end), full day [am_start, pm_end).
    desk_am_start = models.TimeField(_("desks: morning starts"), default=datetime.time(9, 0))
    desk_split = models.TimeField(_("desks: afternoon starts"), default=datetime.time(13, 0))
    desk_pm_end = models.TimeField(_("desks: afternoon ends"), default=datetime.time(18, 0))
    booking_window_days = models.PositiveSmallIntegerField(_("how far ahead (days)"), default=30)
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(_("cancellation cut-off (hours)"), default=24)
    max_room_booking_minutes = models.PositiveSmallIntegerField(_("maximum room booking (minutes)"), default=240)
    release_after_minutes = models.PositiveSmallIntegerField(
        _("release unchecked bookings after (minutes)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to never release bookings that were not checked in."),
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(desk_am_start__lt=F("desk_split")) & Q(desk_split__lt=F("desk_pm_end")),
                name="site_desk_slots_ordered",
                violation_error_message=_("Desk slots must be in order: morning start < afternoon start < end."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        # With a context: the app's capitalised "Lundi" must not replace the day names Django
        # writes in dates ("lundi 2 mars").
        MONDAY = 0, pgettext_lazy("weekday", "Monday")
        TUESDAY = 1, pgettext_lazy("weekday", "Tuesday")
        WEDNESDAY = 2, pgettext_lazy("weekday", "Wednesday")
        THURSDAY = 3, pgettext_lazy("weekday", "Thursday")
        FRIDAY = 4, pgettext_lazy("weekday", "Friday")
        SATURDAY = 5, pgettext_lazy("weekday", "Saturday")
        SUNDAY = 6, pgettext_lazy("weekday", "Sunday")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("site"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["site", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["site", "weekday"], name="opening_one_row_per_weekday"),
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")),
                name="opening_opens_before_closes",
                violation_error_message=_("Opening time must be before closing time."),
            ),
        ]


class Closure(models.Model):
    """Days the site is closed (public holidays, summer break...), inclusive."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="closures", verbose_name=_("site"))
    start_date = models.DateField(_("from"), validators=[validate_date_range])
    end_date = models.DateField(_("to (inclusive)"), validators=[validate_date_range])
    reason = models.CharField(_("reason"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")),
                name="closure_dates_ordered",
                violation_error_message=_("A closure must end on or after its first day."),
            ),
        ]


class Resource(models.Model):
    class Kind(models.TextChoices):
        DESK = "desk", _("Desk")
        ROOM = "room", _("Meeting room")
        BOOTH = "booth", _("Phone booth")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="resources", verbose_name=_("site"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    zone = models.CharField(_("zone"), max_length=100, blank=True)
    # A fixed desk belongs to a resident: nobody else may book it.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fixed desk of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fixed_desks",
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    amenities = models.CharField(_("amenities"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["site", "kind", "zone", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="resource_name_unique_per_site"),
            models.CheckConstraint(
                condition=Q(assigned_to__isnull=True) | Q(kind="desk"),
                name="resource_only_desks_are_assigned",
                violation_error_message=_("Only a desk can be assigned to a resident."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_room_like(self) -> bool:
        return self.kind in (self.Kind.ROOM, self.Kind.BOOTH)


class Plan(models.Model):
    class Kind(models.TextChoices):
        DAY_PASS = "day_pass", _("Day pass")
        TEN_DAYS = "ten_days", _("10-day pass")
        PART_TIME = "part_time", _("Part-time monthly")
        FULL_TIME = "full_time", _("Full-time monthly")
        RESIDENT = "resident", _("Resident (fixed desk)")
        INCUBATED = "incubated", _("Incubated (included)")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    # Credits granted per subscription (day pass 1, 10-day pass 10, part-time N days a month);
    # empty = unlimited desk access (full-time, resident, incubated).
    credits = models.DecimalField(
        _("credits (days)"), max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    monthly_price_eur = models.DecimalField(
        _("price (€)"), max_digits=7, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["monthly_price_eur"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_price_eur__gte=0),
                name="plan_price_not_negative",
                violation_error_message=_("The price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(credits__isnull=True) | Q(credits__gte=0),
                name="plan_credits_not_negative",
                violation_error_message=_("The credits cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coworking_subscriptions", verbose_name=_("member")
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("plan"))
    starts_on = models.DateField(_("valid from"), validators=[validate_date_range])
    ends_on = models.DateField(_("valid until (inclusive)"), validators=[validate_date_range])
    # Empty for unlimited plans. Never negative: checked here and decremented under a row lock.
    credits_remaining = models.DecimalField(_("credits left"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-starts_on"]
        indexes = [
            # "The member's subscription valid on this day", on every booking.
            models.Index(fields=["member", "ends_on"], name="subscription_member_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="subscription_dates_ordered"),
            models.CheckConstraint(
                condition=Q(starts_on__gte=DATE_MIN) & Q(ends_on__lte=DATE_MAX),
                name="subscription_dates_in_range",
                violation_error_message=_("Give dates between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(credits_remaining__isnull=True) | Q(credits_remaining__gte=0),
                name="subscription_credits_never_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.plan} ({self.starts_on} → {self.ends_on})"

    @property
    def is_unlimited(self) -> bool:
        return self.credits_remaining is None


# A booking never lasts longer than a day (the services keep it inside one local day: at most 25 h
# on the day the clocks go back). The database holds it too, so "the bookings of a day" can be
# searched by start time: they all start less than BOOKING_MAX_LENGTH before the day does.
BOOKING_MAX_LENGTH = datetime.timedelta(hours=25)


def span_bound(bound: str):
    """lower(span) or upper(span), as the indexes and the constraint state them."""
    return Func(F("span"), function=bound, output_field=models.DateTimeField())


def _resource_range(resource_id):
    # int8range(resource_id, resource_id, '[]'): a one-value range, the first column of booking_no_overlap.
    return Func(resource_id, resource_id, Value("[]"), function="int8range", output_field=BigIntegerRangeField())


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: every booking; a member: their own."""
        return self if user.is_staff else self.filter(member=user)

    def active(self):
        return self.filter(status=Booking.Status.CONFIRMED)

    def overlapping(self, start, end):
        """Bookings whose span meets [start, end): starting before `end` and ending after `start`
        (spans are `[)`, as every writer makes them), and so starting at most BOOKING_MAX_LENGTH
        before `start`. Written with the bounds, not `span && [start, end)`: the btree indexes on
        lower(span) answer it (`booking_confirmed_start_idx` for every site, `booking_resource_start_idx` for
        one resource). Given `&&`, PostgreSQL picked the GiST of booking_no_overlap, whose first
        column is the resource: a day on every site took 142–150 ms at scale 100, 1.2 ms by the btree."""
        return self.alias(span_start=span_bound("lower"), span_end=span_bound("upper")).filter(
            span_start__gte=start - BOOKING_MAX_LENGTH, span_start__lt=end, span_end__gt=start
        )


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", pgettext_lazy("booking", "Cancelled")
        RELEASED = "released", _("Released (no-show)")

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("resource"))
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coworking_bookings",
    )
    # Set for a room reserved for an event or a programme session ("Atelier ESS", ...).
    label = models.CharField(_("label"), max_length=200, blank=True)
    span = DateTimeRangeField(_("time span"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings", verbose_name=_("subscription")
    )
    credits_used = models.DecimalField(_("credits used"), max_digits=4, decimal_places=1, default=Decimal("0"))
    series = models.UUIDField(_("recurring series"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("booking", "created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The iCal feed: DTSTAMP is the last change, SEQUENCE counts moves and cancellation, so that a
    # calendar app updates the event it already holds (same UID) instead of keeping a ghost.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["span"]
        constraints = [
            # The heart of coworking: a resource is never booked twice. Core PostgreSQL only (no
            # btree_gist): the resource id (bigint) becomes a one-point int8range so GiST can compare it.
            # `[)` bounds let back-to-back slots touch; cancelled/released rows do not count.
            ExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    (
                        _resource_range(F("resource_id")),
                        RangeOperators.OVERLAPS,
                    ),
                    ("span", RangeOperators.OVERLAPS),
                ],
                condition=Q(status="confirmed"),
                violation_error_message=_("This slot has just been taken by someone else."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(label=""), name="booking_has_member_or_label"
            ),
            models.CheckConstraint(condition=Q(credits_used__gte=0), name="booking_credits_used_not_negative"),
            models.CheckConstraint(
                condition=Q(
                    LessThanOrEqual(
                        ExpressionWrapper(span_bound("upper") - span_bound("lower"), output_field=DurationField()),
                        BOOKING_MAX_LENGTH,
                    ),
                    span__lower_inf=False,
                    span__upper_inf=False,
                ),
                name="booking_at_most_a_day",
                violation_error_message=_("A booking must start and end on the same day."),
            ),
        ]
        indexes = [
            # "My bookings": a member's confirmed bookings that have not ended yet (upper(span) > now),
            # found without reading their history (a resident piles up hundreds a year).
            models.Index(
                F("member"), span_bound("upper"),
                name="booking_member_upcoming_idx", condition=Q(status="confirmed"),
            ),
            # The day grid: a site's resources' confirmed bookings starting within a day (+ the
            # longest a booking lasts) of the day asked for; a few index entries per resource,
            # whatever the history.
            models.Index(F("resource"), span_bound("lower"), name="booking_resource_start_idx", condition=Q(status="confirmed")),
            # Every site's confirmed bookings by their start: the staff home's "bookings today", and
            # every `overlapping()` query that is not for one resource (occupancy over a period,
            # COW-1, rooms free for an event). One short range, where the index above needs one probe
            # per resource (86 ms at scale 100 by a GiST, this one 2 ms). It replaced the GiST on the
            # span, which cost ≈ 100 µs per inserted row (a third of `seed_demo --scale 100`'s
            # bookings) and served nothing booking_no_overlap does not.
            models.Index(span_bound("lower"), name="booking_confirmed_start_idx", condition=Q(status="confirmed")),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.span.lower:%Y-%m-%d %H:%M}"

    @property
    def starts_at(self):
        return self.span.lower

    @property
    def ends_at(self):
        return self.span.upper

    def can_be_cancelled(self, now=None) -> bool:
        """A confirmed booking that has not ended yet can be cancelled: booking_cancel refuses the
        others, the confirmation page sends them back to the list."""
        now = now or timezone.now()
        return self.status == self.Status.CONFIRMED and self.ends_at > now

    def cancel_returns_credit(self, now=None) -> bool:
        """The cancellation rule: cancelled up to the site's cut-off before the start, the credit
        comes back. booking_cancel applies it; the confirmation page says it in advance."""
        now = now or timezone.now()
        return now <= self.starts_at - datetime.timedelta(hours=self.resource.site.cancellation_cutoff_hours)

    def check_in_is_open(self, now=None) -> bool:
        """The check-in rule: a confirmed booking is checked in on its own day (Paris time), once.
        booking_check_in enforces it; pages show the button when it holds."""
        now = now or timezone.now()
        return (
            self.status == self.Status.CONFIRMED
            and self.checked_in_at is None
            and self.starts_at.astimezone(PARIS).date() == timezone.localdate(now, PARIS)
        )

    @property
    def can_check_in(self) -> bool:
        return self.check_in_is_open()


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A member's private iCal feed URL (secret token, revocable by replacing it)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coworking_feed", verbose_name=_("member")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
