from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from incubator.models import Project
from incubator.serializers import ProjectSerializer


@extend_schema_view(list=extend_schema(tags=["incubator"]), retrieve=extend_schema(tags=["incubator"]))
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Incubated projects: a founder sees their team's, a coach theirs, staff all. Others' → 404."""

    serializer_class = ProjectSerializer
    filterset_fields = ["status", "stage"]

    def get_queryset(self):
        return (
            Project.objects.visible_to(self.request.user)
            .select_related("coach")
            .prefetch_related("team", "kpi_reports")
            .order_by("name")
        )
