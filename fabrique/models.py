"""Fabrique de Territoire: yearly cohorts of project holders, 6 months from idea to business plan."""

import datetime
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quai.inputs import DATE_MAX, DATE_MIN, validate_date_range

# The handled years as instants, for the CHECK constraints on timestamps (quai.inputs).
EARLIEST = datetime.datetime.combine(DATE_MIN, datetime.time.min, tzinfo=datetime.timezone.utc)
LATEST = datetime.datetime.combine(DATE_MAX, datetime.time.max, tzinfo=datetime.timezone.utc)

User = settings.AUTH_USER_MODEL


def default_attendance_threshold() -> int:
    return settings.FABRIQUE_ATTENDANCE_THRESHOLD


class DeliverableKind(models.TextChoices):
    DIAGNOSTIC = "diagnostic", _("Territorial diagnosis and target communities")
    VALUE_PROPOSITION = "value_proposition", _("Value proposition")
    MARKET_STUDY = "market_study", _("Market study, offer and prices")
    GOVERNANCE = "governance", _("Governance and partnerships note")
    SITE_FINANCING = "site_financing", _("Site sheet and financing plan")
    BUSINESS_PLAN = "business_plan", _("Business plan and forecast")


# DOMAIN.md §3: the default 6-month curriculum
# (month, collective module, deliverable kind, deliverable title, required to graduate). Titles are content
# (stored as written, in French), not interface strings.
DEFAULT_CURRICULUM = [
    (1, "Culture tiers-lieu, diagnostic de territoire, besoins", DeliverableKind.DIAGNOSTIC,
     "Diagnostic territorial et communautés cibles", False),
    (2, "Communauté et proposition de valeur", DeliverableKind.VALUE_PROPOSITION,
     "Proposition de valeur (canevas + texte)", True),
    (3, "Activités, offre, marché", DeliverableKind.MARKET_STUDY, "Étude de marché, offre et tarifs", False),
    (4, "Gouvernance, forme juridique, partenariats", DeliverableKind.GOVERNANCE, "Note gouvernance et partenariats", False),
    (5, "Lieu, immobilier, financements publics", DeliverableKind.SITE_FINANCING, "Fiche lieu et plan de financement", False),
    (6, "Modèle économique, prévisionnel 3 ans, pitch", DeliverableKind.BUSINESS_PLAN, "Business plan + prévisionnel", True),
]


class Cohort(models.Model):
    """A promotion: about 8 project holders for 6 months."""

    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(DATE_MIN.year), MaxValueValidator(DATE_MAX.year)]
    )
    start = models.DateField(_("start"), validators=[validate_date_range])
    end = models.DateField(_("end"), validators=[validate_date_range])
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=8)
    applications_open = models.BooleanField(_("applications open"), default=False)
    # Graduation needs this share of the collective sessions attended (DOMAIN.md §3: 75 %, configurable).
    attendance_threshold = models.PositiveSmallIntegerField(_("attendance threshold (%)"), default=default_attendance_threshold)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["year"], name="fabrique_one_cohort_per_year",
                                    violation_error_message=_("There is already a cohort for this year.")),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="fabrique_cohort_dates_ordered",
                                   violation_error_message=_("The end must be after the start.")),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="fabrique_cohort_capacity_positive",
                                   violation_error_message=_("The capacity must be at least 1.")),
            models.CheckConstraint(condition=Q(attendance_threshold__lte=100), name="fabrique_threshold_percent",
                                   violation_error_message=_("The attendance threshold is a percentage (0–100).")),
            models.CheckConstraint(condition=Q(start__gte=DATE_MIN) & Q(end__lte=DATE_MAX) & Q(year__gte=DATE_MIN.year)
                                   & Q(year__lte=DATE_MAX.year),
                                   name="fabrique_cohort_dates_in_range",
                                   violation_error_message=_("Give dates between 2000 and 2100.")),
        ]

    def __str__(self) -> str:
        return self.name


