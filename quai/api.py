"""REST API conventions shared by every app under /api/v1/.

One error format everywhere: {"detail": "<what went wrong>", "code": "<stable code>", "errors": {"<field>": ["..."]}}
(documented once for every operation by quai.schema, as the `Error` component)
- 400 invalid input (serializer errors, DomainError, Django ValidationError, a database CHECK
  violation or out-of-range value, with the field: quai.dberrors),
- 401/403 not authenticated / not allowed (NotAllowedError), 404 not found or not yours,
- 409 conflict with the current state (ConflictError, lock timeout, database exclusion/unique
  violation that a service did not turn into a friendlier message).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from quai.dberrors import as_domain_error
from quai.errors import DomainError
from quai.inputs import FilterSet

class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` (1, 2, ...) and `?page_size=` (1 to 200): anything else is a 400 naming the parameter.

    DRF's own class quietly falls back to the default size on a bad `page_size` and answers 404 to
    `page=0` or `page=abc`; a client then cannot tell its mistake from an empty result. A page
    past the last one stays a 404 ("no such page"), as documented in the schema.
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()

    def _positive_int_param(self, request, name: str, maximum: int | None = None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        # str.isdigit() accepts non-ASCII digits ("١", "²") that int() then reads or refuses.
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or (maximum is not None and int(raw) > maximum):
            if maximum is None:
                message = _("Give a page number: a whole number from 1.")
            else:
                message = _("Give a page size: a whole number from 1 to %(maximum)d.") % {"maximum": maximum}
            raise exceptions.ValidationError({name: [message]})
        return int(raw)

    def get_page_size(self, request):
        return self._positive_int_param(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def get_page_number(self, request, paginator):
        return self._positive_int_param(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = str(_("A page number, from 1. A page past the last one is a 404."))
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = str(_("Results per page, from 1 to %(maximum)d (default %(default)d).")
                                               % {"maximum": self.max_page_size, "default": self.page_size})
        return parameters


class FilterBackend(DjangoFilterBackend):
    """`filterset_fields` build their filters with Quai's input rules; a bad value is a 400."""

    filterset_base = FilterSet


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
    if not isinstance(exc, DomainError):
        exc = as_domain_error(exc) or exc
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code, "errors": exc.errors}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = _flatten(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        return Response({"detail": _first_message(errors), "code": "invalid", "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)  # keeps the reason a service gave

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(response.data)
        response.data = {"detail": _first_message(errors), "code": "invalid", "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        code = getattr(getattr(exc, "detail", None), "code", None) or getattr(exc, "default_code", None) or "error"
        response.data = {"detail": str(detail), "code": str(code), "errors": {}}
    return response
