"""Impact API (staff only): figures of a period, and the drill-down rows that make each figure.

GET /api/v1/impact/?codes=ESS-1,MEM-1&from=YYYY-MM-DD&to=YYYY-MM-DD (both dates inclusive)
GET /api/v1/impact/{code}/rows/?from=&to= — paginated; for a count indicator `count` equals the
figure (for a sum or a ratio the rows carry the column the figure sums; `value` is the figure).
Figures are computed live from the same rows, so the two always agree.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from quai import impact
from quai.api import PageNumberPagination
from quai.errors import DomainError


class IsStaffForImpact(permissions.BasePermission):
    message = gettext_lazy("The impact figures are for staff only.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


def _date(params, name):
    raw = params.get(name)
    if not raw:
        return None
    try:
        return serializers.DateField().to_internal_value(raw)
    except serializers.ValidationError:
        raise DomainError(_("“%(value)s” is not a date: write it YYYY-MM-DD.") % {"value": raw}, field=name,
                          code="invalid_date") from None


def _period(request) -> impact.Period:
    period = impact.period_validate(_date(request.query_params, "from"), _date(request.query_params, "to"))
    return period


def _number(value):
    return None if value is None else float(value)


PERIOD_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (default: the programme start)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day, inclusive (default: today)"),
]


@extend_schema(
    tags=["impact"],
    parameters=[OpenApiParameter("codes", OpenApiTypes.STR, description="comma-separated codes (default: all)"), *PERIOD_PARAMETERS],
    responses=inline_serializer("ImpactFigures", {"results": serializers.ListField(child=serializers.DictField())}),
)
class ImpactListView(APIView):
    """The figures of the period for the indicators asked for."""

    permission_classes = [IsStaffForImpact]

    def get(self, request):
        raw_codes = request.query_params.get("codes", "")
        codes = [code.strip().upper() for code in raw_codes.split(",") if code.strip()]
        unknown = [code for code in codes if impact.indicator_by_code(code) is None]
        if unknown:
            raise DomainError(_("Unknown indicator code: %(codes)s.") % {"codes": ", ".join(unknown)}, field="codes",
                              code="unknown_code")
        period = _period(request)
        selected = [impact.indicator_by_code(code) for code in codes] if codes else impact.indicators()
        computed_at = timezone.now().isoformat()
        results = []
        for indicator in selected:
            value = indicator.value(period.start, period.end)
            results.append({
                "code": indicator.code, "label": str(indicator.label), "value": _number(value),
                "unit": indicator.unit, "target": _number(indicator.target_for(period)),
                "definition": str(indicator.definition), "definition_version": indicator.definition_version,
                "details": indicator.detail_values(period.start, period.end),
                "from": period.start.isoformat(), "to": period.last_day.isoformat(), "computed_at": computed_at,
            })
        return Response({"results": results})


@extend_schema(
    tags=["impact"], parameters=PERIOD_PARAMETERS,
    responses=inline_serializer("ImpactRows", {
        "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True), "value": serializers.FloatField(allow_null=True),
        "results": serializers.ListField(child=serializers.DictField()),
    }),
)
class ImpactRowsView(APIView):
    """The rows that make one indicator's figure over the period (people, registrations, projects…)."""

    permission_classes = [IsStaffForImpact]

    def get(self, request, code):
        indicator = impact.indicator_by_code(code.upper())
        if indicator is None:
            raise DomainError(_("Unknown indicator code: %(codes)s.") % {"codes": code}, field="code", code="unknown_code")
        period = _period(request)
        rows = indicator.drilldown(period.start, period.end)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        keys = [key for key, _label in indicator.columns]
        response = paginator.get_paginated_response([{key: row.get(key) for key in keys} for row in page])
        response.data["value"] = _number(indicator.value(period.start, period.end))
        response.data["code"] = indicator.code
        return response
