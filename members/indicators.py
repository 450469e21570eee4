"""Impact indicator of members (DOMAIN.md §1): MEM-1 active members."""

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef
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


def card_renewals(today) -> dict:
    from django.db.models import Count, Q
    from django.urls import reverse

    from quai.compiled import aggregate_once
    from quai.impact import add_months, month_start

    paid = Membership.objects.filter(member=OuterRef("member"), paid_on__isnull=False, ends_on__gt=OuterRef("ends_on"))
    this_month = Q(ends_on__gte=month_start(today), ends_on__lt=add_months(month_start(today), 1))
    # Only the rows either count looks at, each set found by an index (the pending one per member:
    # membership_one_pending_per_member; this month's ends: membership_period_idx), not every membership.
    counts = aggregate_once(("members.renewals", month_start(today)), lambda: (  # its SQL built once a month (quai/compiled.py)
        # Active accounts only, as the lists the card links to (an erased member renews nothing).
        Membership.objects.filter(Q(paid_on__isnull=True) | this_month, member__is_active=True).aggregate(
            pending=Count("pk", filter=Q(paid_on__isnull=True)),
            expiring=Count(
                "member", distinct=True,
                filter=Q(paid_on__isnull=False) & this_month & ~Q(Exists(paid)),
            ),
        )
    ))
    return {
        "value": counts["pending"],
        "detail": ngettext("%(count)s membership ends this month", "%(count)s memberships end this month",
                           counts["expiring"]) % {"count": counts["expiring"]},
        "url": reverse("members:staff_list") + "?status=pending",  # the value: renewals waiting for payment
        "detail_url": reverse("members:staff_list") + "?status=month",  # the detail: who they are
    }
