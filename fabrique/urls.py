from django.urls import path

from fabrique import views

app_name = "fabrique"

urlpatterns = [
    path("fabrique/", views.HomeView.as_view(), name="home"),
    path("fabrique/coach/", views.CoachDashboardView.as_view(), name="coach"),
    path("fabrique/apply/<int:pk>/", views.ApplyView.as_view(), name="apply"),
    path("fabrique/enrolments/<int:pk>/", views.EnrolmentView.as_view(), name="enrolment"),
    path("fabrique/enrolments/<int:pk>/certificate/", views.CertificateView.as_view(), name="certificate"),
    path("fabrique/deliverables/<int:pk>/", views.DeliverableView.as_view(), name="deliverable"),
    path("fabrique/deliverables/<int:pk>/template/", views.DeliverableTemplateView.as_view(), name="deliverable_template"),
    path("fabrique/submissions/<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("fabrique/submissions/<int:pk>/file/", views.SubmissionFileView.as_view(), name="submission_file"),
    path("fabrique/sessions/<int:pk>/session.ics", views.SessionIcsView.as_view(), name="session_ics"),
    path("fabrique/sessions/<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("staff/fabrique/", views.StaffCohortListView.as_view(), name="staff_cohorts"),
    path("staff/fabrique/cohorts/<int:pk>/", views.StaffCohortView.as_view(), name="staff_cohort"),
    path("staff/fabrique/cohorts/<int:pk>/curriculum/", views.StaffCurriculumView.as_view(), name="staff_curriculum"),
    path("staff/fabrique/modules/<int:pk>/brief/", views.StaffModuleBriefView.as_view(), name="staff_brief"),
    path("staff/fabrique/applications/<int:pk>/", views.StaffApplicationView.as_view(), name="staff_application"),
    path("staff/fabrique/enrolments/<int:pk>/outcome/", views.StaffOutcomeView.as_view(), name="staff_outcome"),
]
