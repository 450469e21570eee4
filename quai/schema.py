"""The OpenAPI schema of /api/v1/ as a contract: what `/api/schema/` promises, a client can rely on.

Every operation documents the error responses that quai.api.exception_handler can produce, each
with the one error envelope (the `Error` component):

- 400 invalid input (body, query parameters, pagination), 401 missing or bad credentials,
  403 not allowed, 404 not found or not yours, 429 throttled: on every operation;
- 409 conflict with the current state (taken slot, full event, busy row): on every write.

It is done here once (settings: DEFAULT_SCHEMA_CLASS) rather than with `responses=` on each view,
so a new view is documented the same way without anyone remembering to.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The error envelope of every 4xx answer of the API."""

    detail = serializers.CharField(help_text=_("What went wrong and what to do, in the caller's language."))
    code = serializers.CharField(
        help_text=_("A stable machine-readable code: invalid, not_found, not_authenticated, permission_denied, conflict, busy, throttled...")
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("For invalid input: the messages per field (`non_field_errors` for the whole input); empty otherwise."),
    )

    class Meta:
        ref_name = "Error"


ERROR_RESPONSES = {
    "400": _("Invalid input: `errors` names each field (or query parameter) and what to fix."),
    "401": _("Not authenticated: no credentials, or a wrong, expired or revoked token."),
    "403": _("Authenticated, but not allowed to do this."),
    "404": _("Not found, or not yours (someone else's objects are never shown), or a page past the last one."),
    "409": _("Conflicts with the current state (slot taken, event full, row busy): reload and try again."),
    "429": _("Too many requests: wait for the number of seconds in the Retry-After header."),
}
WRITE_ONLY_ERRORS = {"409"}
BLANK_STRING = {"type": "string", "maxLength": 0}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERROR_RESPONSES.items():
            if code in WRITE_ONLY_ERRORS and self.method not in WRITE_METHODS:
                continue
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=str(description)), code, direction=direction
                )
        return dict(sorted(responses.items()))

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # For a blank-allowed string with a pattern or format, drf-spectacular offers "" as the
        # second choice of a oneOf; when the pattern itself accepts "" (a postal code "when
        # known"), "" matches both choices and breaks oneOf's "exactly one". anyOf says the same.
        if schema.get("oneOf", [])[-1:] == [BLANK_STRING]:
            schema["anyOf"] = schema.pop("oneOf")

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code == "429":
            headers["Retry-After"] = {"schema": {"type": "integer"}, "description": str(_("Seconds to wait before retrying."))}
        return headers

