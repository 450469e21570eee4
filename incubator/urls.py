from django.urls import path

from incubator import views

app_name = "incubator"

urlpatterns = [
    path("incubator/", views.MyProjectsView.as_view(), name="my_projects"),
    path("incubator/projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project"),
    path("incubator/projects/<int:pk>/kpi/", views.KpiReportCreateView.as_view(), name="kpi_create"),
    path("incubator/projects/<int:pk>/sessions/", views.MentoringSessionCreateView.as_view(), name="session_create"),
    path("staff/incubator/", views.StaffProjectListView.as_view(), name="staff_projects"),
]
