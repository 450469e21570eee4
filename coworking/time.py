"""Local time for coworking: Europe/Paris wall-clock times and the desks' half-days.

Its own module because both the services (booking rules) and the selectors (the grid) need it,
and neither may import the other's module for it.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext

PARIS = ZoneInfo(settings.TIME_ZONE)


def local_dt(day: datetime.date, at: datetime.time) -> datetime.datetime:
    """An aware datetime for a local wall-clock time in Europe/Paris (DST-safe through zoneinfo)."""
    return datetime.datetime.combine(day, at, tzinfo=PARIS)


def desk_slots(site, day: datetime.date) -> dict[str, tuple[datetime.datetime, datetime.datetime]]:
    """A site's desk slots on a day: morning, afternoon and the whole day."""
    return {
        "am": (local_dt(day, site.desk_am_start), local_dt(day, site.desk_split)),
        "pm": (local_dt(day, site.desk_split), local_dt(day, site.desk_pm_end)),
        "day": (local_dt(day, site.desk_am_start), local_dt(day, site.desk_pm_end)),
    }


def duration_label(minutes: int) -> str:
    """30 → "30 min", 60 → "1 h", 90 → "1 h 30"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return gettext("%(minutes)s min") % {"minutes": rest}
    if not rest:
        return gettext("%(hours)s h") % {"hours": hours}
    return gettext("%(hours)s h %(minutes)02d") % {"hours": hours, "minutes": rest}
