"""Déclic Numérique reads: statistics, the API list and the export rows. Every figure counts participants.

A workshop with 8 people is 8 accompaniments (DOMAIN.md §2), so each breakdown counts participant
rows; activity-level values (theme, duration, place, equipment) count once per participant of the
activity.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Window
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from events.declic.choices import (
    ActivityType,
    AgeBand,
    Equipment,
    Gender,
    PlaceType,
    SocialStatus,
    Theme,
)
from events.declic.models import MediationActivity, MediationParticipant

# The national duration buckets: [low, high) in minutes.
DURATION_BUCKETS = (
    ("moins_30", _("Less than 30 min"), 0, 30),
    ("30_60", _("30 min to 1 h"), 30, 60),
    ("60_120", _("1 h to 2 h"), 60, 120),
    ("120_plus", _("2 h and more"), 120, None),
)
TOP_COMMUNES = 20


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: list[Row]


@dataclass(frozen=True)
class MediationStatistics:
    activities: int
    accompaniments: int
    individual: int
    collective: int
    new_beneficiaries: int
    breakdowns: list[Breakdown]


def participants_between(start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet[MediationParticipant]:
    qs = MediationParticipant.objects.all()
    if start:
        qs = qs.filter(activity__date__gte=start)
    if end:
        qs = qs.filter(activity__date__lte=end)
    return qs


def _bucket(minutes: int) -> str:
    for code, _label, low, high in DURATION_BUCKETS:
        if minutes >= low and (high is None or minutes < high):
            return code
    raise ValueError(minutes)


def mediation_statistics(*, start: datetime.date | None = None, end: datetime.date | None = None) -> MediationStatistics:
    """Totals and breakdowns for activities dated in [start, end], in four grouped queries whatever the volume.

    1. participants grouped by their own profile (type, gender, age, status, first time, commune known);
    2. participants grouped by what their activity was (place, duration, themes, equipment): a few
       hundred distinct combinations, expanded here (a participant of a two-theme activity counts
       once under each theme);
    3. the 20 most frequent communes; 4. the number of activities.
    """
    participants = participants_between(start, end)
    profile: Counter = Counter()
    accompaniments = 0
    for row in (
        participants.annotate(no_commune=ExpressionWrapper(Q(commune=""), output_field=BooleanField()))
        .values("activity_type", "genre", "tranche_age", "statut_social", "first_time", "no_commune")
        .annotate(n=Count("pk")).order_by()
    ):
        n = row["n"]
        accompaniments += n
        profile[("type", row["activity_type"])] += n
        profile[("gender", row["genre"])] += n
        profile[("age", row["tranche_age"])] += n
        profile[("status", row["statut_social"])] += n
        profile[("new", row["first_time"])] += n
        profile[("no_commune", row["no_commune"])] += n
    for row in (
        participants.values("activity__type_lieu", "activity__duree", "activity__thematiques", "activity__materiel")
        .annotate(n=Count("pk")).order_by()
    ):
        n = row["n"]
        profile[("place", row["activity__type_lieu"])] += n
        profile[("duration", _bucket(row["activity__duree"]))] += n
        for code in row["activity__thematiques"]:
            profile[("theme", code)] += n
        for code in row["activity__materiel"]:
            profile[("equipment", code)] += n
    communes = (
        participants.exclude(commune="").values("commune").annotate(n=Count("pk")).order_by("-n", "commune")[:TOP_COMMUNES]
    )
    commune_rows = [Row(row["commune"], row["commune"], row["n"]) for row in communes]
    if profile[("no_commune", True)]:
        commune_rows.append(Row("", str(_("Not given")), profile[("no_commune", True)]))

    def rows(prefix: str, choices) -> list[Row]:
        return [Row(code, str(label), profile[(prefix, code)]) for code, label in choices]

    # Thirty themes: the page and the funders read the ones that occur, most frequent first.
    themes = sorted((r for r in rows("theme", Theme.choices) if r.count), key=lambda r: -r.count)
    breakdowns = [
        Breakdown(str(_("By theme")), themes),
        Breakdown(str(_("By duration")), [Row(code, str(label), profile[("duration", code)]) for code, label, _l, _h in DURATION_BUCKETS]),
        Breakdown(str(_("By place")), rows("place", PlaceType.choices)),
        Breakdown(str(_("By equipment")), rows("equipment", Equipment.choices)),
        Breakdown(str(_("By gender")), rows("gender", Gender.choices)),
        Breakdown(str(_("By age band")), rows("age", AgeBand.choices)),
        Breakdown(str(_("By status")), rows("status", SocialStatus.choices)),
        Breakdown(str(_("By commune")), commune_rows),
    ]
    return MediationStatistics(
        # Every activity has at least one participant (a database rule), so this counts the same activities.
        activities=MediationActivity.objects.between(start, end).count(),
        accompaniments=accompaniments,
        individual=profile[("type", ActivityType.INDIVIDUEL)],
        collective=profile[("type", ActivityType.COLLECTIF)],
        new_beneficiaries=profile[("new", True)],
        breakdowns=breakdowns,
    )


def _profile_counts() -> dict:
    """One count per national code of gender, age band and status, named `<criterion>__<code>`."""
    annotations = {}
    for prefix, field_name, choices in (
        ("genres", "genre", Gender), ("tranches_age", "tranche_age", AgeBand), ("statuts", "statut_social", SocialStatus),
    ):
        for code in choices.values:
            annotations[f"n_{prefix}__{code}"] = Count("participants", filter=Q(**{f"participants__{field_name}": code}))
    return annotations


def mediation_activities_with_counts(*, start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet[MediationActivity]:
    """Activities (newest first) with their number of participants and the count of each profile code (one query)."""
    return (
        MediationActivity.objects.between(start, end)
        .annotate(n_total=Count("participants"), **_profile_counts())
        .order_by("-date", "-pk")
    )


def beneficiary_counts(activity: MediationActivity) -> dict:
    """`{total, genres, tranches_age, statuts}` from the annotations of `mediation_activities_with_counts`."""
    result: dict = {"total": activity.n_total, "genres": {}, "tranches_age": {}, "statuts": {}}
    for prefix, choices in (("genres", Gender), ("tranches_age", AgeBand), ("statuts", SocialStatus)):
        for code in choices.values:
            result[prefix][code] = getattr(activity, f"n_{prefix}__{code}")
    return result


def mediation_activities_with_participants(*, start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet[MediationActivity]:
    """Activities (newest first) with their participants prefetched (two queries per page)."""
    return MediationActivity.objects.between(start, end).prefetch_related("participants").order_by("-date", "-pk")


def mediation_export_rows(*, start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet[MediationParticipant]:
    """One row per participant, oldest activity first, each with `of` = the number of participants of its activity."""
    return (
        participants_between(start, end)
        .select_related("activity")
        .annotate(of=Window(Count("pk"), partition_by=[F("activity_id")]))
        .order_by("activity__date", "activity_id", "position")
    )


def mediation_recent_activities(*, limit: int = 10) -> list[MediationActivity]:
    """The last activities recorded, for the quick log page (one query)."""
    return list(MediationActivity.objects.annotate(n_participants=Count("participants")).order_by("-created_at", "-pk")[:limit])


def mediation_activity_get_for_user(user, pk: int) -> MediationActivity:
    """An activity for the staff pages; anyone else gets a 404, never a hint that it exists."""
    queryset = MediationActivity.objects.all() if user.is_authenticated and user.is_staff else MediationActivity.objects.none()
    return get_object_or_404(queryset, pk=pk)


def mediation_theme_order(*, window: int = 200) -> list[str]:
    """Theme codes, the most used in the last `window` activities first (ties keep the national order)."""
    recent = MediationActivity.objects.order_by("-created_at", "-pk").values_list("thematiques", flat=True)[:window]
    used = Counter(code for themes in recent for code in themes)
    national = list(Theme.values)
    return sorted(national, key=lambda code: (-used[code], national.index(code)))


def mediation_last_activity_by(user) -> MediationActivity | None:
    """The last activity this staff member recorded, for the quick log's defaults."""
    return MediationActivity.objects.filter(created_by=user).order_by("-created_at", "-pk").first()
