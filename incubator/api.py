"""Incubator API under /api/v1/incubator/: thin views over the selectors (access) and services (rules).

Who sees what: calls — members the open ones, staff all; applications — one's own (staff all);
projects — staff all, a coach theirs, a founder their team's; anyone else's object is a 404.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from incubator import selectors, services
from incubator.models import TeamMember
from incubator.serializers import (
    ApplicationInput, ApplicationSerializer, CallSerializer, KpiReportInput, KpiReportSerializer, ProjectDetailSerializer,
    ProjectSerializer, SessionInput, SessionSerializer,
)


@extend_schema_view(list=extend_schema(tags=["incubator"]), retrieve=extend_schema(tags=["incubator"]))
class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls for applications: members see those open today, staff all of them."""

    serializer_class = CallSerializer

    def get_queryset(self):
        return selectors.call_list_for_user(self.request.user).prefetch_related("criteria")


@extend_schema_view(
    list=extend_schema(tags=["incubator"]),
    retrieve=extend_schema(tags=["incubator"]),
    create=extend_schema(tags=["incubator"], request=ApplicationInput, responses={201: ApplicationSerializer}),
)
class ApplicationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A member's applications (staff: all). POST applies to an open call (409 when closed or already applied)."""

    serializer_class = ApplicationSerializer
    filterset_fields = ["call", "status"]

    def get_queryset(self):
        return selectors.application_list_for_user(self.request.user)

    def create(self, request, *args, **kwargs):
        data = ApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        application = services.application_save(call=values["call"], applicant=request.user, project_name=values["project_name"],
                                                summary=values["summary"], answers=values["answers"],
                                                submit=values["submit"])
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


def _projects(user):
    return (
        selectors.project_list_for_user(user)
        .prefetch_related(Prefetch("memberships", queryset=TeamMember.objects.select_related("member")))
    )


@extend_schema_view(list=extend_schema(tags=["incubator"]), retrieve=extend_schema(tags=["incubator"]))
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Incubated projects: a founder sees their team's, a coach theirs, staff all. Others' → 404."""

    filterset_fields = ["status", "stage"]

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    def get_queryset(self):
        queryset = _projects(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("kpi_reports", "milestones")
        return queryset


@extend_schema(tags=["incubator"], methods=["GET"], responses=KpiReportSerializer(many=True))
@extend_schema(tags=["incubator"], methods=["POST"], request=KpiReportInput, responses={201: KpiReportSerializer})
@api_view(["GET", "POST"])
def project_kpi_reports(request, pk):
    """The project's KPI reports (team, coach, staff); POST adds this quarter's (team, coach, staff)."""
    project = selectors.project_get_for_user(request.user, pk)
    if request.method == "GET":
        return Response(KpiReportSerializer(project.kpi_reports.all(), many=True).data)
    data = KpiReportInput(data=request.data)
    data.is_valid(raise_exception=True)
    report = services.kpi_report_add(project=project, by=request.user, **data.validated_data)
    return Response(KpiReportSerializer(report).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["incubator"], methods=["GET"], responses=SessionSerializer(many=True))
@extend_schema(tags=["incubator"], methods=["POST"], request=SessionInput, responses={201: SessionSerializer})
@api_view(["GET", "POST"])
def project_sessions(request, pk):
    """Mentoring sessions with their notes: read by the coach, the team and staff; logged by the coach or staff."""
    project = selectors.project_get_for_user(request.user, pk)
    if request.method == "GET":
        return Response(SessionSerializer(selectors.session_list_for_project(project), many=True).data)
    data = SessionInput(data=request.data)
    data.is_valid(raise_exception=True)
    session = services.mentoring_session_log(project=project, by=request.user, **data.validated_data)
    return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)
