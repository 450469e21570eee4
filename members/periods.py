"""The membership period: one rule, used by payments, renewals and the import.

A membership type either lasts N months from its start (`duration_months`), or — with
`duration_months = 0` — runs until the end of the *season* in which it starts. A season is a
year starting on the 1st of `season_start_month`: 1 is the calendar year, 9 a September–August
season. Someone who joins in March of a September–August season is a member until 31 August.
"""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from members.models import MembershipType
from quai.errors import InvalidInput
from quai.inputs import check_date


def _within_handled_years(*days: datetime.date) -> None:
    # A membership in year 9999 made every later payment of the member overflow ("the day after
    # it ends"): both ends stay within the years Quai handles (quai.inputs.DATE_MIN..DATE_MAX).
    try:
        for day in days:
            check_date(day)
    except ValidationError:
        raise InvalidInput(
            _("This membership would start or end outside the years the platform handles; check the start date."),
            field="starts_on", code="date_range",
        )


def season_bounds(*, start_month: int, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the season (starting on the 1st of `start_month`) that holds `day`."""
    year = day.year if day.month >= start_month else day.year - 1
    first = datetime.date(year, start_month, 1)
    return first, datetime.date(year + 1, start_month, 1) - datetime.timedelta(days=1)


def membership_period(*, type: MembershipType, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day, last day inclusive) of a membership of this type starting on `start`;
    InvalidInput (400 on `starts_on`) when it would leave the years Quai handles."""
    _within_handled_years(start)
    if type.duration_months == 0:
        end = season_bounds(start_month=type.season_start_month, day=start)[1]
    else:
        month = start.month - 1 + type.duration_months
        year, month = start.year + month // 12, month % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        end = datetime.date(year, month, day) - datetime.timedelta(days=1)
    _within_handled_years(end)
    return start, end


def membership_next_start(*, current_end: datetime.date | None, day: datetime.date) -> datetime.date:
    """A payment made on `day` starts a membership that day, or — paid early, while a membership
    runs until `current_end` — the day after the running one ends (a renewal never overlaps)."""
    if current_end is not None and current_end >= day:
        _within_handled_years(current_end + datetime.timedelta(days=1))
        return current_end + datetime.timedelta(days=1)
    return day
