from django.urls import path

from members import api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
]
