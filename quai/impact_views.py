"""Impact pages: recomputation and its progress, the indicator page (drill-down, exports), the funder
report (printable, XLSX) and the public impact page. Thin: reads come from quai.impact."""

import csv
import datetime
from decimal import Decimal
from itertools import chain, islice
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from quai import impact, xlsx
from quai.charts import bar_chart, format_number
from quai.exports import neutralise
from quai.impact_forms import DrilldownForm, FunderReportForm
from quai.models import FinancedAction, ImpactRun, IndicatorSetting
from quai.permissions import StaffRequiredMixin

def _indicator_or_404(code: str) -> impact.Indicator:
    indicator = impact.indicator_by_code(code)
    if indicator is None:
        raise Http404
    return indicator


class ImpactRunView(StaffRequiredMixin, View):
    """POST: queue a recomputation (a run already under way is shown instead); GET: its status (htmx polls it)."""

    def get(self, request):
        return render(request, "quai/_impact_run.html", {"run": ImpactRun.objects.first()})

    def post(self, request):
        run, created = impact.impact_run_request(by=request.user)
        if not request.htmx:
            if created:
                messages.success(request, _("The figures are being recomputed."))
            else:
                messages.info(request, _("A computation is already under way."))
            return redirect("staff_home")
        return render(request, "quai/_impact_run.html", {"run": run, "created": created})


def _this_year_so_far() -> tuple[datetime.date, datetime.date]:
    """1 January (or the programme's start, in its first year) to today."""
    today = timezone.localdate()
    return max(today.replace(month=1, day=1), impact.programme_start()), today


def _default_period(indicator) -> impact.Period:
    start, today = _this_year_so_far()
    return impact.period_validate(impact.programme_start() if indicator.cumulative else start, today)


class IndicatorView(StaffRequiredMixin, View):
    """Definition and version, figure per period, trend, and the drill-down rows of a chosen period."""

    paginate_by = 50

    def get(self, request, code):
        indicator = _indicator_or_404(code)
        form = DrilldownForm(request.GET or None)
        status, text = 200, ""
        if form.is_bound and form.is_valid():
            period, text = form.cleaned_data["period"], form.cleaned_data["q"]
        else:
            period = _default_period(indicator)
            if form.is_bound:
                status = 400
            else:
                form = DrilldownForm(initial={"start": period.start, "end": period.last_day})
        history = impact.indicator_history(indicator)
        rows = indicator.drilldown(period.start, period.end)
        total = None
        if text:  # the figure's rows are all counted; the table shows those that match
            total = rows.count()
            rows = impact.rows_matching(indicator, rows, text)
        page = Paginator(rows, self.paginate_by).get_page(request.GET.get("page"))
        value = indicator.value(period.start, period.end)
        columns = indicator.columns
        months = history["months"][-36:]
        chart = bar_chart(
            title=_("%(label)s, month by month") % {"label": indicator.label}, unit=indicator.unit,
            points=[(_month_label(row["period_start"]), row["value"]) for row in months],
            target=indicator.target if indicator.target is not None and not indicator.target_per_year else None,
            width=400, height=220,
        )
        query = urlencode({"start": period.start.isoformat(), "end": period.last_day.isoformat(), **({"q": text} if text else {})})
        return render(request, "quai/impact_indicator.html", {
            "indicator": indicator, "form": form, "period": period, "value": value,
            "value_text": format_number(value, indicator.unit), "details": _details(indicator, period),
            "history": history, "years": [{**row, "text": format_number(row["value"], indicator.unit)} for row in history["years"]],
            "chart": chart, "page": page, "columns": columns,
            "table": _table(indicator, page.object_list),
            "query": query, "count": page.paginator.count, "total": total, "text": text,
        }, status=status)


def _table(indicator, rows) -> list[list[tuple]]:
    """(heading, value, link or None) of each cell of the page's rows."""
    links = {column: (name, key) for column, name, key in indicator.links}
    table = []
    for row in rows:
        cells = []
        for key, label in indicator.columns:
            link = links.get(key)
            url = reverse(link[0], args=[row[link[1]]]) if link and row.get(link[1]) is not None else None
            cells.append((label, row.get(key), url))
        table.append(cells)
    return table


def _details(indicator, period) -> list[tuple]:
    values = indicator.detail_values(period.start, period.end)
    return [(detail.label, format_number(values.get(detail.key))) for detail in indicator.details]


