from django.urls import path

from members import api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path("me/export/", api.MeExportView.as_view(), name="me-export"),
    path("members/", api.MemberListView.as_view(), name="members"),
    path("members/<int:pk>/", api.MemberDetailView.as_view(), name="member"),
    path("memberships/", api.MembershipListCreateView.as_view(), name="memberships"),
]
