from django.urls import path

from coworking import views

app_name = "coworking"

urlpatterns = [
    path("coworking/", views.GridView.as_view(), name="grid"),
    path("coworking/book/", views.BookSlotView.as_view(), name="book"),
    path("coworking/bookings/", views.MyBookingsView.as_view(), name="my_bookings"),
    path("coworking/bookings/<int:pk>/cancel/", views.BookingCancelView.as_view(), name="cancel"),
    path("coworking/bookings/<int:pk>/move/", views.BookingMoveView.as_view(), name="move"),
    path("coworking/bookings/<int:pk>/check-in/", views.BookingCheckInView.as_view(), name="check_in"),
    path("coworking/recurring/", views.RecurringView.as_view(), name="recurring"),
    path("coworking/calendar/", views.CalendarFeedResetView.as_view(), name="feed_reset"),
    path("coworking/calendar/<str:token>.ics", views.ical_feed, name="ical"),
    path("staff/coworking/", views.StaffTodayView.as_view(), name="staff_today"),
    path("staff/coworking/occupancy/", views.StaffOccupancyView.as_view(), name="staff_occupancy"),
]
