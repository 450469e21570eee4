"""REST API conventions shared by every app under /api/v1/.

One error format everywhere: {"detail": "<what went wrong>", "errors": {"<field>": ["..."]}}
- 400 invalid input (serializer errors, DomainError, Django ValidationError),
- 401/403 not authenticated / not allowed, 404 not found or not yours,
- 409 conflict with the current state (ConflictError, lock timeout, database exclusion/unique
  violation that a service did not turn into a friendlier message).
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from psycopg2 import errorcodes
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from quai.errors import DomainError

logger = logging.getLogger(__name__)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _pgcode(exc: Exception) -> str | None:
    cause = exc.__cause__ or exc
    return getattr(cause, "pgcode", None)


def _flatten(data) -> dict:
    if isinstance(data, dict):
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in data.items()}
    if isinstance(data, list):
        return {"non_field_errors": [str(m) for m in data]}
    return {"non_field_errors": [str(data)]}


def _first_message(errors: dict) -> str:
    for field, messages in errors.items():
        if messages:
            return messages[0] if field == "non_field_errors" else f"{field}: {messages[0]}"
    return _("Invalid input.")


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code, "errors": exc.errors}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = _flatten(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        return Response({"detail": _first_message(errors), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OperationalError) and _pgcode(exc) in {errorcodes.LOCK_NOT_AVAILABLE, errorcodes.QUERY_CANCELED}:
        return Response(
            {"detail": _("This resource is busy right now; please try again in a moment."), "code": "busy", "errors": {}},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError) and _pgcode(exc) in {
        errorcodes.EXCLUSION_VIOLATION,
        errorcodes.UNIQUE_VIOLATION,
        errorcodes.SERIALIZATION_FAILURE,
    }:
        logger.info("api: integrity conflict mapped to 409", extra={"pgcode": _pgcode(exc)})
        return Response(
            {"detail": _("This conflicts with the current state; reload and try again."), "code": "conflict", "errors": {}},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)  # keeps the reason a service gave

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(response.data)
        response.data = {"detail": _first_message(errors), "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": str(detail), "errors": {}}
        code = getattr(exc, "default_code", None)
        if code:
            response.data["code"] = getattr(getattr(exc, "detail", None), "code", code)
    return response
