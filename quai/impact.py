"""The impact engine: indicators declared by the apps, computed set-based, stored as dated snapshots.

An indicator (DOMAIN.md §1) is ONE queryset of the rows that make it — `rows(start, end)`, a
`values()` queryset, one dict per person, registration, project, enrolment or booking — and ONE
aggregate of that queryset (count of the rows, sum of a column, ratio of two sums). The figure is
computed from the very queryset the drill-down shows, so the two cannot disagree: for a count the
number of rows *is* the figure; for a sum or a ratio the rows carry the column that is summed.

Periods are [start, end) in Europe/Paris local dates. A cumulative indicator (ESS-1, PRJ-2) counts
from the programme start (settings.QUAI_PROGRAMME_START) to the period end, whatever the start.

`quai` imports no app: each app declares its indicators in `<app>/indicators.py` and registers them
from its `registrations.py` through `quai.registry.register_indicator`.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PARIS = ZoneInfo(settings.TIME_ZONE)


# --- Periods --------------------------------------------------------------------------------------

def programme_start() -> datetime.date:
    """The first day the programme counts (settings.QUAI_PROGRAMME_START)."""
    return settings.QUAI_PROGRAMME_START


def local_midnight(day: datetime.date) -> datetime.datetime:
    """Start of a local day, aware (datetime columns are compared with this)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str  # "day", "month", "year", "all" (since the programme start), "custom"
    start: datetime.date
    end: datetime.date  # exclusive

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    def label(self) -> str:
        from django.utils.formats import date_format

        if self.kind == "day":
            return date_format(self.start, "SHORT_DATE_FORMAT")
        if self.kind == "month":
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.kind == "year":
            return str(self.start.year)
        return f"{date_format(self.start, 'SHORT_DATE_FORMAT')} – {date_format(self.last_day, 'SHORT_DATE_FORMAT')}"


def period_of(kind: str, day: datetime.date) -> Period:
    """The day, month or year that holds `day`; "all" runs from the programme start to `day` included."""
    if kind == "day":
        return Period("day", day, day + datetime.timedelta(days=1))
    if kind == "month":
        start = month_start(day)
        return Period("month", start, add_months(start, 1))
    if kind == "year":
        return Period("year", datetime.date(day.year, 1, 1), datetime.date(day.year + 1, 1, 1))
    if kind == "all":
        return Period("all", programme_start(), day + datetime.timedelta(days=1))
    raise ValueError(kind)


def snapshot_periods(today: datetime.date, *, days: int = 7) -> list[Period]:
    """What the nightly task writes: since the start, each year and month since the start, the last days."""
    start = programme_start()
    periods = [period_of("all", today)]
    periods += [period_of("year", datetime.date(year, 1, 1)) for year in range(start.year, today.year + 1)]
    month = month_start(start)
    while month <= today:
        periods.append(period_of("month", month))
        month = add_months(month, 1)
    periods += [period_of("day", today - datetime.timedelta(days=n)) for n in range(days)]
    return periods


# --- Quantities not made of rows -------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodQuantity:
    """A figure that is not made of rows (open desk half-days, room occupancy), computed for many
    windows [start, end) by ONE query: `many(windows)` returns one value per window, in order.
    Called as `quantity(start, end)` it is `many([(start, end)])[0]`: one code path for one period
    and for a whole snapshot, so the two cannot disagree."""

    many: Callable[[list[tuple[datetime.date, datetime.date]]], list]

    def __call__(self, start: datetime.date, end: datetime.date):
        return self.many([(start, end)])[0]


def values_of(function: Callable, windows: list[tuple[datetime.date, datetime.date]]) -> list:
    """`function(start, end)` for each window: one query for a PeriodQuantity, else one per window."""
    if isinstance(function, PeriodQuantity):
        return function.many(windows) if windows else []
    return [function(start, end) for start, end in windows]


# --- Aggregates -----------------------------------------------------------------------------------

