"""Incubator: calls for applications, scored reviews, incubated projects and their follow-up.

Rules the database holds (each a named constraint, mapped to a field error by the services):
dates inside the platform's range and in order, FTE between 0 and 1000, amounts never negative,
one review per reviewer and round, one score per criterion and review, a creation date always
with its kind and evidence (PRJ-2).
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

User = settings.AUTH_USER_MODEL

# Dates the platform handles for incubator records. The database refuses anything outside (a
# year-1 or year-9999 date breaks period arithmetic); services refuse dates far from today first,
# with a friendlier message (incubator.validation).
DATE_FLOOR = datetime.date(2000, 1, 1)
DATE_CEILING = datetime.date(2100, 12, 31)
FTE_MAX = 1000


def _date_in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": DATE_FLOOR, f"{field}__lte": DATE_CEILING})


def _optional_date_in_range(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | _date_in_range(field)


class CallQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date):
        return self.filter(opens_on__lte=day, closes_on__gte=day)

    def visible_to(self, user):
        """Staff: every call; a member: the calls open today (a closed or future call is invisible → 404)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.open_on(timezone.localdate())


class Call(models.Model):
    """A call for applications: open from `opens_on` to `closes_on` (inclusive), with its questions and rubric."""

    title = models.CharField(pgettext_lazy("incubator", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on (inclusive)"))
    # The questions every applicant answers, in order (a list of strings); answers follow the same order.
    questions = models.JSONField(_("questions"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="incubator_call_dates_ordered",
                                   violation_error_message=_("The call cannot close before it opens.")),
            models.CheckConstraint(condition=_date_in_range("opens_on") & _date_in_range("closes_on"),
                                   name="incubator_call_dates_in_range",
                                   violation_error_message=_("This date is outside the dates the platform handles.")),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on


class Criterion(models.Model):
    """One line of a call's rubric: reviewers score it 0–5; its weight counts in the weighted score."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    label = models.CharField(_("criterion"), max_length=150)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "label"], name="incubator_criterion_unique_label",
                                    violation_error_message=_("This call already has a criterion with this name.")),
            models.CheckConstraint(condition=Q(weight__gte=1) & Q(weight__lte=10), name="incubator_criterion_weight_range",
                                   violation_error_message=_("The weight must be between 1 and 10.")),
        ]

    def __str__(self) -> str:
        return f"{self.label} (×{self.weight})"


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: all; a member: their own. Anything else is invisible (→ 404)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(applicant=user)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waiting list")
        REJECTED = "rejected", _("Not accepted")

    DECISIONS = (Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED)

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    applicant = models.ForeignKey(User, on_delete=models.CASCADE, related_name="incubator_applications",
                                  verbose_name=_("applicant"))
    project_name = models.CharField(_("project name"), max_length=150)
    summary = models.TextField(_("summary"), max_length=5000)
    answers = models.JSONField(_("answers"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Reviews are counted per round: staff may open a second round (after a waiting list, say).
    review_round = models.PositiveSmallIntegerField(_("review round"), default=1)
    submitted_at = models.DateTimeField(pgettext_lazy("incubator application", "submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(pgettext_lazy("incubator application", "decided at"), null=True, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("incubator application", "created at"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "applicant"], name="incubator_one_application_per_call",
                                    violation_error_message=_("You have already applied to this call.")),
            # A withdrawn draft was never sent: it keeps no submission date.
            models.CheckConstraint(condition=Q(status__in=["draft", "withdrawn"]) | Q(submitted_at__isnull=False),
                                   name="incubator_application_submitted_has_date",
                                   violation_error_message=_("A submitted application has a submission date.")),
            models.CheckConstraint(condition=Q(review_round__gte=1), name="incubator_application_round_positive"),
        ]

    def __str__(self) -> str:
        return self.project_name


class Review(models.Model):
    """One reviewer's scoring of an application in one round: once only (database unique constraint)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews",
                                    verbose_name=_("application"))
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("incubator review", "reviewer"))
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    comment = models.TextField(_("comment"), blank=True)
    # Σ(score × weight) ÷ Σ weight, on 0–5, stored when the review is written (the rubric is fixed by then).
    weighted_score = models.DecimalField(_("weighted score"), max_digits=4, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("incubator review", "review")
        verbose_name_plural = pgettext_lazy("incubator review", "reviews")
        ordering = ["application", "round", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer", "round"], name="incubator_one_review_per_round",
                                    violation_error_message=_("You have already scored this application in this round.")),
            models.CheckConstraint(condition=Q(weighted_score__gte=0) & Q(weighted_score__lte=5),
                                   name="incubator_review_score_range"),
        ]


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name=pgettext_lazy("incubator review", "review"))
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion"))
    score = models.PositiveSmallIntegerField(_("score (0–5)"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="incubator_one_score_per_criterion"),
            models.CheckConstraint(condition=Q(score__lte=5), name="incubator_score_range",
                                   violation_error_message=_("A score is between 0 and 5.")),
        ]


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a user may see: staff everything; a coach their projects; a founder their team's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        team = TeamMember.objects.filter(member=user).values("project_id")
        return self.filter(Q(coach=user) | Q(pk__in=team))

    def supported_between(self, start, end):
        """Projects whose incubation overlaps [start, end) (PRJ-1 for the incubator side)."""
        return self.filter(Q(incubation_end__isnull=True) | Q(incubation_end__gte=start), incubation_start__lt=end)


