"""Déclic activities for tests, built through the service (the only way the app writes them)."""

import datetime

from events.declic.services import AnonymousCount, ParticipantData, mediation_activity_create


def individual(*, by=None, date=datetime.date(2026, 3, 10), duree=30, thematiques=("email",), participant=None, **kwargs):
    return mediation_activity_create(
        by=by, type="individuel", date=date, duree=duree, thematiques=list(thematiques),
        participants=[participant or ParticipantData()], **kwargs,
    )


def workshop(*, by=None, date=datetime.date(2026, 3, 12), duree=120, thematiques=("securite_numerique",), participants=(),
             anonymous=None, **kwargs):
    return mediation_activity_create(
        by=by, type="collectif", date=date, duree=duree, thematiques=list(thematiques), participants=list(participants),
        anonymous=anonymous if anonymous is not None else AnonymousCount(total=0 if participants else 3), **kwargs,
    )
