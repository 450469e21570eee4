"""Déclic Numérique writes: record an activity with its participants in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.declic.choices import ActivityType, AgeBand, Gender, PlaceType, SocialStatus
from events.declic.models import MAX_DURATION_MIN, MediationActivity, MediationParticipant
from quai.audit import audit_log
from quai.errors import DomainError


@dataclass(frozen=True)
class ParticipantData:
    """A known participant: an anonymous profile, with a commune when the person gave it."""

    genre: str = Gender.NON_COMMUNIQUE
    tranche_age: str = AgeBand.NON_COMMUNIQUE
    statut_social: str = SocialStatus.NON_COMMUNIQUE
    commune: str = ""
    code_postal: str = ""
    code_insee: str = ""
    first_time: bool = False


@dataclass(frozen=True)
class AnonymousCount:
    """People of a workshop counted without details: a total and what is known of them, by criterion.

    Each mapping counts people per code (e.g. 7 "feminin", 3 "masculin"); the rest of the total is
    "non communiqué". As in the national tool, the criteria are counted separately, so the rows
    built from them keep each breakdown exact.
    """

    total: int = 0
    genres: Mapping[str, int] = field(default_factory=dict)
    tranches_age: Mapping[str, int] = field(default_factory=dict)
    statuts: Mapping[str, int] = field(default_factory=dict)


def _spread(counts: Mapping[str, int], total: int, unknown: str) -> list[str]:
    values = [code for code, n in counts.items() if code != unknown for _i in range(n)]
    return values + [unknown] * (total - len(values))


def _anonymous_rows(anonymous: AnonymousCount) -> list[dict]:
    for name, counts, choices, label in (
        ("genres", anonymous.genres, Gender, _("gender")),
        ("tranches_age", anonymous.tranches_age, AgeBand, _("age band")),
        ("statuts", anonymous.statuts, SocialStatus, _("status")),
    ):
        for code, n in counts.items():
            if code not in choices.values:
                raise DomainError(_("“%(code)s” is not a valid %(what)s.") % {"code": code, "what": label}, field="anonymous_participants")
            if n < 0:
                raise DomainError(_("Counts cannot be negative."), field="anonymous_participants")
        if sum(n for code, n in counts.items() if code != "non_communique") > anonymous.total:
            raise DomainError(
                _("More people counted by %(what)s than the total of anonymous participants.") % {"what": label},
                field="anonymous_participants",
            )
    genres = _spread(anonymous.genres, anonymous.total, Gender.NON_COMMUNIQUE)
    ages = _spread(anonymous.tranches_age, anonymous.total, AgeBand.NON_COMMUNIQUE)
    statuses = _spread(anonymous.statuts, anonymous.total, SocialStatus.NON_COMMUNIQUE)
    return [{"genre": g, "tranche_age": a, "statut_social": s} for g, a, s in zip(genres, ages, statuses, strict=True)]


def mediation_activity_create(
    *,
    by,
    type: str,
    date: datetime.date,
    duree: int,
    thematiques: Sequence[str],
    participants: Sequence[ParticipantData] = (),
    anonymous: AnonymousCount | None = None,
    type_lieu: str = PlaceType.LIEU_ACTIVITE,
    lieu_commune: str = "",
    lieu_code_postal: str = "",
    lieu_code_insee: str = "",
    materiel: Sequence[str] = (),
    precisions_demarche: str = "",
    autonomie: str = "",
    titre_atelier: str = "",
    niveau_atelier: str = "",
    oriente_vers_structure: bool = False,
    structure_de_redirection: str = "",
    pass_numerique: str = "",
    notes: str = "",
    event=None,
) -> MediationActivity:
    """Record an activity and one accompaniment per participant; nothing is written if anything is wrong."""
    anonymous = anonymous or AnonymousCount()
    if anonymous.total < 0:
        raise DomainError(_("Counts cannot be negative."), field="anonymous_participants")
    if not thematiques:
        raise DomainError(_("Choose at least one theme."), field="thematiques")
    if not 1 <= duree <= MAX_DURATION_MIN:
        raise DomainError(_("The duration must be between 1 and 600 minutes."), field="duree")
    if type == ActivityType.INDIVIDUEL:
        if len(participants) != 1 or anonymous.total:
            raise DomainError(_("An individual support has exactly one participant."), field="participants")
    elif type == ActivityType.COLLECTIF:
        if not participants and not anonymous.total:
            raise DomainError(_("A workshop needs at least one participant (known or counted)."), field="participants")
    if oriente_vers_structure is False and structure_de_redirection:
        raise DomainError(_("Give an organisation only when the person was redirected."), field="structure_de_redirection")
    if type_lieu == PlaceType.LIEU_ACTIVITE:
        # The place of activity is the structure's own: its commune is not asked again.
        lieu_commune = lieu_code_postal = lieu_code_insee = ""
    activity = MediationActivity(
        type=type, date=date, duree=duree, type_lieu=type_lieu, lieu_commune=lieu_commune.strip(),
        lieu_code_postal=lieu_code_postal.strip(), lieu_code_insee=lieu_code_insee.strip(),
        materiel=list(dict.fromkeys(materiel)), thematiques=list(dict.fromkeys(thematiques)),
        precisions_demarche=precisions_demarche.strip(), autonomie=autonomie, titre_atelier=titre_atelier.strip(),
        niveau_atelier=niveau_atelier, oriente_vers_structure=oriente_vers_structure,
        structure_de_redirection=structure_de_redirection, pass_numerique=pass_numerique, notes=notes, event=event,
        created_by=by if getattr(by, "pk", None) else None,
    )
    rows = [
        MediationParticipant(
            activity_type=type, genre=p.genre, tranche_age=p.tranche_age, statut_social=p.statut_social,
            commune=p.commune.strip(), code_postal=p.code_postal.strip(), code_insee=p.code_insee.strip(), first_time=p.first_time,
        )
        for p in participants
    ]
    rows += [MediationParticipant(activity_type=type, anonymous=True, **profile) for profile in _anonymous_rows(anonymous)]
    try:
        activity.full_clean(exclude=["created_by", "event"])
        for row in rows:
            row.full_clean(exclude=["activity"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field_name, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field_name == "__all__" else field_name) from error
    with transaction.atomic():
        activity.save()
        for position, row in enumerate(rows, start=1):
            row.activity = activity
            row.position = position
        MediationParticipant.objects.bulk_create(rows)
        audit_log(actor=by, action="declic.activity_created", target=activity,
                  data={"type": type, "participants": len(rows)})
    return activity


def mediation_activity_delete(*, by, activity: MediationActivity) -> None:
    """Remove an activity recorded by mistake (its participants go with it); the audit keeps a trace."""
    with transaction.atomic():
        audit_log(actor=by, action="declic.activity_deleted", target=activity,
                  data={"date": activity.date.isoformat(), "participants": activity.participants.count()})
        activity.delete()
