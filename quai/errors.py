"""Domain errors raised by services, understood by pages (form errors) and the API (400/403/409).

Services raise these with a translated message that tells the user what to fix; the API's
exception handler (quai.api) turns them into {"detail": ..., "errors": {...}}, and pages that do
not catch them get the error page of their status (quai.middleware.BadInputMiddleware).
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Invalid input or a broken rule: HTTP 400."""

    status_code = 400
    default_message = _("This request is not valid.")
    field_label = None  # the field's translated name, for pages (set by quai.dberrors)

    def __init__(self, message=None, *, field: str | None = None, code: str = "invalid"):
        self.message = message or self.default_message
        self.field = field
        self.code = code
        super().__init__(str(self.message))

    @property
    def errors(self) -> dict:
        return {self.field or "non_field_errors": [str(self.message)]}


class InvalidInput(DomainError):
    """A value sent from outside breaks the input rules (quai.inputs): HTTP 400, per field."""

    def __init__(self, message=None, *, field: str | None = None, code: str = "invalid", errors: dict | None = None):
        super().__init__(message, field=field, code=code)
        self._errors = errors

    @property
    def errors(self) -> dict:
        return self._errors or super().errors

    @classmethod
    def from_form_errors(cls, form_errors) -> "InvalidInput":
        errors = {field: [str(m) for m in messages] for field, messages in form_errors.items()}
        field, messages = next(iter(errors.items()))
        return cls(messages[0], field=None if field == "__all__" else field, errors=errors)


class NotAllowedError(DomainError):
    """The user may see the object but not do this to it: HTTP 403, with the reason."""

    status_code = 403
    default_message = _("You are not allowed to do this.")

    def __init__(self, message=None, *, field: str | None = None, code: str = "permission_denied"):
        super().__init__(message, field=field, code=code)


class ConflictError(DomainError):
    """The request is valid but collides with the current state (taken, already done): HTTP 409."""

    status_code = 409
    default_message = _("This conflicts with the current state; reload and try again.")

    def __init__(self, message=None, *, field: str | None = None, code: str = "conflict"):
        super().__init__(message, field=field, code=code)


class BusyError(ConflictError):
    """A lock could not be taken in time: HTTP 409, try again."""

    default_message = _("This resource is busy right now; please try again in a moment.")

    def __init__(self, message=None, *, field: str | None = None, code: str = "busy"):
        super().__init__(message, field=field, code=code)