def _month_label(day) -> str:
    from django.utils.formats import date_format

    return date_format(day, "N Y")  # "juin 2026", "juil. 2026": never "Jui"


class IndicatorExportView(StaffRequiredMixin, View):
    """The drill-down rows of a period as CSV or XLSX (typed cells, frozen header)."""

    def get(self, request, code, fmt):
        indicator = _indicator_or_404(code)
        form = DrilldownForm(request.GET or None)
        period = form.cleaned_data["period"] if form.is_bound and form.is_valid() else None
        if form.is_bound and period is None:
            return HttpResponse(" ".join(str(e) for errors in form.errors.values() for e in errors), status=400,
                                content_type="text/plain; charset=utf-8")
        period = period or _default_period(indicator)
        rows = indicator.drilldown(period.start, period.end)
        if form.is_bound and form.cleaned_data["q"]:  # the rows shown on the page: those containing the text
            rows = impact.rows_matching(indicator, rows, form.cleaned_data["q"])
        name = f"{indicator.code}_{period.start.isoformat()}_{period.last_day.isoformat()}"
        if fmt == "csv":
            return _csv_response(indicator, rows, name)
        if fmt == "xlsx":
            return xlsx.xlsx_response(_figures_sheet([indicator], period), _definitions_sheet([indicator]),
                                      _rows_sheet(indicator, rows), filename=f"{name}.xlsx")
        raise Http404


