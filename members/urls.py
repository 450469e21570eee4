from django.urls import path

from members import staff_views, views

app_name = "members"

urlpatterns = [
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/profile/", views.ProfileUpdateView.as_view(), name="profile"),
    path("account/renew/", views.RenewView.as_view(), name="renew"),
    path("account/renew/cancel/", views.RenewCancelView.as_view(), name="renew_cancel"),
    path("account/my-data/", views.ExportMyDataView.as_view(), name="export"),
    path("account/erase/", views.EraseMeView.as_view(), name="erase"),
    path("account/tokens/", views.ApiTokenCreateView.as_view(), name="token_create"),
    path("account/tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="token_revoke"),
    path("directory/", views.DirectoryView.as_view(), name="directory"),
    path("directory/<int:pk>/write/", views.DirectoryContactView.as_view(), name="directory_contact"),
    path("account/photo/", views.PhotoUploadView.as_view(), name="photo_upload"),
    path("members/<int:pk>/photo/", views.PhotoView.as_view(), name="photo"),
    path("staff/search/", staff_views.PersonSearchView.as_view(), name="staff_search"),
    path("staff/members/", staff_views.MemberListView.as_view(), name="staff_list"),
    path("staff/members/export.<str:fmt>", staff_views.MemberExportView.as_view(), name="staff_export"),
    path("staff/members/import/", staff_views.ImportView.as_view(), name="staff_import"),
    path("staff/members/<int:pk>/", staff_views.MemberDetailView.as_view(), name="staff_detail"),
    path("staff/members/<int:pk>/payment/", staff_views.RecordPaymentView.as_view(), name="staff_payment"),
    path("staff/members/<int:pk>/erase/", staff_views.EraseMemberView.as_view(), name="staff_erase"),
]
