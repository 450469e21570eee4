from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from quai import impact_api, impact_views, views
from quai.schema_views import SchemaView

DOMAIN_APPS = ["members", "coworking", "events", "incubator", "fabrique"]

api_v1 = [path("", include((f"{app}.api_urls", f"{app}_api"))) for app in DOMAIN_APPS]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/", views.healthz),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own URLs: its password-only login form is replaced by allauth's login.
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/impact/", impact_api.ImpactListView.as_view(), name="impact-api"),
    path("api/v1/impact/<str:code>/rows/", impact_api.ImpactRowsView.as_view(), name="impact-api-rows"),
    path("api/v1/", include(api_v1)),
    path("staff/", views.StaffHomeView.as_view(), name="staff_home"),
    path("staff/impact/run/", impact_views.ImpactRunView.as_view(), name="impact_run"),
    path("staff/impact/report/", impact_views.FunderReportView.as_view(), name="impact_report"),
    path("staff/impact/report.<str:fmt>", impact_views.FunderReportView.as_view(), name="impact_report_export"),
    path("staff/impact/<str:code>/", impact_views.IndicatorView.as_view(), name="impact_indicator"),
    path("staff/impact/<str:code>/rows.<str:fmt>", impact_views.IndicatorExportView.as_view(), name="impact_export"),
    path("impact/", impact_views.PublicImpactView.as_view(), name="impact_public"),
    path("", views.home, name="home"),
    *[path("", include(f"{app}.urls")) for app in DOMAIN_APPS],
]

if settings.QUAI_BENCH_ENDPOINTS:
    urlpatterns += [
        path("bench/floor/", views.bench_floor, name="bench_floor"),
        path("bench/page-floor/", views.bench_page_floor, name="bench_page_floor"),
    ]

# Under /api/, errors Django answers itself keep the API's error envelope (quai/handlers.py);
# elsewhere, the site's pages (the 400 page of quai.views.bad_request).
handler400 = "quai.handlers.bad_request"
handler403 = "quai.handlers.permission_denied"
handler404 = "quai.handlers.page_not_found"
handler500 = "quai.handlers.server_error"

admin.site.site_header = settings.QUAI_SITE_NAME
admin.site.site_title = "Quai"