class Aggregate:
    """How a figure comes out of its rows. `value(rows, start, end)` returns a Decimal or None (no data).

    `summed` names the columns a figure sums; `from_sums(count, sums, nonnull, known)` gives the
    same figure from the number of rows, Σ of each summed column and how many of its values are not
    null, and what `known(windows)` found for its window — for `period_values`, which reads those
    per day for every period at once.
    """

    kind = ""
    summed: tuple[str, ...] = ()

    def value(self, rows: QuerySet, start: datetime.date, end: datetime.date) -> Decimal | None:  # pragma: no cover
        raise NotImplementedError

    def known(self, windows: list[tuple[datetime.date, datetime.date]]) -> list:
        """What the figure needs besides its rows, for each window (nothing, but for RatioTo)."""
        return [None] * len(windows)

    def from_sums(self, count: int, sums: list, nonnull: list, known) -> Decimal | None:  # pragma: no cover
        raise NotImplementedError


class CountRows(Aggregate):
    """The number of rows: rows are already one per person/project/registration (distinct)."""

    kind = "count"

    def value(self, rows, start, end):
        return Decimal(rows.count())

    def from_sums(self, count, sums, nonnull, known):
        return Decimal(count)


@dataclass(frozen=True)
class SumOf(Aggregate):
    """Σ of one column of the rows; no rows → None ("no data") when `none_if_empty`, else 0."""

    column: str
    none_if_empty: bool = False
    kind = "sum"

    @property
    def summed(self):
        return (self.column,)

    def value(self, rows, start, end):
        total = rows.aggregate(total=Sum(self.column))["total"]
        if total is None:
            return None if self.none_if_empty else Decimal(0)
        return Decimal(total)

    def from_sums(self, count, sums, nonnull, known):
        if not nonnull[0]:  # Σ over no value is NULL in SQL, as in `value`
            return None if self.none_if_empty else Decimal(0)
        return Decimal(sums[0])


@dataclass(frozen=True)
class RatioOf(Aggregate):
    """Σ numerator ÷ Σ denominator over the rows, as a percentage; no denominator → None."""

    numerator: str
    denominator: str
    kind = "ratio"

    @property
    def summed(self):
        return (self.numerator, self.denominator)

    def value(self, rows, start, end):
        sums = rows.aggregate(num=Sum(self.numerator), den=Sum(self.denominator))
        if not sums["den"]:
            return None
        return Decimal(sums["num"] or 0) * 100 / Decimal(sums["den"])

    def from_sums(self, count, sums, nonnull, known):
        if not sums[1]:
            return None
        return Decimal(sums[0] or 0) * 100 / Decimal(sums[1])


@dataclass(frozen=True)
class RatioTo(Aggregate):
    """Σ of a column of the rows ÷ a quantity that is not made of rows (open desk half-days), as a percentage."""

    numerator: str
    denominator: Callable[[datetime.date, datetime.date], Decimal]
    kind = "ratio"

    @property
    def summed(self):
        return (self.numerator,)

    def value(self, rows, start, end):
        den = self.denominator(start, end)
        if not den:
            return None
        num = rows.aggregate(num=Sum(self.numerator))["num"] or 0
        return Decimal(num) * 100 / Decimal(den)

    def known(self, windows):
        return values_of(self.denominator, windows)

    def from_sums(self, count, sums, nonnull, known):
        den = known
        if not den:
            return None
        return Decimal(sums[0] or 0) * 100 / Decimal(den)


# --- Indicators -----------------------------------------------------------------------------------

UNITS = {
    "people": _("people"),
    "count": _("rows"),
    "projects": _("projects"),
    "percent": "%",
    "hours": _("hours"),
    "fte": _("FTE"),
}


