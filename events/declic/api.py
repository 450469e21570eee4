"""Déclic Numérique API (staff only): the national JSON:API list and Quai's own create/list."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from events.declic import selectors, services
from events.declic.models import MediationActivity
from events.declic.serializers import ActiviteListSerializer, ActiviteSerializer, MediationSessionSerializer
from quai import inputs
from quai.api import PageNumberPagination as QuaiPagination
from quai.errors import DomainError
from quai.permissions import IsStaff

# Service arguments (national names) → fields of /mediation-sessions/ (Quai's names), for error messages.
SERVICE_TO_API_FIELD = {
    "type": "kind", "duree": "duration_min", "thematiques": "themes", "materiel": "equipment", "type_lieu": "place",
    "lieu_commune": "commune", "lieu_code_postal": "postal_code", "lieu_code_insee": "insee_code", "autonomie": "autonomy",
    "titre_atelier": "workshop_title", "niveau_atelier": "workshop_level", "oriente_vers_structure": "redirected",
    "structure_de_redirection": "redirected_to", "precisions_demarche": "procedure_details",
}


class PeriodSerializer(serializers.Serializer):
    du = inputs.SerializerDateField(required=False)
    au = inputs.SerializerDateField(required=False)

    def validate(self, data):
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            raise serializers.ValidationError({"au": [_("The end date must be on or after the start date.")]})
        return data


def _period(request) -> dict:
    params = request.query_params
    raw = {}
    for name in ("du", "au"):
        value = params.get(f"filter[{name}]", params.get(name))
        if value not in (None, ""):
            raw[name] = value
    period = PeriodSerializer(data=raw)
    period.is_valid(raise_exception=True)
    return {"start": period.validated_data.get("du"), "end": period.validated_data.get("au")}


PERIOD_PARAMETERS = [
    OpenApiParameter("du", OpenApiTypes.DATE, description="First day (YYYY-MM-DD), inclusive; also `filter[du]`."),
    OpenApiParameter("au", OpenApiTypes.DATE, description="Last day (YYYY-MM-DD), inclusive; also `filter[au]`."),
    OpenApiParameter("filter[du]", OpenApiTypes.DATE, description="Same as `du`."),
    OpenApiParameter("filter[au]", OpenApiTypes.DATE, description="Same as `au`."),
]


class JsonApiPagination(PageNumberPagination):
    """JSON:API pagination: `page[number]`, `page[size]`, and `links` to the first/prev/next/last pages."""

    page_query_param = "page[number]"
    page_size_query_param = "page[size]"
    page_size = 50
    max_page_size = 200

    def _link(self, number: int | None):
        if number is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, number)

    def get_paginated_response(self, data):
        page = self.page
        return Response({
            "data": data,
            "links": {
                "self": self._link(page.number),
                "first": self._link(1),
                "prev": self._link(page.previous_page_number() if page.has_previous() else None),
                "next": self._link(page.next_page_number() if page.has_next() else None),
                "last": self._link(page.paginator.num_pages),
            },
            "meta": {"total": page.paginator.count},
        })


@extend_schema(tags=["déclic numérique"])
class DeclicActivityListView(APIView):
    """Activities newest first, each `{"type": "activite", "id", "attributes"}` with national codes; staff only."""

    permission_classes = [IsStaff]

    @extend_schema(
        operation_id="declic_activites_list",
        summary="Activities in the national layout (La Coop de la médiation numérique)",
        parameters=PERIOD_PARAMETERS + [
            OpenApiParameter("page[number]", OpenApiTypes.INT, description="Page, from 1."),
            OpenApiParameter("page[size]", OpenApiTypes.INT, description="Activities per page (50 by default, 200 at most)."),
        ],
        responses={200: ActiviteListSerializer},
    )
    def get(self, request):
        period = _period(request)
        paginator = JsonApiPagination()
        page = paginator.paginate_queryset(selectors.mediation_activities_with_counts(**period), request, view=self)
        return paginator.get_paginated_response([ActiviteSerializer(activity).data for activity in page])


@extend_schema(tags=["déclic numérique"])
@extend_schema_view(
    get=extend_schema(parameters=PERIOD_PARAMETERS[:2], operation_id="mediation_sessions_list"),
    post=extend_schema(operation_id="mediation_sessions_create"),
)
class MediationSessionListCreateView(generics.ListCreateAPIView):
    """Record a Déclic activity with Quai's field names (national codes as values); list them. Staff only."""

    permission_classes = [IsStaff]
    serializer_class = MediationSessionSerializer
    pagination_class = QuaiPagination
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MediationActivity.objects.none()
        return selectors.mediation_activities_with_participants(**_period(self.request))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            activity = services.mediation_activity_create(by=request.user, **serializer.service_kwargs())
        except DomainError as error:
            raise DomainError(error.message, field=SERVICE_TO_API_FIELD.get(error.field, error.field), code=error.code) from error
        activity = selectors.mediation_activities_with_participants().get(pk=activity.pk)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)
