import logging
import time
import uuid

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from quai.second_factor import second_factor_pending, user_for_request

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

    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


class StaffMFARequiredMiddleware:
    """A staff account's powers depend on a second factor verified in the session, on every route.

    Before any view runs, `request.user` becomes the user *as their powers stand in this request*
    (quai.second_factor): a staff or superuser session where allauth has not verified a TOTP or
    recovery code yet is a plain member everywhere, pages and session API alike. The back-office
    (/staff/, /admin/) sends such a session to the second-factor step, or to the TOTP set-up when
    the account has no authenticator yet. With QUAI_STAFF_MFA_REQUIRED=0 nothing changes.
    """

    PROTECTED_PREFIXES = ("/staff/", "/admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.QUAI_STAFF_MFA_REQUIRED or not hasattr(request, "user"):
            return self.get_response(request)
        request.user = SimpleLazyObject(lambda: user_for_request(request, _authenticated_user(request)))
        if request.path.startswith(self.PROTECTED_PREFIXES) and second_factor_pending(request.user):
            return self._second_factor_step(request)
        return self.get_response(request)

    def _second_factor_step(self, request):
        if not user_has_totp(request.user):
            messages.warning(
                request,
                _("Staff accounts must enable two-factor authentication (TOTP) before using the back-office."),
            )
            return redirect("mfa_activate_totp")
        messages.info(request, _("Enter a code from your authenticator app to use the back-office."))
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else request.path
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}")


def _authenticated_user(request):
    # The user AuthenticationMiddleware found (it keeps it in request._cached_user once read).
    cached = getattr(request, "_cached_user", None)
    return cached if cached is not None else auth.get_user(request)


class PrivateCacheControlMiddleware:
    """What a logged-in person is shown is theirs alone: their pages, their data export, the
    staff lists and exports. Unless a view chose its own caching (a member photo, allauth's
    never_cache pages), such a response says `Cache-Control: private, no-store`, so that no shared
    cache (a proxy, a CDN) keeps it and the browser does not write it to disk. One rule here
    rather than one decorator per view: a new personal page is covered without anyone thinking
    of it. Anonymous pages are left cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            # DRF sets request.user to the user its token or session authentication found.
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                response["Cache-Control"] = "private, no-store"
        return response
