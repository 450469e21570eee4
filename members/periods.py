"""The membership period: one rule, used by payments, renewals and the import.

A membership type either lasts N months from its start (`duration_months`), or — with
`duration_months = 0` — runs until the end of the *season* in which it starts. A season is a
year starting on the 1st of `season_start_month`: 1 is the calendar year, 9 a September–August
season. Someone who joins in March of a September–August season is a member until 31 August.
"""

from __future__ import annotations

import calendar
import datetime

from members.models import MembershipType


def season_bounds(*, start_month: int, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the season (starting on the 1st of `start_month`) that holds `day`."""
    year = day.year if day.month >= start_month else day.year - 1
    first = datetime.date(year, start_month, 1)
    return first, datetime.date(year + 1, start_month, 1) - datetime.timedelta(days=1)


def membership_period(*, type: MembershipType, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day, last day inclusive) of a membership of this type starting on `start`."""
    if type.duration_months == 0:
        return start, season_bounds(start_month=type.season_start_month, day=start)[1]
    month = start.month - 1 + type.duration_months
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start, datetime.date(year, month, day) - datetime.timedelta(days=1)


def membership_next_start(*, current_end: datetime.date | None, day: datetime.date) -> datetime.date:
    """A payment made on `day` starts a membership that day, or — paid early, while a membership
    runs until `current_end` — the day after the running one ends (a renewal never overlaps)."""
    if current_end is not None and current_end >= day:
        return current_end + datetime.timedelta(days=1)
    return day
