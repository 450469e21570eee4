"""Déclic Numérique reads: statistics, the API list and the export rows. Every figure counts participants.

A workshop with 8 people is 8 accompaniments (DOMAIN.md §2), so each breakdown counts participant
rows; activity-level values (theme, duration, place, equipment) count once per participant of the
activity.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Window
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


def _duration_q(low: int, high: int | None) -> Q:
    q = Q(activity__duree__gte=low)
    return q & Q(activity__duree__lt=high) if high is not None else q


def mediation_statistics(*, start: datetime.date | None = None, end: datetime.date | None = None) -> MediationStatistics:
    """Totals and breakdowns for activities dated in [start, end]: two queries whatever the volume.

    Query 1 counts participants (and their activities) under every criterion at once, with
    conditional aggregates; query 2 groups them by commune (the 20 most frequent).
    """
    participants = participants_between(start, end)
    criteria: dict[str, Q] = {
        "individual": Q(activity_type=ActivityType.INDIVIDUEL),
        "collective": Q(activity_type=ActivityType.COLLECTIF),
        "new": Q(first_time=True),
        "no_commune": Q(commune=""),
    }
    for code, _label, low, high in DURATION_BUCKETS:
        criteria[f"duration:{code}"] = _duration_q(low, high)
    for code in Theme.values:
        criteria[f"theme:{code}"] = Q(activity__thematiques__contains=[code])
    for code in PlaceType.values:
        criteria[f"place:{code}"] = Q(activity__type_lieu=code)
    for code in Equipment.values:
        criteria[f"equipment:{code}"] = Q(activity__materiel__contains=[code])
    for code in Gender.values:
        criteria[f"gender:{code}"] = Q(genre=code)
    for code in AgeBand.values:
        criteria[f"age:{code}"] = Q(tranche_age=code)
    for code in SocialStatus.values:
        criteria[f"status:{code}"] = Q(statut_social=code)
    aliases = {f"c{n}": key for n, key in enumerate(criteria)}
    counts = participants.aggregate(
        total=Count("pk"), activities=Count("activity", distinct=True), **{alias: Count("pk", filter=criteria[key]) for alias, key in aliases.items()}
    )
    by_key = {key: counts[alias] for alias, key in aliases.items()}

    def rows(prefix: str, choices, *, sort: bool = False) -> list[Row]:
        result = [Row(code, str(label), by_key[f"{prefix}:{code}"]) for code, label in choices]
        # Thirty themes: the page and the funders read the ones that occur, most frequent first.
        return sorted((r for r in result if r.count), key=lambda r: -r.count) if sort else result

    communes = (
        participants.exclude(commune="").values("commune").annotate(n=Count("pk")).order_by("-n", "commune")[:TOP_COMMUNES]
    )
    commune_rows = [Row(row["commune"], row["commune"], row["n"]) for row in communes]
    if by_key["no_commune"]:
        commune_rows.append(Row("", str(_("Not given")), by_key["no_commune"]))
    breakdowns = [
        Breakdown(str(_("By theme")), rows("theme", Theme.choices, sort=True)),
        Breakdown(str(_("By duration")), [Row(code, str(label), by_key[f"duration:{code}"]) for code, label, _l, _h in DURATION_BUCKETS]),
        Breakdown(str(_("By place")), rows("place", PlaceType.choices)),
        Breakdown(str(_("By equipment")), rows("equipment", Equipment.choices)),
        Breakdown(str(_("By gender")), rows("gender", Gender.choices)),
        Breakdown(str(_("By age band")), rows("age", AgeBand.choices)),
        Breakdown(str(_("By status")), rows("status", SocialStatus.choices)),
        Breakdown(str(_("By commune")), commune_rows),
    ]
    return MediationStatistics(
        activities=counts["activities"],
        accompaniments=counts["total"],
        individual=by_key["individual"],
        collective=by_key["collective"],
        new_beneficiaries=by_key["new"],
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
