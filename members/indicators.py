"""Impact indicator of members (DOMAIN.md §1): MEM-1 active members."""

import datetime
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members.models import Membership, User, membership_valid_on
from quai.impact import CountRows, Indicator


def snapshot_day(start: datetime.date, end: datetime.date) -> datetime.date:
    """MEM-1 is measured on one day: the period's last day, or today for a period not yet over."""
    return min(end - datetime.timedelta(days=1), timezone.localdate())


def mem1_rows(start, end):
    day = snapshot_day(start, end)
    # Erased members keep their (pseudonymised) account and memberships: they still count.
    # A semi-join on the members of the valid memberships (one pass), not an EXISTS probe per account.
    return (
        User.objects.filter(pk__in=Membership.objects.valid_on(day).order_by().values("member"))
        .values("id", "last_name", "first_name", "date_joined")
        .order_by("last_name", "first_name", "id")
    )


def mem1_figures(windows) -> list[int]:
    """MEM-1 of many periods in ONE pass over the memberships valid on any of their days: one
    `count(DISTINCT member) FILTER (valid on that day)` per distinct day, the very rule of
    `mem1_rows` (membership_valid_on), so each figure is its period's drill-down count."""
    days = [snapshot_day(start, end) for start, end in windows]
    distinct = sorted(set(days))
    counts = (
        Membership.objects.filter(paid_on__isnull=False, starts_on__lte=distinct[-1], ends_on__gte=distinct[0])
        .aggregate(**{f"d{n}": Count("member", distinct=True, filter=membership_valid_on(day)) for n, day in enumerate(distinct)})
    )
    return [counts[f"d{distinct.index(day)}"] for day in days]


INDICATORS = [
    Indicator(
        code="MEM-1", app_label="members", order=40, unit="people", target=Decimal(900),
        label=_("Active members"),
        definition=_("Distinct members holding a paid membership valid on the last day of the period (today for the "
                     "current period). Erased members still count."),
        rows=mem1_rows, aggregate=CountRows(), figures_many=mem1_figures, links=(("last_name", "members:staff_detail", "id"),),
        columns=(("id", _("Member")), ("last_name", _("Last name")), ("first_name", _("First name")),
                 ("date_joined", _("Joined"))),
    ),
]


ENDING_COUNTED_UP_TO = 1000  # "more than 1,000" beyond: the list linked from the card has them all


def card_renewals(today) -> dict:
    from django.urls import reverse

    from quai.compiled import aggregate_once
    from quai.impact import month_start

    # Two counts, each found by an index and bounded whatever the month: the renewals waiting for
    # payment (membership_one_pending_per_member), and the memberships ending this month that no
    # later paid one follows, counted up to 1 001 (calendar-year memberships all end in December:
    # 76 000 of them at scale 100, which an exact count read in 35–110 ms; up to 1 001, 1.5 ms).
    # Active accounts only, as the lists the card links to (an erased member renews nothing).
    pending = aggregate_once(("members.renewals",), lambda: (  # SQL built once (quai/compiled.py)
        Membership.objects.filter(paid_on__isnull=True, member__is_active=True).count()
    ))
    ending = aggregate_once(("members.ending", month_start(today)), lambda: (
        Membership.objects.ending_unrenewed_in_month_of(today).filter(member__is_active=True)
        .order_by().values("pk")[:ENDING_COUNTED_UP_TO + 1].count()  # no ordering: any 1 001
    ))
    if ending > ENDING_COUNTED_UP_TO:
        from quai.charts import format_number

        detail = _("More than %(count)s memberships end this month") % {"count": format_number(ENDING_COUNTED_UP_TO)}
    else:
        detail = ngettext("%(count)s membership ends this month", "%(count)s memberships end this month", ending) % {"count": ending}
    return {
        "value": pending,
        "detail": detail,
        "url": reverse("members:staff_list") + "?status=pending",  # the value: renewals waiting for payment
        "detail_url": reverse("members:staff_list") + "?status=month",  # the detail: who they are
    }