def _csv_response(indicator, rows, name):
    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        yield writer.writerow([str(label) for _key, label in indicator.columns])
        for row in rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows:
            yield writer.writerow([neutralise(impact.cell_value(row.get(key))) for key, _label in indicator.columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _kind(values) -> str:
    """The spreadsheet type of a drill-down column, from its first values."""
    for value in values:
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, datetime.datetime):
            return xlsx.DATETIME
        if isinstance(value, datetime.date):
            return xlsx.DATE
        if isinstance(value, int):
            return xlsx.INTEGER
        if isinstance(value, (Decimal, float)):
            return xlsx.NUMBER
        return xlsx.TEXT
    return xlsx.TEXT


def _plain(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _rows_sheet(indicator, rows) -> xlsx.Sheet:
    """The drill-down rows, one typed column per column of the indicator (streamed)."""
    keys = [key for key, _label in indicator.columns]
    iterator = iter(rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows)
    sample = list(islice(iterator, 200))
    columns = [xlsx.Column(str(label), _kind(row.get(key) for row in sample)) for key, label in indicator.columns]
    return xlsx.Sheet(indicator.code, columns, ([_plain(row.get(key)) for key in keys] for row in chain(sample, iterator)))


def _figures_sheet(indicators_, period) -> xlsx.Sheet:
    columns = [xlsx.Column(_("Code")), xlsx.Column(_("Indicator")), xlsx.Column(_("From"), xlsx.DATE), xlsx.Column(_("To"), xlsx.DATE),
               xlsx.Column(_("Value"), xlsx.NUMBER), xlsx.Column(_("Unit")), xlsx.Column(_("Target"), xlsx.NUMBER)]
    rows = [[indicator.code, str(indicator.label), period.start, period.last_day, indicator.value(period.start, period.end),
             str(indicator.unit_label), indicator.target_for(period)] for indicator in indicators_]
    return xlsx.Sheet(_("Figures"), columns, rows)


def _definitions_sheet(indicators_) -> xlsx.Sheet:
    columns = [xlsx.Column(_("Code")), xlsx.Column(_("Indicator")), xlsx.Column(_("Definition")),
               xlsx.Column(_("Version"), xlsx.INTEGER), xlsx.Column(_("Unit")), xlsx.Column(_("Target"), xlsx.NUMBER)]
    rows = [[indicator.code, str(indicator.label), str(indicator.definition), indicator.definition_version,
             str(indicator.unit_label), indicator.target] for indicator in indicators_]
    return xlsx.Sheet(_("Definitions"), columns, rows)


def funder_report(funder, period) -> list[dict]:
    """Per financed action overlapping the period (Cerfa 15059): its indicators, targets, results, comments."""
    actions = FinancedAction.objects.select_related("funder").filter(starts_on__lt=period.end, ends_on__gte=period.start)
    if funder is not None:
        actions = actions.filter(funder=funder)
    sections = []
    for action in actions:
        lines = []
        for code in action.indicator_codes:
            indicator = impact.indicator_by_code(code)
            if indicator is None:
                continue
            value = indicator.value(period.start, period.end)
            target = action.targets.get(code)
            lines.append({"indicator": indicator, "value": value, "value_text": format_number(value, indicator.unit),
                          "target": target, "target_text": format_number(target, indicator.unit) if target is not None else "—"})
        sections.append({"action": action, "lines": lines})
    return sections


class FunderReportView(StaffRequiredMixin, View):
    """Choose a period and a funder: a printable report laid out like Cerfa 15059, or its XLSX."""

    def get(self, request, fmt=None):
        if fmt not in (None, "xlsx"):
            raise Http404
        form = FunderReportForm(request.GET or None)
        if not form.is_bound:  # this year so far, the period funders ask about most: one click to the report
            start, today = _this_year_so_far()
            form = FunderReportForm(initial={"start": start, "end": today})
        if not (form.is_bound and form.is_valid()):
            return render(request, "quai/impact_report.html", {"form": form}, status=400 if form.is_bound else 200)
        period, funder = form.cleaned_data["period"], form.cleaned_data["funder"]
        sections = funder_report(funder, period)
        if fmt == "xlsx":
            return self.xlsx(funder, period, sections)
        return render(request, "quai/impact_report.html", {
            "form": form, "period": period, "funder": funder, "sections": sections, "query": request.GET.urlencode(),
        })

    def xlsx(self, funder, period, sections):
        from django.utils.text import slugify

        used = []
        for section in sections:
            for line in section["lines"]:
                if line["indicator"] not in used:
                    used.append(line["indicator"])
        columns = [xlsx.Column(_("Funder")), xlsx.Column(_("Action")), xlsx.Column(_("From"), xlsx.DATE),
                   xlsx.Column(_("To"), xlsx.DATE), xlsx.Column(_("Code")), xlsx.Column(_("Indicator")),
                   xlsx.Column(_("Target"), xlsx.NUMBER), xlsx.Column(_("Result"), xlsx.NUMBER), xlsx.Column(_("Comments"))]
        rows = [
            [section["action"].funder.name, section["action"].title, period.start, period.last_day, line["indicator"].code,
             str(line["indicator"].label), line["target"], line["value"], section["action"].comments]
            for section in sections for line in section["lines"]
        ]
        name = f"rapport-{(funder.name if funder else 'financeurs')[:40]}-{period.start.isoformat()}-{period.last_day.isoformat()}"
        return xlsx.xlsx_response(
            xlsx.Sheet(_("Actions"), columns, rows), _definitions_sheet(used),
            *[_rows_sheet(indicator, indicator.drilldown(period.start, period.end)) for indicator in used],
            filename=f"{slugify(name)}.xlsx",
        )


class PublicImpactView(View):
    """The indicators staff chose to publish, with their definitions (figures from the snapshots: one query each kind)."""

    def get(self, request):
        public_codes = set(IndicatorSetting.objects.filter(is_public=True).values_list("code", flat=True))
        selected = [indicator for indicator in impact.indicators() if indicator.code in public_codes]
        today = timezone.localdate()
        wanted = Q()
        for indicator in selected:
            period = impact.period_of(impact.target_period_kind(indicator) if indicator.target is not None else "year", today)
            wanted |= Q(code=indicator.code, period_kind=period.kind, period_start=period.start)
        from quai.models import IndicatorSnapshot

        snapshots = {s.code: s for s in IndicatorSnapshot.objects.filter(wanted)} if selected else {}
        items = []
        for indicator in selected:
            snapshot = snapshots.get(indicator.code)
            kind = impact.target_period_kind(indicator) if indicator.target is not None else "year"
            period = impact.period_of(kind, today)
            value = snapshot.value if snapshot else None
            target = indicator.target_for(period)
            items.append({
                "indicator": indicator, "period": period, "value_text": format_number(value, indicator.unit),
                "target_text": format_number(target, indicator.unit) if target is not None else "",
                "percent": min(100, int(value * 100 / target)) if value is not None and target else None,
                "computed_at": snapshot.computed_at if snapshot else None,
            })
        return render(request, "quai/impact_public.html", {"items": items})
