from django.urls import path

from events import api
from events.declic import api as declic_api

urlpatterns = [
    path("events/", api.EventListCreateView.as_view(), name="events"),
    path("events/<int:pk>/", api.EventDetailView.as_view(), name="event"),
    path("events/<int:pk>/registrations/", api.EventRegistrationsView.as_view(), name="event-registrations"),
    path("registrations/<int:pk>/", api.RegistrationDetailView.as_view(), name="registration"),
    path("registrations/<int:pk>/attendance/", api.AttendanceView.as_view(), name="registration-attendance"),
    path("mediation-sessions/", declic_api.MediationSessionListCreateView.as_view(), name="mediation-sessions"),
    path("declic/activites/", declic_api.DeclicActivityListView.as_view(), name="declic-activites"),
]