class Project(models.Model):
    """An impact project followed by the incubator."""

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PROTOTYPE = "prototype", _("Prototype")
        LAUNCHED = "launched", _("Launched")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("incubated project", "Active")
        GRADUATED = "graduated", pgettext_lazy("incubated project", "Graduated")
        STOPPED = "stopped", _("Stopped")

    class CreationKind(models.TextChoices):
        LEGAL = "legal", _("Legal creation")
        FIRST_REVENUE = "first_revenue", _("First revenue")
        PLACE_OPENED = "place_opened", _("Place opened")

    name = models.CharField(_("name"), max_length=150)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    incubation_start = models.DateField(_("start of incubation"))
    incubation_end = models.DateField(_("end of incubation"), null=True, blank=True)
    coach = models.ForeignKey(User, verbose_name=pgettext_lazy("incubator", "coach"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="coached_projects")
    team = models.ManyToManyField(User, through="TeamMember", verbose_name=_("team"), related_name="incubated_projects")
    application = models.OneToOneField(Application, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="project", verbose_name=_("application"))
    fte_at_entry = models.DecimalField(_("FTE at entry"), max_digits=6, decimal_places=2, default=0)
    # PRJ-2: a project counts as "created" from its legal creation, first revenue or place opened, with its evidence.
    created_on = models.DateField(_("creation date"), null=True, blank=True)
    creation_kind = models.CharField(_("creation"), max_length=20, choices=CreationKind.choices, blank=True)
    creation_evidence = models.CharField(_("creation evidence"), max_length=255, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("incubated project")
        verbose_name_plural = _("incubated projects")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(incubation_end__isnull=True) | Q(incubation_end__gte=F("incubation_start")),
                name="project_incubation_dates_ordered",
                violation_error_message=_("The end of incubation cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=(Q(created_on__isnull=True) & Q(creation_kind="") & Q(creation_evidence=""))
                | (Q(created_on__isnull=False) & ~Q(creation_kind="") & ~Q(creation_evidence="")),
                name="project_creation_has_evidence",
                violation_error_message=_("A creation date needs its kind and its evidence (SIRET, first invoice, opening)."),
            ),
            models.CheckConstraint(
                condition=_date_in_range("incubation_start") & _optional_date_in_range("incubation_end")
                & _optional_date_in_range("created_on"),
                name="project_dates_in_range",
                violation_error_message=_("This date is outside the dates the platform handles."),
            ),
            models.CheckConstraint(
                condition=Q(fte_at_entry__gte=0) & Q(fte_at_entry__lte=FTE_MAX),
                name="project_fte_at_entry_range",
                violation_error_message=_("Jobs (FTE) must be between 0 and 1000."),
            ),
            # incubation_end is the actual end (PRJ-1 counts the incubation up to it): an active project has none.
            models.CheckConstraint(
                condition=Q(status="active", incubation_end__isnull=True) | ~Q(status="active"),
                name="project_active_has_no_end",
                violation_error_message=_("An active project has no end of incubation."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    class Role(models.TextChoices):
        FOUNDER = "founder", _("Founder")
        ASSOCIATE = "associate", _("Team member")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("project"))
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="incubator_memberships",
                               verbose_name=pgettext_lazy("incubator team", "member"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.FOUNDER)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["project", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "member"], name="incubator_one_membership_per_project",
                                    violation_error_message=_("This person is already in the team.")),
        ]
        indexes = [
            # visible_to(): "the projects this person is in the team of", on every founder page.
            models.Index(fields=["member", "project"], name="incubator_team_member_idx"),
        ]


class MentoringSession(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("project"))
    coach = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=pgettext_lazy("incubator", "coach"))
    date = models.DateField(_("date"), default=timezone.localdate)
    duration_min = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    # A planned session has its time (Europe/Paris) and place; sessions logged afterwards may have neither.
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    location = models.CharField(_("place or video link"), max_length=300, blank=True)
    # Seen by the coach, the team and staff only (never by another project's founders).
    notes = models.TextField(_("notes"), blank=True)
    next_actions = models.TextField(_("next actions"), blank=True)

    class Meta:
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_min__gt=0) & Q(duration_min__lte=600),
                name="mentoring_duration_range",
                violation_error_message=_("The duration must be between 1 and 600 minutes."),
            ),
            models.CheckConstraint(condition=_date_in_range("date"), name="mentoring_date_in_range",
                                   violation_error_message=_("This date is outside the dates the platform handles.")),
        ]

    @property
    def starts_at(self) -> datetime.datetime | None:
        """The start as an aware datetime in Europe/Paris (None when no time was given)."""
        if self.start_time is None:
            return None
        return datetime.datetime.combine(self.date, self.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def ends_at(self) -> datetime.datetime | None:
        starts_at = self.starts_at
        return starts_at + datetime.timedelta(minutes=self.duration_min) if starts_at else None

    @property
    def is_video(self) -> bool:
        return self.location.startswith(("https://", "http://"))


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project"))
    title = models.CharField(pgettext_lazy("incubator", "title"), max_length=200)
    due_on = models.DateField(pgettext_lazy("milestone", "due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("ticked by"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=_optional_date_in_range("due_on") & _optional_date_in_range("done_on"),
                                   name="milestone_dates_in_range",
                                   violation_error_message=_("This date is outside the dates the platform handles.")),
        ]


class KpiReport(models.Model):
    """Figures a project reports each quarter (INC-1 uses the latest FTE reported before a date)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="kpi_reports", verbose_name=_("project"))
    reported_on = models.DateField(_("reported on"))
    fte = models.DecimalField(_("jobs (FTE)"), max_digits=6, decimal_places=2)
    revenue_eur = models.DecimalField(_("revenue (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), null=True, blank=True)
    funding_eur = models.DecimalField(_("funding raised (€)"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("KPI report")
        verbose_name_plural = _("KPI reports")
        ordering = ["-reported_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "reported_on"],
                name="kpi_one_report_per_day",
                violation_error_message=_("Figures were already reported for this day; change the date."),
            ),
            models.CheckConstraint(
                condition=Q(fte__gte=0),
                name="kpi_fte_not_negative",
                violation_error_message=_("Jobs (FTE) cannot be negative."),
            ),
            models.CheckConstraint(condition=Q(fte__lte=FTE_MAX), name="kpi_fte_bounded",
                                   violation_error_message=_("Jobs (FTE) must be between 0 and 1000.")),
            models.CheckConstraint(condition=Q(revenue_eur__isnull=True) | Q(revenue_eur__gte=0),
                                   name="kpi_revenue_not_negative",
                                   violation_error_message=_("Revenue cannot be negative.")),
            models.CheckConstraint(condition=Q(funding_eur__isnull=True) | Q(funding_eur__gte=0),
                                   name="kpi_funding_not_negative",
                                   violation_error_message=_("Funding cannot be negative.")),
            models.CheckConstraint(condition=_date_in_range("reported_on"), name="kpi_date_in_range",
                                   violation_error_message=_("This date is outside the dates the platform handles.")),
        ]
