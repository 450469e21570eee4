from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/tokens/", views.ApiTokenCreateView.as_view(), name="token_create"),
    path("account/tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="token_revoke"),
]
