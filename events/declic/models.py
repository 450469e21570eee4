"""Déclic Numérique records: an activity and one accompaniment per participant (DOMAIN.md §2).

Imported by `events.models`, so the tables belong to the `events` app. A workshop with 8 people is
one activity and 8 participant rows, each with its own anonymous profile; people counted at the
door without details are rows flagged `anonymous` (profile "non communiqué" unless given), so every
count (statistics, NUM-1, export rows, API) is a count of participant rows.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.declic.choices import (
    ActivityType,
    AgeBand,
    Autonomy,
    Equipment,
    Gender,
    PlaceType,
    Redirection,
    SocialStatus,
    Theme,
    WorkshopLevel,
)

MAX_DURATION_MIN = 600


class MediationActivityQuerySet(models.QuerySet):
    def between(self, start=None, end=None):
        """Activities dated in [start, end] (inclusive Paris dates, like the national filters)."""
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs


class MediationActivity(models.Model):
    """A Déclic Numérique activity: an individual accompaniment or a collective workshop."""

    type = models.CharField(_("type"), max_length=10, choices=ActivityType.choices, default=ActivityType.INDIVIDUEL)
    date = models.DateField(_("date"), default=timezone.localdate)
    duree = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    type_lieu = models.CharField(_("place"), max_length=13, choices=PlaceType.choices, default=PlaceType.LIEU_ACTIVITE)
    lieu_commune = models.CharField(_("commune of the place"), max_length=100, blank=True)
    lieu_code_postal = models.CharField(_("postal code of the place"), max_length=5, blank=True)
    lieu_code_insee = models.CharField(_("INSEE code of the place"), max_length=5, blank=True)
    materiel = ArrayField(
        models.CharField(max_length=10, choices=Equipment.choices), verbose_name=_("equipment used"), default=list, blank=True
    )
    thematiques = ArrayField(models.CharField(max_length=40, choices=Theme.choices), verbose_name=_("themes"))
    precisions_demarche = models.CharField(_("administrative procedure"), max_length=200, blank=True)
    autonomie = models.CharField(_("autonomy"), max_length=22, choices=Autonomy.choices, blank=True)
    titre_atelier = models.CharField(_("workshop title"), max_length=150, blank=True)
    niveau_atelier = models.CharField(_("workshop level"), max_length=13, choices=WorkshopLevel.choices, blank=True)
    oriente_vers_structure = models.BooleanField(_("redirected to another organisation"), default=False)
    structure_de_redirection = models.CharField(
        _("organisation redirected to"), max_length=40, choices=Redirection.choices, blank=True
    )
    pass_numerique = models.CharField(_("Pass Numérique vouchers"), max_length=200, blank=True)
    notes = models.TextField(_("notes (staff only)"), blank=True)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="mediation_activities",
        verbose_name=_("event"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last modified at"), auto_now=True)

    objects = MediationActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Déclic Numérique activity")
        verbose_name_plural = _("Déclic Numérique activities")
        ordering = ["-date", "-pk"]
        indexes = [
            # Statistics, export and API filter on a date range. With the type and the id, the staff
            # home's month count (sessions, individual ones, workshops' participants) reads the index
            # only (4 000 activities a month at scale 100: 2 600 heap pages otherwise).
            models.Index(fields=["date"], include=["type", "id"], name="declic_activity_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(thematiques__len__gte=1), name="declic_at_least_one_theme",
                violation_error_message=_("Choose at least one theme."),
            ),
            models.CheckConstraint(
                condition=Q(duree__gte=1) & Q(duree__lte=MAX_DURATION_MIN), name="declic_duration_range",
                violation_error_message=_("The duration must be between 1 and 600 minutes."),
            ),
            # Autonomy describes one person; a workshop has a title and a level instead.
            models.CheckConstraint(
                condition=Q(type="individuel", titre_atelier="", niveau_atelier="") | Q(type="collectif", autonomie=""),
                name="declic_fields_match_type",
                violation_error_message=_("Autonomy is for individual support; title and level are for workshops."),
            ),
            models.CheckConstraint(
                condition=Q(oriente_vers_structure=True) | Q(structure_de_redirection=""),
                name="declic_redirection_only_when_redirected",
                violation_error_message=_("Give an organisation only when the person was redirected."),
            ),
            # The participant rows copy the type through a composite foreign key (migration 0004),
            # which needs (id, type) to be unique here.
            models.UniqueConstraint(fields=["id", "type"], name="declic_activity_id_type"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} — {self.date:%d/%m/%Y}"


class MediationParticipant(models.Model):
    """One accompaniment: one participant of an activity, with an anonymous profile."""

    activity = models.ForeignKey(MediationActivity, on_delete=models.CASCADE, related_name="participants", verbose_name=_("activity"))
    # A copy of the activity's type, kept right by a composite foreign key (ON UPDATE CASCADE), so the
    # database can refuse a second participant on an individual activity.
    activity_type = models.CharField(max_length=10, choices=ActivityType.choices, editable=False)
    position = models.PositiveSmallIntegerField(pgettext_lazy("participant order", "position"), default=1)
    anonymous = models.BooleanField(_("counted without details"), default=False)
    genre = models.CharField(_("gender"), max_length=14, choices=Gender.choices, default=Gender.NON_COMMUNIQUE)
    tranche_age = models.CharField(_("age band"), max_length=23, choices=AgeBand.choices, default=AgeBand.NON_COMMUNIQUE)
    statut_social = models.CharField(_("status"), max_length=14, choices=SocialStatus.choices, default=SocialStatus.NON_COMMUNIQUE)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    code_postal = models.CharField(_("postal code"), max_length=5, blank=True)
    code_insee = models.CharField(_("INSEE code"), max_length=5, blank=True)
    first_time = models.BooleanField(_("first accompaniment"), default=False)

    class Meta:
        verbose_name = _("accompaniment")
        verbose_name_plural = _("accompaniments")
        ordering = ["activity", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity"], condition=Q(activity_type="individuel"), name="declic_individual_one_participant",
                violation_error_message=_("An individual support has exactly one participant."),
            ),
            models.UniqueConstraint(fields=["activity", "position"], name="declic_participant_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1), name="declic_participant_position_positive"),
            # Someone counted at the door has no known commune and cannot be flagged as new.
            models.CheckConstraint(
                condition=Q(anonymous=False) | (Q(commune="", code_postal="", code_insee="", first_time=False)),
                name="declic_anonymous_has_no_details",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} ({self.position})"