@dataclass(frozen=True)
class Detail:
    """A figure reported apart. With `rows` and `period_column` (as for an indicator), the value is
    the number of those rows, and a snapshot computes every period from one query."""

    key: str
    label: Any
    value: Callable[[datetime.date, datetime.date], Any] | None = None
    rows: Callable[[datetime.date, datetime.date], QuerySet] | None = None
    period_column: str = ""

    def value_for(self, start: datetime.date, end: datetime.date):
        return self.rows(start, end).count() if self.value is None else self.value(start, end)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any  # lazy translation (English source, French catalogue)
    definition: Any  # lazy translation: the counting rule, as funders read it
    unit: str  # a key of UNITS
    rows: Callable[[datetime.date, datetime.date], QuerySet]  # values() queryset for [start, end)
    aggregate: Aggregate
    # (column of the rows, lazy heading): what the drill-down, the exports and the API show.
    columns: tuple[tuple[str, Any], ...]
    app_label: str
    definition_version: int = 1
    cumulative: bool = False  # counts from the programme start to the period end
    target: Decimal | None = None
    target_per_year: bool = False  # the target is for each calendar year (FAB-1, FAB-2)
    target_date: datetime.date | None = None
    # Figures reported apart, never merged into the figure (anonymous walk-ins, excused absences…).
    details: tuple[Detail, ...] = ()
    # (column, URL name, key of the row): on the indicator page, that column's cell links to the
    # staff page of its person or project, `reverse(URL name, args=[row[key]])`.
    links: tuple[tuple[str, str, str], ...] = ()
    order: int = 100
    # The column of the rows (a date or a datetime) that places each row in ONE period, when the
    # rows of [start, end) are exactly the rows of any longer window whose column falls in
    # [start, end) (a registration by its event's start, a person by their first attendance).
    # Then `period_values` computes every period of a snapshot from one query. Empty: one query
    # per period (a person counted in several periods, a membership valid on a day…).
    period_column: str = ""
    # Without a period column: the figures of many windows [start, end) from ONE query, one per
    # window in order, each equal to the aggregate of that window's rows (the property test holds
    # it to that). For rows that fall in several periods, e.g. MEM-1's members valid on each
    # period's last day. `value()` uses it too (a list of one window), so a figure is the same
    # query whether computed alone or in a snapshot.
    figures_many: Callable[[list[tuple[datetime.date, datetime.date]]], list] | None = None

    def window(self, start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
        return (programme_start(), end) if self.cumulative else (start, end)

    def drilldown(self, start: datetime.date, end: datetime.date) -> QuerySet:
        return self.rows(*self.window(start, end))

    def value(self, start: datetime.date, end: datetime.date) -> Decimal | None:
        window = self.window(start, end)
        if self.figures_many is not None:  # one code path for one period and for a snapshot's many
            figure = self.figures_many([window])[0]
            return self._round(None if figure is None else Decimal(figure))
        return self._round(self.aggregate.value(self.rows(*window), *window))

    def _round(self, figure: Decimal | None) -> Decimal | None:
        return None if figure is None else figure.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def detail_values(self, start: datetime.date, end: datetime.date) -> dict:
        window = self.window(start, end)
        return {detail.key: _json_number(detail.value_for(*window)) for detail in self.details}

    @property
    def is_count(self) -> bool:
        return isinstance(self.aggregate, CountRows)

    @property
    def unit_label(self):
        return UNITS.get(self.unit, self.unit)

    def target_for(self, period: Period) -> Decimal | None:
        """The target that applies to a period: a yearly target is scaled to the period's years (at least one)."""
        if self.target is None:
            return None
        if not self.target_per_year:
            return self.target
        years = max(1, round((period.end - period.start).days / 365.25))
        return self.target * years


def _json_number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01")))
    return value


def indicators() -> list[Indicator]:
    from quai.registry import registry

    return list(registry.indicators)


def indicator_by_code(code: str) -> Indicator | None:
    from quai.registry import registry

    return next((item for item in registry.indicators if item.code == code), None)


# --- Snapshots ------------------------------------------------------------------------------------

def period_values(indicator: Indicator, periods: list[Period]) -> list[Decimal | None]:
    """The figure of each period, equal to `indicator.value(period.start, period.end)` for each.

    With a `period_column`, ONE query: the rows of the window that spans every period, grouped by
    the local day of that column, give per day the number of rows and Σ of each summed column
    (SELECT … FROM (<the rows queryset>) GROUP BY day); a period's figure is the aggregate of its
    days (prefix sums: a subtraction per period). With `figures_many`, its one query. Otherwise
    one query per period.
    """
    if len(periods) < 2 or not (indicator.period_column or indicator.figures_many):
        return [indicator.value(period.start, period.end) for period in periods]
    windows = [indicator.window(period.start, period.end) for period in periods]
    if not indicator.period_column:
        return [indicator._round(None if figure is None else Decimal(figure)) for figure in indicator.figures_many(windows)]
    return [indicator._round(figure) for figure in _by_day(indicator.rows, indicator.period_column, indicator.aggregate, windows)]


def period_details(indicator: Indicator, periods: list[Period]) -> list[dict]:
    """`indicator.detail_values` of each period; a detail with rows and a period column in one query."""
    windows = [indicator.window(period.start, period.end) for period in periods]
    columns = {}
    for detail in indicator.details:
        if detail.rows is not None and detail.period_column and len(periods) > 1:
            columns[detail.key] = _by_day(detail.rows, detail.period_column, CountRows(), windows)
        elif detail.value is not None:
            columns[detail.key] = values_of(detail.value, windows)
        else:
            columns[detail.key] = [detail.value_for(*window) for window in windows]
    return [{key: _json_number(values[index]) for key, values in columns.items()} for index in range(len(periods))]


def _by_day(rows_for: Callable, column: str, aggregate: Aggregate, windows: list[tuple]) -> list[Decimal | None]:
    """Figures of several windows from one query of the rows of the window spanning them all, grouped by day."""
    import bisect

    from django.db import connection
    from django.db.models import DateTimeField

    rows = rows_for(min(start for start, _end in windows), max(end for _start, end in windows)).order_by()
    field = rows.query.annotations[column].output_field if column in rows.query.annotations else rows.model._meta.get_field(column)
    at_time_zone = isinstance(field, DateTimeField)
    sql, params = rows.query.sql_with_params()
    day = f'(r."{column}" AT TIME ZONE %s)::date' if at_time_zone else f'r."{column}"'
    sums = "".join(f', sum(r."{name}"), count(r."{name}")' for name in aggregate.summed)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {day} AS day, count(*){sums} FROM ({sql}) r GROUP BY 1 ORDER BY 1",
                       ((settings.TIME_ZONE,) if at_time_zone else ()) + tuple(params))
        days = cursor.fetchall()
    # Prefix sums over the days (a few thousand at most: groups, not rows): totals[i] is the total of the first i days.
    totals = [(0,) * (1 + 2 * len(aggregate.summed))]
    for row in days:
        totals.append(tuple(a + (b or 0) for a, b in zip(totals[-1], row[1:])))
    keys = [row[0] for row in days]
    figures = []
    for (start, end), known in zip(windows, aggregate.known(windows)):
        low, high = totals[bisect.bisect_left(keys, start)], totals[bisect.bisect_left(keys, end)]
        count, *rest = (b - a for a, b in zip(low, high))
        figure = aggregate.from_sums(count, rest[0::2], rest[1::2], known)
        figures.append(None if figure is None else Decimal(figure))
    return figures


