"""Database refusals as domain errors: what the API handler and the page middleware both answer.

The database has the last word on invariants (CHECK, UNIQUE, EXCLUDE constraints); when a value
reaches it that the forms and serializers should have refused, the person still gets a clear
answer naming the field, never a 500:

- CHECK / NOT NULL violation, value out of a column's range (class 22) → 400 with the field,
- UNIQUE / EXCLUDE violation → 409 (the state changed under them),
- lock timeout, statement timeout, deadlock, serialization failure → 409 "busy, try again",
- date arithmetic that overflows, NUL in a string (psycopg2 refuses it before sending) → 400.

The constraint's own `violation_error_message` (on the model) is the message, and the field is
read from its condition: for `a < F("b")` the later value `b` is blamed (an end before a start),
otherwise the field the condition tests.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import DataError, IntegrityError, OperationalError, models
from django.utils.translation import gettext as _
from psycopg2 import errorcodes

from quai.errors import BusyError, ConflictError, DomainError, InvalidInput

logger = logging.getLogger(__name__)

BUSY_CODES = {errorcodes.LOCK_NOT_AVAILABLE, errorcodes.QUERY_CANCELED, errorcodes.DEADLOCK_DETECTED,
              errorcodes.SERIALIZATION_FAILURE}
CONFLICT_CODES = {errorcodes.UNIQUE_VIOLATION, errorcodes.EXCLUSION_VIOLATION}
INVALID_CODES = {errorcodes.CHECK_VIOLATION, errorcodes.NOT_NULL_VIOLATION, errorcodes.FOREIGN_KEY_VIOLATION}


def _cause(exc: Exception):
    return exc.__cause__ or exc


def pgcode(exc: Exception) -> str | None:
    return getattr(_cause(exc), "pgcode", None)


def _diag(exc: Exception, name: str) -> str | None:
    diag = getattr(_cause(exc), "diag", None)
    return getattr(diag, name, None) if diag is not None else None


def constraint_name(exc: Exception) -> str:
    """The name of the constraint a database error refused ("" if none): what a service tests to
    answer its own refusal (PostgreSQL's diagnostics, not the message's text)."""
    return _diag(exc, "constraint_name") or ""


def find_constraint(name: str | None):
    """(model, constraint) declared under this name, or (None, None)."""
    if name:
        for model in apps.get_models():
            for constraint in model._meta.constraints:
                if constraint.name == name:
                    return model, constraint
    return None, None


def _label(model, field: str | None):
    # What the pages show: the field's translated name ("mois"), not its code name ("month").
    try:
        return model._meta.get_field(field).verbose_name if model is not None and field else None
    except Exception:  # a lookup through a relation or an expression: the code name will do
        return None


def _condition_field(condition) -> str | None:
    for child in getattr(condition, "children", ()):
        if isinstance(child, tuple):
            lookup, value = child
            if isinstance(value, models.F):
                return value.name
            return lookup.split("__")[0]
        found = _condition_field(child)
        if found:
            return found
    return None


def constraint_field(constraint) -> str | None:
    if isinstance(constraint, models.CheckConstraint):
        return _condition_field(constraint.condition)
    fields = getattr(constraint, "fields", None)
    return fields[-1] if fields else None


def as_domain_error(exc: Exception) -> DomainError | None:
    """The domain error a database refusal (or an overflow) means, or None when it is a real bug."""
    code = pgcode(exc)
    if isinstance(exc, OperationalError) and code in BUSY_CODES:
        return BusyError()
    if isinstance(exc, IntegrityError) and code in CONFLICT_CODES | INVALID_CODES:
        name = _diag(exc, "constraint_name")
        model, constraint = find_constraint(name)
        field = constraint_field(constraint) if constraint else _diag(exc, "column_name")
        custom = constraint is not None and constraint.violation_error_message != constraint.default_violation_error_message
        logger.info("database refusal mapped to a domain error", extra={"pgcode": code, "constraint": name})
        if code in CONFLICT_CODES:
            message = constraint.violation_error_message if custom else None
            error = ConflictError(message, field=field, code="conflict")
        else:
            message = constraint.violation_error_message if custom else _("This value is not accepted: check it and try again.")
            error = InvalidInput(message, field=field, code="constraint")
        error.field_label = _label(model, field)
        return error
    if isinstance(exc, DataError):
        return InvalidInput(_("A value is out of the accepted range or format: check it and try again."),
                            field=_diag(exc, "column_name"), code="out_of_range")
    if isinstance(exc, OverflowError):
        return InvalidInput(_("A date is out of the accepted range."), code="date_range")
    if isinstance(exc, ValueError) and "NUL" in str(exc):
        # psycopg2: "A string literal cannot contain NUL (0x00) characters."
        return InvalidInput(_("Remove the invisible control characters from this text."), code="control_character")
    return None
