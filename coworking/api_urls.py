from django.urls import path

from coworking import api

urlpatterns = [
    path("sites/", api.SiteListView.as_view(), name="sites"),
    path("resources/", api.ResourceListView.as_view(), name="resources"),
    path("availability/", api.AvailabilityView.as_view(), name="availability"),
    path("bookings/", api.BookingListCreateView.as_view(), name="bookings"),
    path("bookings/<int:pk>/", api.BookingDetailView.as_view(), name="booking"),
    path("bookings/<int:pk>/check-in/", api.BookingCheckInView.as_view(), name="booking-check-in"),
]