# Upsert that leaves a row untouched when nothing it holds changed: a second run writes nothing
# (the row keeps its computed_at, the date the value was first found), and a changed definition
# version or value replaces it.
UPSERT_SQL = """
INSERT INTO quai_indicatorsnapshot
    (code, period_kind, period_start, period_end, value, details, definition_version, computed_at)
VALUES %s
ON CONFLICT (code, period_kind, period_start) DO UPDATE SET
    period_end = EXCLUDED.period_end, value = EXCLUDED.value, details = EXCLUDED.details,
    definition_version = EXCLUDED.definition_version, computed_at = EXCLUDED.computed_at
WHERE (quai_indicatorsnapshot.period_end, quai_indicatorsnapshot.value, quai_indicatorsnapshot.details,
       quai_indicatorsnapshot.definition_version)
      IS DISTINCT FROM (EXCLUDED.period_end, EXCLUDED.value, EXCLUDED.details, EXCLUDED.definition_version)
"""


def snapshots_write(rows: list[tuple]) -> int:
    """Upsert snapshot rows; returns how many rows were inserted or changed."""
    import json

    from django.db import connection
    from psycopg2.extras import execute_values

    if not rows:
        return 0
    values = [(*row[:5], json.dumps(row[5], sort_keys=True), *row[6:]) for row in rows]
    with connection.cursor() as cursor:
        # One statement for all the rows (an indicator's periods: a hundred or so), so rowcount is exact.
        execute_values(cursor.cursor, UPSERT_SQL, values, template="(%s, %s, %s, %s, %s, %s::jsonb, %s, %s)",
                       page_size=len(values))
        return cursor.cursor.rowcount