class Module(models.Model):
    """One month of a cohort's curriculum (copied from DEFAULT_CURRICULUM, editable per cohort)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="modules", verbose_name=_("cohort"))
    month = models.PositiveSmallIntegerField(_("month"))
    title = models.CharField(_("collective module"), max_length=200)
    deliverable_kind = models.CharField(_("deliverable"), max_length=30, choices=DeliverableKind.choices, blank=True)
    deliverable_title = models.CharField(_("deliverable title"), max_length=200, blank=True)
    required_for_graduation = models.BooleanField(_("required to graduate"), default=False)
    # The deliverable's brief for this cohort. Blank: the programme's default for its kind
    # (fabrique/briefs.py), so cohorts created before briefs existed show them too.
    deliverable_brief = models.TextField(_("what to produce"), blank=True)
    deliverable_criteria = models.TextField(_("what the coach looks at"), blank=True,
                                            help_text=_("One criterion per line."))
    deliverable_length = models.CharField(_("expected length"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["cohort", "month"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "month"], name="fabrique_module_one_per_month",
                                    violation_error_message=_("This month already has a module.")),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="fabrique_module_month_range",
                                   violation_error_message=_("The month must be between 1 and 12.")),
        ]

    def __str__(self) -> str:
        return f"{self.month}. {self.title}"


class Application(models.Model):
    """An answer to a cohort's call, selected (or not) by the committee."""

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PROJECT = "project", _("Project with a team")
        SITE = "site", _("Site identified")
        OPENING = "opening", _("About to open")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SELECTED = "selected", _("Selected")
        WAITLISTED = "waitlisted", _("Waiting list")
        REJECTED = "rejected", _("Not selected")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="applications", verbose_name=_("cohort"))
    holder = models.ForeignKey(User, on_delete=models.CASCADE, related_name="fabrique_applications", verbose_name=_("holder"))
    territory = models.CharField(_("territory"), max_length=150, blank=True)
    commune = models.CharField(_("commune"), max_length=120)
    project = models.TextField(_("project of tiers-lieu"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    motivation = models.TextField(_("motivation"))
    status = models.CharField(_("decision"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "holder"], name="fabrique_one_application_per_cohort",
                                    violation_error_message=_("You have already applied to this cohort.")),
        ]


class ApplicationScore(models.Model):
    """A committee member's score of an application (1–5)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores", verbose_name=_("application"))
    reviewer = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("committee member"))
    score = models.PositiveSmallIntegerField(_("score (1–5)"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("committee score")
        verbose_name_plural = _("committee scores")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="fabrique_one_score_per_reviewer",
                                    violation_error_message=_("You have already scored this application.")),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="fabrique_score_range",
                                   violation_error_message=_("The score must be between 1 and 5.")),
        ]


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: all; a coach: theirs; a holder: their own. Everything else is invisible (→ 404)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(Q(holder=user) | Q(coach=user))

    def overlapping(self, start, end):
        """Enrolments whose cohort overlaps [start, end) (FAB-1, PRJ-1)."""
        return self.filter(cohort__start__lt=end, cohort__end__gte=start)


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("cohort"))
    holder = models.ForeignKey(User, on_delete=models.PROTECT, related_name="fabrique_enrolments", verbose_name=_("holder"))
    coach = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="fabrique_coached",
                              verbose_name=_("coach"))
    application = models.OneToOneField(Application, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="enrolment", verbose_name=_("application"))
    project_name = models.CharField(_("project"), max_length=200)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    graduated_at = models.DateField(_("graduated on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["cohort", "project_name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "holder"], name="fabrique_one_enrolment_per_cohort",
                                    violation_error_message=_("This holder is already enrolled in this cohort.")),
        ]

    def __str__(self) -> str:
        return f"{self.project_name} ({self.cohort})"


class Session(models.Model):
    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Collective session")
        ONE_TO_ONE = "one_to_one", _("One-to-one coaching")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COLLECTIVE)
    enrolment = models.ForeignKey(Enrolment, null=True, blank=True, on_delete=models.CASCADE, related_name="coaching_sessions",
                                  verbose_name=_("holder (one-to-one)"))
    module = models.ForeignKey(Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions",
                               verbose_name=_("module"))
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_date_range])
    ends_at = models.DateTimeField(_("ends at"), validators=[validate_date_range])
    location = models.CharField(_("place"), max_length=200, blank=True)
    # The room booked through coworking (coworking.Booking id), if any.
    room_booking_id = models.PositiveIntegerField(_("room booking"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["cohort", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="fabrique_session_dates_ordered",
                                   violation_error_message=_("The end must be after the start.")),
            models.CheckConstraint(condition=Q(starts_at__gte=EARLIEST) & Q(ends_at__lte=LATEST), name="fabrique_session_dates_in_range",
                                   violation_error_message=_("Give dates between 2000 and 2100.")),
            models.CheckConstraint(
                condition=(Q(kind="collective") & Q(enrolment__isnull=True)) | (Q(kind="one_to_one") & Q(enrolment__isnull=False)),
                name="fabrique_session_kind_holder",
                violation_error_message=_("A one-to-one session is for one holder; a collective session is for the cohort."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session"))
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("holder"))
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="fabrique_one_attendance_per_holder",
                                    violation_error_message=_("Attendance was already taken for this holder.")),
        ]


class Deliverable(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        VALIDATED = "validated", _("Validated")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("enrolment"))
    kind = models.CharField(_("kind"), max_length=30, choices=DeliverableKind.choices)
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    required_for_graduation = models.BooleanField(_("required to graduate"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.TODO)
    validated_on = models.DateField(_("validated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "kind"], name="fabrique_one_deliverable_per_kind",
                                    violation_error_message=_("This deliverable already exists for this holder.")),
            models.CheckConstraint(condition=Q(status="validated", validated_on__isnull=False) | ~Q(status="validated"),
                                   name="fabrique_validated_has_date"),
        ]

    def __str__(self) -> str:
        return self.title


def submission_upload_to(instance, filename: str) -> str:
    # A random name: the original name is kept in the row, never in the path.
    return f"fabrique/{secrets.token_hex(16)}"


class Submission(models.Model):
    """One version of a deliverable: never overwritten, the next one gets version + 1."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("deliverable"))
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=submission_upload_to, blank=True, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "version"], name="fabrique_submission_version_unique",
                                    violation_error_message=_("This version already exists; reload the page.")),
            models.CheckConstraint(condition=~Q(text="") | ~Q(file=""), name="fabrique_submission_not_empty",
                                   violation_error_message=_("Attach a file or write a text.")),
        ]


class Review(models.Model):
    class Decision(models.TextChoices):
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        VALIDATED = "validated", _("Validated")

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="review", verbose_name=_("submission"))
    reviewer = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("reviewer"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    feedback = models.TextField(pgettext_lazy("deliverable review", "feedback"))
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(condition=~Q(feedback=""), name="fabrique_review_has_feedback",
                                   violation_error_message=_("Write some feedback for the holder.")),
        ]


class Outcome(models.Model):
    """After the programme: the tiers-lieu opened (FAB-3, PRJ-2)."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("enrolment"))
    name = models.CharField(_("name of the tiers-lieu"), max_length=200)
    commune = models.CharField(_("commune"), max_length=120)
    opened_on = models.DateField(_("opened on"), validators=[validate_date_range])
    evidence = models.CharField(_("evidence"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-opened_on"]
        constraints = [
            models.CheckConstraint(condition=Q(opened_on__gte=DATE_MIN, opened_on__lte=DATE_MAX), name="fabrique_outcome_date_in_range",
                                   violation_error_message=_("Give a date between 2000 and 2100.")),
        ]
