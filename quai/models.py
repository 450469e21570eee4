"""Shared models: the notification outbox and the audit log."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An e-mail the platform sends: first a row, then delivered by a Celery task.

    `key` makes a notification idempotent: the same reminder (same key) is written once, so a
    retried task or a re-run periodic job can never send it twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("key"), max_length=255, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    to = models.EmailField(_("to"), max_length=254)
    # Set when a member writes to another through the platform: the reply goes to the sender,
    # while the recipient's address stays unknown to them.
    reply_to = models.EmailField(_("reply to"), max_length=254, blank=True, default="")
    # What was (or will be) sent. A message written with `outbox_enqueue_deferred` has these empty
    # until its delivery renders `template` and stores the result here, in the "sent" update.
    subject = models.CharField(_("subject"), max_length=255, blank=True, default="")
    body_text = models.TextField(_("text body"), blank=True, default="")
    body_html = models.TextField(_("HTML body"), blank=True)
    # [{"filename": "event.ics", "mimetype": "text/calendar", "content": "..."}] (text content only)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # Rendered at delivery (quai.outbox.outbox_enqueue_deferred): templates/emails/<template>*, with
    # the context that the e-mail builder registered as `builder` (quai.registry) makes from
    # `params` (ids and flags, JSON), in `language` ("" = the site's default).
    template = models.CharField(_("template"), max_length=100, blank=True, default="")
    builder = models.CharField(_("e-mail builder"), max_length=60, blank=True, default="")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at"]
        indexes = [
            # The sweep: "pending or stuck messages due now", oldest first; sent rows stay out.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=Q(status__in=["pending", "sending"]),
            ),
            # Tests, GDPR export and the staff view look up a recipient's messages.
            models.Index(fields=["to", "-created_at"], name="outbox_to_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.to} ({self.status})"


class AuditLog(models.Model):
    """A state change that matters (payment recorded, erasure, role change, staff override...)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100)
    target_type = models.CharField(_("target type"), max_length=100)
    target_id = models.CharField(_("target id"), max_length=64)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at"]
        indexes = [
            # "History of this object" on staff pages.
            models.Index(fields=["target_type", "target_id", "-created_at"], name="audit_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class IndicatorSnapshot(models.Model):
    """The figure of one impact indicator for one period, written by the nightly task (quai.impact).

    One row per (code, period kind, period start): the task upserts, so running it twice changes
    nothing. `value` is empty when there is no data (INC-1 with no report), which is not 0.
    """

    class PeriodKind(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")
        ALL = "all", _("Since the start")

    code = models.CharField(_("indicator"), max_length=20)
    period_kind = models.CharField(_("period"), max_length=5, choices=PeriodKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to (exclusive)"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    details = models.JSONField(_("figures reported apart"), default=dict, blank=True)
    definition_version = models.PositiveSmallIntegerField(_("definition version"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        ordering = ["code", "period_kind", "period_start"]
        constraints = [
            # The upsert's conflict target; it also serves "this code's months, in order" (trend).
            models.UniqueConstraint(fields=["code", "period_kind", "period_start"], name="snapshot_one_per_period"),
            models.CheckConstraint(condition=Q(period_start__lt=models.F("period_end")), name="snapshot_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.period_kind} {self.period_start}: {self.value}"


class ImpactRun(models.Model):
    """One computation of the snapshots (nightly or asked by staff): the status row the dashboard polls."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("figures computed"), default=0)
    total = models.PositiveIntegerField(_("figures to compute"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("impact computation")
        verbose_name_plural = _("impact computations")
        ordering = ["-created_at"]
        constraints = [
            # At most one computation waiting or running: a second click joins the first.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status__in=["queued", "running"]), name="impact_run_one_active",
                violation_error_message=_("A computation is already under way."),
            ),
        ]

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0


class IndicatorSetting(models.Model):
    """What staff decide about an indicator: whether the public impact page shows it."""

    code = models.CharField(_("indicator"), max_length=20, unique=True)
    is_public = models.BooleanField(_("shown on the public impact page"), default=False)

    class Meta:
        verbose_name = _("indicator setting")
        verbose_name_plural = _("indicator settings")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Funder(models.Model):
    """Who finances the tiers-lieu (State/ANCT, Région, département, a foundation…)."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        REGION = "region", _("Region")
        DEPARTMENT = "department", _("Département")
        CITY = "city", _("Municipality")
        FOUNDATION = "foundation", _("Foundation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FinancedAction(models.Model):
    """An action a funder finances (Cerfa 15059: one section per action): its indicators and targets."""

    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="actions", verbose_name=_("funder"))
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    indicator_codes = ArrayField(models.CharField(max_length=20), verbose_name=_("indicators"), default=list, blank=True)
    # {"ESS-1": 3000}: the target agreed with this funder for the action, per indicator code.
    targets = models.JSONField(_("targets"), default=dict, blank=True)
    comments = models.TextField(_("comments (qualitative account)"), blank=True)
    amount_eur = models.DecimalField(_("amount granted (€)"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("financed action")
        verbose_name_plural = _("financed actions")
        ordering = ["funder", "starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="financed_action_dates_ordered",
                violation_error_message=_("The action must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} — {self.title}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from quai.registry import registry

        known = {indicator.code for indicator in registry.indicators}
        unknown = [code for code in self.indicator_codes if code not in known]
        if unknown:
            raise ValidationError({"indicator_codes": _("Unknown indicator: %(codes)s.") % {"codes": ", ".join(unknown)}})
        if not isinstance(self.targets, dict):
            raise ValidationError({"targets": _("Targets are written {\"CODE\": number}.")})
        for code, value in self.targets.items():
            if code not in self.indicator_codes or not isinstance(value, (int, float)):
                raise ValidationError({"targets": _("Each target needs one of the action's indicators and a number.")})