# Sort and hash memory of the snapshot's own transactions (PostgreSQL's default is 4 MB): the
# grouped queries of a snapshot (EVT-4's people of a period, a year of registrations grouped by
# day) spill to disk beyond it. One connection at a time, at night: the server can afford it.
SNAPSHOT_WORK_MEM = "64MB"


def _snapshot_work_mem() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # SET LOCAL: this transaction only. No JIT: compiling a snapshot query's expressions took
        # longer (3 s for EVT-4 at scale 100) than running them.
        cursor.execute("SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)", [SNAPSHOT_WORK_MEM])


def compute_snapshots(*, today: datetime.date | None = None, codes: list[str] | None = None,
                      progress: Callable[[int, int], None] | None = None) -> int:
    """Compute every indicator for every snapshot period and upsert the snapshots.

    Idempotent: running it twice on the same data writes nothing the second time.
    Returns the number of (indicator, period) figures computed.
    """
    from django.db import transaction

    today = today or timezone.localdate()
    periods = snapshot_periods(today)
    selected = [item for item in indicators() if codes is None or item.code in codes]
    total = len(selected) * len(periods)
    done = 0
    now = timezone.now()
    for indicator in selected:
        # One indicator at a time in its own transaction: the figures of one code are coherent, and
        # a long run never holds one transaction open over all of them.
        with transaction.atomic():
            _snapshot_work_mem()
            snapshots_write([
                (indicator.code, period.kind, period.start, period.end, value, details, indicator.definition_version, now)
                for period, value, details in zip(periods, period_values(indicator, periods), period_details(indicator, periods))
            ])
        done += len(periods)
        if progress is not None:
            progress(done, total)
    return done


# --- Runs (the status row staff watch) ------------------------------------------------------------

STALE_AFTER = datetime.timedelta(hours=1)  # a run "running" longer than this died with its worker


def impact_run_request(*, by=None, enqueue: bool = True):
    """Queue a recomputation (staff button, nightly beat) -> (run, created).

    A run already queued or running is returned instead (created False).

    The partial unique constraint (impact_run_one_active) makes two clicks at once end with one run.
    """
    from django.db import IntegrityError, transaction

    from quai.audit import audit_log
    from quai.models import ImpactRun

    now = timezone.now()
    ImpactRun.objects.filter(status=ImpactRun.Status.RUNNING, started_at__lt=now - STALE_AFTER).update(
        status=ImpactRun.Status.FAILED, finished_at=now, error="stale: the worker stopped"
    )
    try:
        with transaction.atomic():
            run = ImpactRun.objects.create(requested_by=by, total=len(indicators()) * len(snapshot_periods(timezone.localdate())))
            if by is not None:
                audit_log(actor=by, action="impact.recompute", target=run)
    except IntegrityError:
        return ImpactRun.objects.filter(status__in=[ImpactRun.Status.QUEUED, ImpactRun.Status.RUNNING]).first(), False

    def send_to_worker():
        compute_impact.delay(run.pk)

    if enqueue:
        transaction.on_commit(send_to_worker)
    return run, True


