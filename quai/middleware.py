import logging
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

request_logger = logging.getLogger("quai.request")


class RequestLogMiddleware:
    """One structured (JSON) log line per request: method, path, status, duration, user, request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_logger.info(
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        response["X-Request-ID"] = request.request_id
        return response


def user_has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffMFARequiredMiddleware:
    """Staff must protect their account with TOTP before they reach the back-office.

    A staff member without an authenticator is sent to the TOTP set-up page, whatever page of
    /staff/ or /admin/ they asked for. (allauth then asks for the code at every login.)
    """

    PROTECTED_PREFIXES = ("/staff/", "/admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.QUAI_STAFF_MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(self.PROTECTED_PREFIXES)
            and not request.session.get("quai_mfa_ok")
        ):
            if not user_has_totp(user):
                messages.warning(
                    request,
                    _("Staff accounts must enable two-factor authentication (TOTP) before using the back-office."),
                )
                return redirect("mfa_activate_totp")
            # Remember for this session so the check costs one query per login, not per page.
            request.session["quai_mfa_ok"] = True
        return self.get_response(request)
