"""Answers for requests that never reach a view, or whose database went away.

- Under /api/ every error is the API's error envelope (`{"detail", "code", "errors"}`, documented in
  the schema), even when Django answers before any view runs: a URL that matches no route
  (`/api/v1/bookings/abc/`), a request Django refuses (400), a crash (500). Elsewhere, Django's pages.
- PostgreSQL unreachable or a connection cut under a request (a failover, `pg_terminate_backend`, a
  restart): a clean 503 "try again in a moment" (templates/503.html, or the envelope under /api/)
  rather than a 500, with Retry-After. The next request opens a new connection (Django's
  CONN_HEALTH_CHECKS drops a dead persistent one first), so the site recovers without a restart.
  Lock timeouts are not outages: they are left to the conflict handling ("busy, try again").
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from psycopg2 import errorcodes

from quai import views

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# Raised while waiting, not because the server is gone: the lock timeout and statement timeout.
NOT_AN_OUTAGE = {errorcodes.LOCK_NOT_AVAILABLE, errorcodes.QUERY_CANCELED}


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def api_error(detail: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, "errors": {}}, status=status)


def bad_request(request, exception):
    if is_api(request):
        return api_error(_("This request is not valid."), "bad_request", 400)
    return views.bad_request(request, exception)  # the 400 page, with the site's layout


def permission_denied(request, exception):
    if is_api(request):
        return api_error(_("You do not have permission to perform this action."), "permission_denied", 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return api_error(_("Not found."), "not_found", 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return api_error(_("Something went wrong on our side; it has been logged."), "server_error", 500)
    return defaults.server_error(request)


def database_outage(exc: BaseException) -> bool:
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    cause = exc.__cause__ or exc
    return getattr(cause, "pgcode", None) not in NOT_AN_OUTAGE


def service_unavailable(request) -> HttpResponse:
    if is_api(request):
        response = api_error(_("The service is briefly unavailable; please try again in a moment."), "unavailable", 503)
    else:
        # A page of its own: no layout, no context processors, nothing that needs the database.
        response = HttpResponse(loader.render_to_string("503.html", {"site_name": settings.QUAI_SITE_NAME}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """A lost database connection becomes a 503 page (see the module docstring), never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_outage(exception):
            return None
        # Django drops the broken connection when the request finishes (close_old_connections).
        logger.error("database unavailable: answered 503", extra={"path": request.path, "error": str(exception)[:200]})
        return service_unavailable(request)