def impact_run_execute(*, run_id: int) -> str:
    """Claim a queued run (conditional UPDATE: only one worker gets it), compute, record the outcome."""
    from quai.models import ImpactRun

    claimed = ImpactRun.objects.filter(pk=run_id, status=ImpactRun.Status.QUEUED).update(
        status=ImpactRun.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "not-claimed"

    def progress(done: int, total: int) -> None:
        ImpactRun.objects.filter(pk=run_id).update(done=done, total=total)

    try:
        compute_snapshots(progress=progress)
    except Exception as exc:
        ImpactRun.objects.filter(pk=run_id).update(status=ImpactRun.Status.FAILED, finished_at=timezone.now(),
                                                   error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    ImpactRun.objects.filter(pk=run_id).update(status=ImpactRun.Status.DONE, finished_at=timezone.now())
    return "done"


# --- Reads for the pages (constant number of queries) -----------------------------------------

def target_period_kind(indicator: Indicator) -> str:
    """Which period a target is measured on: cumulative → since the start; per year → this year; else this month."""
    if indicator.cumulative:
        return "all"
    return "year" if indicator.target_per_year else "month"


def dashboard_snapshots(today: datetime.date) -> list[tuple]:
    """The snapshot rows the staff home shows, (code, kind, start, value, computed_at): ONE query.

    Only the figures shown: 24 months of the indicators with a target (their charts), this month
    and the same month a year ago of every indicator, this year and last year, since the start."""
    from django.db.models import Q

    from quai.models import IndicatorSnapshot

    this_month = month_start(today)
    return list(IndicatorSnapshot.objects.filter(
        Q(period_kind="month", period_start__gte=add_months(this_month, -23),
          code__in=[item.code for item in indicators() if item.target is not None])
        | Q(period_kind="month", period_start__in=[this_month, add_months(this_month, -12)])
        | Q(period_kind="year", period_start__gte=datetime.date(today.year - 1, 1, 1)) | Q(period_kind="all")
    ).values_list("code", "period_kind", "period_start", "value", "computed_at"))


def impact_dashboard(today: datetime.date, snapshots: list[tuple] | None = None) -> dict:
    """Targets with progress and a 24-month trend, and a period comparison, from `dashboard_snapshots`."""
    from quai.charts import bar_chart, number_format

    if snapshots is None:
        snapshots = dashboard_snapshots(today)
    this_month = month_start(today)
    first_month = add_months(this_month, -23)
    last_year = datetime.date(today.year - 1, 1, 1)
    everything = indicators()
    index, computed_at = {}, None
    for code, kind, start, value, stamp in snapshots:
        index[(code, kind, start)] = value
        computed_at = stamp if computed_at is None or stamp > computed_at else computed_at
    months = [add_months(first_month, n) for n in range(24)]
    from django.utils.formats import date_format

    month_labels = [date_format(m, "N Y") for m in months]  # "juin 2026", "juil. 2026": never "Jui"
    targets, comparison = [], []
    numbers = number_format()
    for indicator in everything:
        if indicator.target is not None:
            kind = target_period_kind(indicator)
            period = period_of(kind, today)
            value = index.get((indicator.code, kind, period.start))
            target = indicator.target_for(period)
            percent = min(100, int(value * 100 / target)) if value is not None and target else 0
            targets.append({
                "indicator": indicator, "period": period, "value": value, "value_text": numbers(value, indicator.unit),
                "target": target, "target_text": numbers(target, indicator.unit), "percent": percent,
                "chart": bar_chart(
                    title=_("%(code)s month by month, over 24 months") % {"code": indicator.code}, unit=indicator.unit,
                    points=[(label, index.get((indicator.code, "month", m))) for label, m in zip(month_labels, months)],
                    target=indicator.target if indicator.cumulative or not indicator.target_per_year else None,
                ),
            })
        pairs = [
            index.get((indicator.code, "month", this_month)), index.get((indicator.code, "month", add_months(this_month, -12))),
            index.get((indicator.code, "year", datetime.date(today.year, 1, 1))), index.get((indicator.code, "year", last_year)),
        ]
        comparison.append({
            "indicator": indicator,
            "month": numbers(pairs[0], indicator.unit), "month_before": numbers(pairs[1], indicator.unit),
            "month_change": _change(pairs[0], pairs[1]),
            "year": numbers(pairs[2], indicator.unit), "year_before": numbers(pairs[3], indicator.unit),
            "year_change": _change(pairs[2], pairs[3]),
        })
    return {
        "targets": targets, "comparison": comparison, "computed_at": computed_at, "this_month": this_month,
        "month_last_year": add_months(this_month, -12), "this_year": today.year, "last_year": today.year - 1,
    }


# The rendered block is kept a day at most: its key names the day anyway.
IMPACT_BLOCK_TIMEOUT = 24 * 3600
# The code that renders the block (templates, charts, translation catalogues) is this process's:
# a new process (a deploy) starts new keys, so a block drawn by older code is never shown.
_PROCESS_TOKEN = uuid.uuid4().hex


def impact_block(today: datetime.date) -> tuple[str, datetime.datetime | None]:
    """The staff home's impact block (targets with progress and trend, period comparison) as HTML,
    and the latest change of its figures.

    Rendered once per content and kept in the shared cache: the key is a digest of the very
    snapshot rows it shows (values and dates of change), the day, the language and time zone, and
    the process's code. A snapshot run that changes a figure changes the key; one that changes
    nothing keeps it. The rows are read on every request (ONE query), so the block can never be
    older than the figures. It holds nothing about the person: the view checks staff access first.
    A hit skips the six charts, ≈ 300 formatted figures and the template.
    """
    import hashlib

    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    rows = sorted(dashboard_snapshots(today), key=lambda row: row[:3])
    computed_at = max((row[4] for row in rows), default=None)
    digest = hashlib.sha256(repr((_PROCESS_TOKEN, get_language(), timezone.get_current_timezone_name(), today, rows)).encode())
    key = f"quai:impact-block:{digest.hexdigest()}"
    html = cache.get(key)
    if html is None:
        html = str(render_to_string("quai/_impact_home.html", {"impact": impact_dashboard(today, rows)}))
        cache.set(key, html, IMPACT_BLOCK_TIMEOUT)
    return mark_safe(html), computed_at  # rendered by the template engine (autoescaped), only ever by it


def _change(now, before) -> str:
    if now is None or before is None:
        return "—"
    if now == before:
        return "="
    from quai.charts import format_number

    if before <= 0:  # from 0, or from a negative figure (INC-1): the difference itself, with its sign
        difference = Decimal(now) - Decimal(before)
        return ("+" if difference > 0 else "-") + format_number(abs(difference))
    change = (Decimal(now) - Decimal(before)) * 100 / Decimal(before)
    # Whole percents, or one decimal under 1 %: a rate from 78,1 % to 77,8 % is "-0,4 %", not "-0 %".
    rounded = change.quantize(Decimal("1") if abs(change) >= Decimal("0.95") else Decimal("0.1"), rounding=ROUND_HALF_UP)
    if not rounded:
        return "0 %"
    return ("+" if rounded > 0 else "-") + format_number(abs(rounded), "percent")


def indicator_history(indicator: Indicator) -> dict:
    """The figure per year and per month from the snapshots of one indicator: ONE query."""
    from quai.models import IndicatorSnapshot

    rows = list(
        IndicatorSnapshot.objects.filter(code=indicator.code, period_kind__in=["month", "year", "all"])
        .order_by("period_kind", "period_start")
        .values("period_kind", "period_start", "period_end", "value", "definition_version", "computed_at", "details")
    )
    return {
        "years": [row for row in rows if row["period_kind"] == "year"],
        "months": [row for row in rows if row["period_kind"] == "month"],
        "all": next((row for row in rows if row["period_kind"] == "all"), None),
    }


def period_validate(first_day: datetime.date | None, last_day: datetime.date | None, *, today: datetime.date | None = None) -> Period:
    """A period asked for by a page or the API: [first_day, last_day] inclusive → Period, or DomainError saying why.

    Defaults: from the programme start to today. Refused: the end before the start, a start before
    the programme started, an end after the current year (figures of the future do not exist).
    """
    from django.utils.formats import date_format

    from quai.errors import DomainError

    today = today or timezone.localdate()
    first_day = first_day or programme_start()
    last_day = last_day or today
    if last_day < first_day:
        raise DomainError(_("The period ends before it starts: choose an end date on or after the start date."), field="to",
                          code="period_reversed")
    if first_day < programme_start():
        raise DomainError(_("The programme started on %(date)s: choose a start date from then on.")
                          % {"date": date_format(programme_start(), "SHORT_DATE_FORMAT")}, field="from", code="before_programme")
    year_end = datetime.date(today.year, 12, 31)
    if last_day > year_end:
        raise DomainError(_("No figures exist after %(date)s: choose an end date up to then.")
                          % {"date": date_format(year_end, "SHORT_DATE_FORMAT")}, field="to", code="after_programme")
    return Period("custom", first_day, last_day + datetime.timedelta(days=1))


def rows_matching(indicator: Indicator, rows, text: str):
    """The drill-down rows of which a text column (a person, a project, an event's title…) contains
    `text`, whatever its case: the staff's filter on an indicator page and its exports. A union of
    sources (PRJ-1, PRJ-2: a few hundred project names) is filtered as it is read."""
    from functools import reduce
    from operator import or_

    from django.core.exceptions import FieldDoesNotExist
    from django.db.models import CharField, Q, TextField

    keys = []
    for key, _label in indicator.columns:
        if rows.query.combinator:  # union: its columns are the first query's
            keys.append(key)
            continue
        try:
            field = rows.query.annotations[key].output_field if key in rows.query.annotations else rows.model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        if isinstance(field, (CharField, TextField)):
            keys.append(key)
    if rows.query.combinator:
        folded = text.casefold()
        return [row for row in rows if any(isinstance(row.get(key), str) and folded in row[key].casefold() for key in keys)]
    if not keys:
        return rows.none()
    return rows.filter(reduce(or_, (Q(**{f"{key}__icontains": text}) for key in keys)))


def cell_value(value):
    """A drill-down value as a spreadsheet cell: local naive datetimes (openpyxl refuses aware ones), numbers as numbers."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, PARIS).replace(tzinfo=None)
    return value


# Defined here, not in quai/tasks.py, so that this module needs no import of the tasks (which
# import it); the name stays the one beat and the queues know.
@shared_task(name="quai.tasks.compute_impact", acks_late=True, time_limit=1800, soft_time_limit=1700)
def compute_impact(run_id: int | None = None) -> str:
    """Nightly (beat, no id) or asked by staff (the id of a queued run): write the impact snapshots.

    Harmless when run twice: the run is claimed by a conditional UPDATE, and the snapshots are
    upserted (unchanged figures are not rewritten).
    """
    if run_id is None:
        run, created = impact_run_request(by=None, enqueue=False)
        if not created:
            return "already-running"
        run_id = run.pk
    return impact_run_execute(run_id=run_id)
