from django.urls import path

from events import views
from events.declic import views as declic_views

app_name = "events"

urlpatterns = [
    path("events/", views.AgendaView.as_view(), name="agenda"),
    path("events/agenda.ics", views.agenda_ics_view, name="agenda_ics"),
    path("events/mine/", views.MyRegistrationsView.as_view(), name="mine"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("events/<int:pk>/event.ics", views.event_ics_view, name="ics"),
    path("events/registrations/<int:pk>/cancel/", views.CancelMyRegistrationView.as_view(), name="cancel"),
    path("events/cancel/<str:token>/", views.CancelByLinkView.as_view(), name="cancel_by_link"),
    path("staff/events/", views.StaffEventsView.as_view(), name="staff_events"),
    path("staff/events/new/", views.StaffEventCreateView.as_view(), name="staff_event_create"),
    path("staff/events/rooms/", views.StaffRoomOptionsView.as_view(), name="staff_event_rooms"),
    path("staff/events/<int:pk>/", views.StaffEventEditView.as_view(), name="staff_event_edit"),
    path("staff/events/<int:pk>/publish/", views.StaffEventPublishView.as_view(), name="staff_event_publish"),
    path("staff/events/<int:pk>/cancel/", views.StaffEventCancelView.as_view(), name="staff_event_cancel"),
    path("staff/events/<int:pk>/duplicate/", views.StaffEventDuplicateView.as_view(), name="staff_event_duplicate"),
    path("staff/events/<int:pk>/door/", views.DoorListView.as_view(), name="door_list"),
    path("staff/events/<int:pk>/walk-in/", views.WalkInView.as_view(), name="walk_in"),
    path("staff/events/<int:pk>/attendance.csv", views.AttendanceCsvView.as_view(), name="attendance_csv"),
    path("staff/events/<int:pk>/attendance/print/", views.AttendancePrintView.as_view(), name="attendance_print"),
    path("staff/registrations/<int:pk>/attendance/", views.MarkAttendanceView.as_view(), name="mark"),
    path("staff/declic/", declic_views.MediationLogView.as_view(), name="mediation_log"),
    path("staff/declic/<int:pk>/delete/", declic_views.MediationDeleteView.as_view(), name="mediation_delete"),
    path("staff/declic/stats/", declic_views.MediationStatsView.as_view(), name="mediation_stats"),
    path("staff/declic/export.xlsx", declic_views.MediationExportView.as_view(), name="mediation_export"),
    path("events/feedback/<str:token>/", views.FeedbackView.as_view(), name="feedback"),
]
