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


class BadInputMiddleware:
    """Bad input is a 400 that says what is wrong, never a 500 (quai.inputs, quai.dberrors).

    - A control character (NUL included) in the path or the query string is refused before any
      view runs: no view has a use for one, and PostgreSQL cannot store a NUL.
    - NUL in a plain form post is refused too (form fields refuse the other control characters
      with a message on the field, keeping what the person typed).
    - A domain error a page did not catch, a database refusal (CHECK, lock timeout...) or a date
      that overflows becomes the error page of its status: 400, 403 or 409 ("busy, try again").
    API paths answer in the API's error envelope.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from quai.inputs import has_control_character

        field = None
        if has_control_character(request.path):
            field = "path"
        else:
            for key, values in request.GET.lists():
                if has_control_character(key) or any(has_control_character(value) for value in values):
                    field = key if not has_control_character(key) else "query"
                    break
        if field is None and request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            for key, values in request.POST.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    field = key.replace("\x00", "")
                    break
        if field is not None:
            from quai.errors import InvalidInput
            from quai.inputs import MESSAGES

            return self.render(request, InvalidInput(MESSAGES["control_character"], field=field, code="control_character"))
        return self.get_response(request)

    def process_exception(self, request, exception):
        from quai.dberrors import as_domain_error
        from quai.errors import DomainError

        error = exception if isinstance(exception, DomainError) else as_domain_error(exception)
        if error is None:
            return None
        return self.render(request, error)

    @staticmethod
    def render(request, error):
        from django.http import JsonResponse
        from django.shortcuts import render

        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(error.message), "code": error.code, "errors": error.errors}, status=error.status_code)
        template = {400: "400.html", 409: "409.html"}.get(error.status_code, "error.html")
        message = str(error.message)
        # Other fields' errors, by parameter name; the one the heading message already says is not repeated.
        errors = {
            field: [m for m in messages if m != message]
            for field, messages in error.errors.items() if field != "non_field_errors"
        }
        return render(request, template, {
            "error": error, "message": message, "errors": {field: messages for field, messages in errors.items() if messages},
            "busy": error.code == "busy", "retry_url": request.get_full_path() if request.method == "GET" else request.path,
        }, status=error.status_code)
