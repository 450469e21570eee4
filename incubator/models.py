from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a user may see: staff everything; a coach their projects; a founder their team's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(Q(coach=user) | Q(team=user)).distinct()

    def supported_between(self, start, end):
        """Projects whose incubation overlaps [start, end) (PRJ-1 for the incubator side)."""
        return self.filter(Q(incubation_end__isnull=True) | Q(incubation_end__gte=start), incubation_start__lt=end)


class Project(models.Model):
    """An impact project followed by the incubator."""

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PROTOTYPE = "prototype", _("Prototype")
        LAUNCH = "launch", _("Launch")
        GROWTH = "growth", _("Growth")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        GRADUATED = "graduated", _("Graduated")
        STOPPED = "stopped", _("Stopped")

    name = models.CharField(_("name"), max_length=150)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    incubation_start = models.DateField(_("start of incubation"))
    incubation_end = models.DateField(_("end of incubation"), null=True, blank=True)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coached_projects",
    )
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("team"), related_name="incubated_projects")
    fte_at_entry = models.DecimalField(_("FTE at entry"), max_digits=6, decimal_places=2, default=0)
    # PRJ-2: a project counts as "created" from its legal creation / first revenue, with its evidence.
    created_on = models.DateField(_("creation date"), null=True, blank=True)
    creation_evidence = models.CharField(_("creation evidence"), max_length=255, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("incubated project")
        verbose_name_plural = _("incubated projects")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(incubation_end__isnull=True) | Q(incubation_end__gte=models.F("incubation_start")),
                name="project_incubation_dates_ordered",
                violation_error_message=_("The end of incubation cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=Q(created_on__isnull=True) | ~Q(creation_evidence=""),
                name="project_creation_has_evidence",
                violation_error_message=_("A creation date needs its evidence (SIRET, first invoice, opening)."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MentoringSession(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("project"))
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("coach")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    duration_min = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    notes = models.TextField(_("notes"), blank=True)

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
        ]


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project"))
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]


class KpiReport(models.Model):
    """Figures a project reports (INC-1 uses the latest FTE reported before a date)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="kpi_reports", verbose_name=_("project"))
    reported_on = models.DateField(_("reported on"))
    fte = models.DecimalField(_("jobs (FTE)"), max_digits=6, decimal_places=2)
    revenue_eur = models.DecimalField(_("revenue (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), null=True, blank=True)

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
        ]
