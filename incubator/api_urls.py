from django.urls import path
from rest_framework.routers import SimpleRouter

from incubator import api

router = SimpleRouter()
router.register("incubator/calls", api.CallViewSet, basename="incubator-call")
router.register("incubator/applications", api.ApplicationViewSet, basename="incubator-application")
router.register("incubator/projects", api.ProjectViewSet, basename="incubator-project")

urlpatterns = router.urls + [
    path("incubator/projects/<int:pk>/kpi-reports/", api.project_kpi_reports, name="incubator-project-kpi-reports"),
    path("incubator/projects/<int:pk>/sessions/", api.project_sessions, name="incubator-project-sessions"),
]
