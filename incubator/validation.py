"""Input rules shared by the services (hence by pages and the API): dates near today, sane figures.

The database refuses what is impossible (constraints in incubator.models); these refuse first, with
a message that names the field, what is merely implausible for an incubator record.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from incubator.models import FTE_MAX
from quai.errors import DomainError

YEARS_BACK = 10
YEARS_AHEAD = 2


def check_date(value, *, field: str, today: datetime.date | None = None, ahead_days: int | None = None) -> datetime.date:
    """`value` is a date within YEARS_BACK years before today and `ahead_days` (default YEARS_AHEAD years) after."""
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise DomainError(_("Enter a valid date."), field=field)
    today = today or timezone.localdate()
    earliest = today.replace(year=today.year - YEARS_BACK, day=min(today.day, 28))
    latest = today + datetime.timedelta(days=365 * YEARS_AHEAD if ahead_days is None else ahead_days)
    if value < earliest:
        raise DomainError(_("This date is too far in the past (before %(date)s).") % {"date": earliest.isoformat()},
                          field=field)
    if value > latest:
        raise DomainError(_("This date is too far in the future (after %(date)s).") % {"date": latest.isoformat()},
                          field=field)
    return value


def check_dates_ordered(start, end, *, field: str) -> None:
    if start is not None and end is not None and end < start:
        raise DomainError(_("The end cannot be before the start."), field=field)


def check_amount(value, *, field: str, maximum: Decimal = Decimal("9999999999.99"), message: str | None = None):
    """A non-negative finite amount (None stays None: "not reported")."""
    if value is None:
        return None
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Enter a number."), field=field)
    if not value.is_finite():
        raise DomainError(_("Enter a number."), field=field)
    if value < 0:
        raise DomainError(message or _("This amount cannot be negative."), field=field)
    if value > maximum:
        raise DomainError(_("This amount is too large."), field=field)
    return value


def check_fte(value, *, field: str = "fte") -> Decimal:
    """Jobs in full-time equivalents: 0 to FTE_MAX (a small project reporting 5000 FTE is a typo)."""
    if value is None:
        raise DomainError(_("Enter the jobs (FTE), 0 if none."), field=field)
    value = check_amount(value, field=field, maximum=Decimal("1e12"), message=_("Jobs (FTE) cannot be negative."))
    if value > FTE_MAX:
        raise DomainError(_("Jobs (FTE) must be between 0 and %(max)s.") % {"max": FTE_MAX}, field=field)
    return value
