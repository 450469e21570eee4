from django.urls import path

from incubator import views

app_name = "incubator"

urlpatterns = [
    path("incubator/", views.MyProjectsView.as_view(), name="my_projects"),
    path("incubator/calls/<int:pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("incubator/applications/<int:pk>/withdraw/", views.ApplicationWithdrawView.as_view(), name="application_withdraw"),
    path("incubator/projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project"),
    path("incubator/projects/<int:pk>/kpi/", views.KpiReportCreateView.as_view(), name="kpi_create"),
    path("incubator/projects/<int:pk>/sessions/", views.MentoringSessionCreateView.as_view(), name="session_create"),
    path("incubator/sessions/<int:pk>/session.ics", views.MentoringSessionIcsView.as_view(), name="session_ics"),
    path("incubator/projects/<int:pk>/milestones/", views.MilestoneCreateView.as_view(), name="milestone_create"),
    path("incubator/projects/<int:pk>/status/", views.ProjectStatusView.as_view(), name="project_status"),
    path("incubator/projects/<int:pk>/team/", views.TeamMemberAddView.as_view(), name="team_add"),
    path("incubator/projects/<int:pk>/team/<int:member_pk>/remove/", views.TeamMemberRemoveView.as_view(), name="team_remove"),
    path("incubator/projects/<int:pk>/creation/", views.CreationRecordView.as_view(), name="creation_record"),
    path("incubator/milestones/<int:pk>/tick/", views.MilestoneTickView.as_view(), name="milestone_tick"),
    path("staff/incubator/", views.StaffPipelineView.as_view(), name="staff_projects"),
    path("staff/incubator/calls/new/", views.StaffCallCreateView.as_view(), name="staff_call_create"),
    path("staff/incubator/calls/<int:pk>/", views.StaffCallView.as_view(), name="staff_call"),
    path("staff/incubator/applications/<int:pk>/", views.StaffApplicationView.as_view(), name="staff_application"),
]
