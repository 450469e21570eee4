"""One input layer for pages, filters and the API: what Quai accepts from the outside.

Every value a person or a client sends goes through the same rules, so a bad value is a clear
400 that names the field, never a 500 and never a half-written row:

- text: no NUL and no other control character (tab and line breaks only where text is multi-line);
  PostgreSQL refuses NUL in strings (psycopg2 raises), the others corrupt exports and e-mails;
- integers: ASCII digits only (`int("٣")` is 3 and `int("²")` raises: neither is a page number);
- dates and datetimes: within the years the platform handles (DATE_MIN..DATE_MAX), so that
  "the day after", "a year later" or a time-zone conversion never overflows; datetimes sent by
  machines (the API, the booking grid) carry their offset, never guessed;
- amounts: decimal, finite, not negative, within the column's digits.

Form fields, DRF serializer fields and a django-filter FilterSet base are built on these rules;
`DATE_MIN`/`DATE_MAX` are the one place that says which years are handled (the database CHECK
constraints on dates use the same bounds).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from quai.errors import InvalidInput

# The years Quai handles: enough for any membership history and any plan ahead, far enough from
# datetime.date.min/max that date arithmetic (renewals, "next day", time zones) never overflows.
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)

# Amounts in euros: never negative; the columns hold at most 8 digits, 2 after the point.
AMOUNT_MAX_DIGITS = 8
AMOUNT_DECIMAL_PLACES = 2


_ASCII_INT = re.compile(r"[+-]?[0-9]+")

MESSAGES = {
    "control_character": _("Remove the invisible control characters from this text."),
    "integer": _("Enter a whole number, written with the digits 0–9."),
    "date_range": _("Give a date between %(min)s and %(max)s."),
    "naive": _("The time zone is missing: give times like 2026-12-01T09:00:00+01:00."),
    "datetime": _("Give a date and time in ISO-8601, e.g. 2026-12-01T09:00:00+01:00."),
    "amount": _("Enter an amount in euros, e.g. 25 or 12.50."),
    "amount_negative": _("The amount cannot be negative."),
    "amount_too_large": _("The amount is too large."),
}


# --- Rules ----------------------------------------------------------------------------------


# Cc (C0, DEL, C1 controls) and Cs (lone surrogates: not encodable in UTF-8, PostgreSQL refuses them).
_CONTROL = {
    False: re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]"),  # one line: tab allowed
    True: re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]"),  # several: tab, CR, LF allowed
}


def has_control_character(text: str, *, multiline: bool = False) -> bool:
    return _CONTROL[multiline].search(text) is not None


def clean_text(value, *, multiline: bool = False) -> str:
    """The text, unchanged, or ValidationError when it holds a control character."""
    text = "" if value is None else str(value)
    if has_control_character(text, multiline=multiline):
        raise ValidationError(MESSAGES["control_character"], code="control_character")
    return text


def date_range_error() -> ValidationError:
    return ValidationError(
        MESSAGES["date_range"], code="date_range",
        params={"min": DATE_MIN.strftime("%d/%m/%Y"), "max": DATE_MAX.strftime("%d/%m/%Y")},
    )


def check_date(value: datetime.date) -> datetime.date:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise date_range_error()
    return value


def check_datetime(value: datetime.datetime, *, require_aware: bool = True) -> datetime.datetime:
    if require_aware and timezone.is_naive(value):
        raise ValidationError(MESSAGES["naive"], code="naive")
    # The wall-clock date is what is bounded: converting 0001-01-01T00:00+01:00 to UTC would overflow.
    return check_date(value)


def shift_date(day: datetime.date, **delta) -> datetime.date:
    """day + timedelta(**delta), or ValidationError when the result leaves the handled years."""
    try:
        result = day + datetime.timedelta(**delta)
    except OverflowError:
        raise date_range_error()
    return check_date(result)


def parse_date(value: str) -> datetime.date:
    """A YYYY-MM-DD date within the handled years, or ValidationError."""
    try:
        day = datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(_("Give a date as YYYY-MM-DD."), code="invalid")
    return check_date(day)


def parse_aware_datetime(value) -> datetime.datetime:
    """An ISO-8601 datetime with its offset, within the handled years, or ValidationError."""
    if isinstance(value, datetime.datetime):
        return check_datetime(value)
    if not isinstance(value, str) or has_control_character(value):
        raise ValidationError(MESSAGES["datetime"], code="invalid")
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:  # well-formed but impossible (month 13, offset > 24 h)
        parsed = None
    if parsed is None:
        raise ValidationError(MESSAGES["datetime"], code="invalid")
    return check_datetime(parsed)


def parse_int(value, *, min_value: int | None = None, max_value: int | None = None) -> int:
    """An integer written in ASCII digits (optionally signed), within bounds, or ValidationError."""
    text = str(value).strip() if value is not None else ""
    if not _ASCII_INT.fullmatch(text) or len(text) > 18:
        raise ValidationError(MESSAGES["integer"], code="integer")
    number = int(text)
    if min_value is not None and number < min_value:
        raise ValidationError(_("Give a number of at least %(min)s."), code="min_value", params={"min": min_value})
    if max_value is not None and number > max_value:
        raise ValidationError(_("Give a number of at most %(max)s."), code="max_value", params={"max": max_value})
    return number


def parse_amount(value, *, max_digits: int = AMOUNT_MAX_DIGITS, decimal_places: int = AMOUNT_DECIMAL_PLACES) -> Decimal:
    """A finite, non-negative amount that fits its column ("12,50", "12.50 €"), or ValidationError."""
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).replace("€", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]*)?|[+-]?\.[0-9]+", text):
            raise ValidationError(MESSAGES["amount"], code="amount")  # also NaN, Infinity, 1e999, "٣"
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(MESSAGES["amount"], code="amount")
    if not amount.is_finite():
        raise ValidationError(MESSAGES["amount"], code="amount")
    if amount < 0:
        raise ValidationError(MESSAGES["amount_negative"], code="amount_negative")
    if amount >= Decimal(10) ** (max_digits - decimal_places):
        raise ValidationError(MESSAGES["amount_too_large"], code="amount_too_large")
    return amount.quantize(Decimal(1).scaleb(-decimal_places))


def validate_single_line(value) -> None:
    clean_text(value)


def validate_multiline(value) -> None:
    clean_text(value, multiline=True)


def validate_date_range(value) -> None:
    check_date(value)


def validate_near_today(*, past_days: int, future_days: int):
    """A validator for dates a person types that must be close to today (typos such as 2062 for 2026)."""

    def validator(value):
        day = value.date() if isinstance(value, datetime.datetime) else value
        today = timezone.localdate()
        earliest, latest = max(DATE_MIN, today - datetime.timedelta(days=past_days)), min(DATE_MAX, today + datetime.timedelta(days=future_days))
        if not earliest <= day <= latest:
            raise ValidationError(
                _("Give a date between %(min)s and %(max)s."), code="date_range",
                params={"min": earliest.strftime("%d/%m/%Y"), "max": latest.strftime("%d/%m/%Y")},
            )

    return validator


# --- Form fields ----------------------------------------------------------------------------


class TextField(forms.CharField):
    """One line of text: control characters refused (Django's CharField already refuses NUL)."""

    multiline = False

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, multiline=self.multiline) if value not in self.empty_values else value


class MultilineTextField(TextField):
    multiline = True
    widget = forms.Textarea


class EmailField(forms.EmailField):
    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if value not in self.empty_values else value


class IntegerField(forms.IntegerField):
    """ASCII digits only: Django's IntegerField reads "٣" as 3."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        return parse_int(value)


class DateField(forms.DateField):
    def to_python(self, value):
        value = super().to_python(value)
        return check_date(value) if value is not None else value


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time typed in a page (datetime-local), read in the site's time zone."""

    def to_python(self, value):
        if isinstance(value, str) and has_control_character(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        value = super().to_python(value)
        return check_date(value) if value is not None else value


class AwareDateTimeField(forms.DateTimeField):
    """A date and time written by a machine (ISO-8601 with its offset): a missing offset is refused."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_aware_datetime(value)


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", AMOUNT_MAX_DIGITS)
        kwargs.setdefault("decimal_places", AMOUNT_DECIMAL_PLACES)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_amount(value, max_digits=self.max_digits, decimal_places=self.decimal_places)


_INTEGER_MODEL_FIELDS = (models.IntegerField, models.SmallIntegerField, models.BigIntegerField,
                         models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)


def formfield_for(db_field, **kwargs):
    """ModelForm.Meta.formfield_callback: the model's fields, with the rules above."""
    if getattr(db_field, "choices", None) or isinstance(db_field, models.ForeignKey):
        return db_field.formfield(**kwargs)
    form_class = None
    if isinstance(db_field, models.TextField):
        form_class = MultilineTextField
    elif isinstance(db_field, models.EmailField):
        form_class = EmailField
    elif type(db_field) is models.CharField:
        form_class = TextField
    elif isinstance(db_field, models.DateTimeField):
        form_class = LocalDateTimeField
    elif isinstance(db_field, models.DateField):
        form_class = DateField
    elif isinstance(db_field, _INTEGER_MODEL_FIELDS) and not isinstance(db_field, models.AutoField):
        form_class = IntegerField
    if form_class is None:
        return db_field.formfield(**kwargs)
    return db_field.formfield(form_class=form_class, **kwargs)


class ModelForm(forms.ModelForm):
    """Base of Quai's model forms: every generated field follows the rules above."""

    class Meta:
        formfield_callback = formfield_for


# --- DRF serializer fields ------------------------------------------------------------------


def _drf(error: ValidationError) -> serializers.ValidationError:
    return serializers.ValidationError([str(m) for m in error.messages])


class SerializerTextField(serializers.CharField):
    multiline = False

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return clean_text(value, multiline=self.multiline)
        except ValidationError as error:
            raise _drf(error)


class SerializerMultilineTextField(SerializerTextField):
    multiline = True


class SerializerEmailField(serializers.EmailField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return clean_text(value)
        except ValidationError as error:
            raise _drf(error)


@extend_schema_field(OpenApiTypes.INT)
class SerializerIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            number = data
        elif isinstance(data, float) and data.is_integer():
            number = int(data)
        else:
            try:
                number = parse_int(data)
            except ValidationError:
                self.fail("invalid")
        return number


class SerializerDecimalField(serializers.DecimalField):
    """DRF's DecimalField reads "٣٠" as 30: digits are ASCII here (NaN and Infinity are refused by DRF)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not re.fullmatch(r"\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*", data):
            self.fail("invalid")
        return super().to_internal_value(data)


class SerializerDateField(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        try:
            return check_date(day)
        except ValidationError as error:
            raise _drf(error)


@extend_schema_field(OpenApiTypes.DATETIME)
class SerializerAwareDateTimeField(serializers.DateTimeField):
    """ISO-8601 with an explicit offset: a time without a time zone is refused, never guessed."""

    def to_internal_value(self, value):
        try:
            return parse_aware_datetime(value)
        except ValidationError as error:
            raise _drf(error)


class ModelSerializer(serializers.ModelSerializer):
    """Base of Quai's model serializers: every generated field follows the rules above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: SerializerTextField,
        models.TextField: SerializerMultilineTextField,
        models.EmailField: SerializerEmailField,
        models.DecimalField: SerializerDecimalField,
        models.DateField: SerializerDateField,
        models.DateTimeField: SerializerAwareDateTimeField,
        **{field: SerializerIntegerField for field in _INTEGER_MODEL_FIELDS},
    }


# --- Filters --------------------------------------------------------------------------------


class TextFilter(django_filters.CharFilter):
    field_class = TextField


class IntegerFilter(django_filters.NumberFilter):
    field_class = IntegerField


class DateFilter(django_filters.DateFilter):
    field_class = DateField


class AwareDateTimeFilter(django_filters.DateTimeFilter):
    field_class = AwareDateTimeField


class _AsciiIdMixin:
    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, models.Model):
            try:
                parse_int(value)  # "٣" and "²" are not ids
            except ValidationError:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelChoiceField(_AsciiIdMixin, forms.ModelChoiceField):
    pass


class _FilterModelChoiceField(_AsciiIdMixin, django_filters.fields.ModelChoiceField):
    pass


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _FilterModelChoiceField


class FilterSet(django_filters.FilterSet):
    """Filters declared from model fields use the rules above; a bad value is a 400, never ignored.

    DRF: `quai.api.FilterBackend` uses this base and raises the errors as a 400. Pages: call
    `filterset.validated_qs()`, which raises `InvalidInput` (a 400 naming the field).
    """

    FILTER_DEFAULTS = {
        **django_filters.filterset.FILTER_FOR_DBFIELD_DEFAULTS,
        models.CharField: {"filter_class": TextFilter},
        models.TextField: {"filter_class": TextFilter},
        models.DateField: {"filter_class": DateFilter},
        models.DateTimeField: {"filter_class": AwareDateTimeFilter},
        models.ForeignKey: {
            **django_filters.filterset.FILTER_FOR_DBFIELD_DEFAULTS[models.ForeignKey],
            "filter_class": ModelChoiceFilter,
        },
        **{field: {"filter_class": IntegerFilter} for field in _INTEGER_MODEL_FIELDS},
    }

    def validated_qs(self):
        if not self.is_valid():
            raise InvalidInput.from_form_errors(self.errors)
        return self.qs


def page_number(value) -> int:
    """?page=N on a page: absent is 1; anything but ASCII digits ≥ 1 is a 400 naming `page`."""
    if value in (None, ""):
        return 1
    try:
        return parse_int(value, min_value=1, max_value=10**9)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], field="page")


def paginate(request, queryset, per_page: int):
    """The page asked for (?page=N); a page past the end shows the last one, a bad value is a 400."""
    from django.core.paginator import Paginator

    return Paginator(queryset, per_page).get_page(page_number(request.GET.get("page")))


def paginate_by_ids(request, queryset, per_page: int, *, rows_for, counted_ahead: int):
    """The page asked for, of a list too long to count on every view (90 000 members).

    One query reads the ordered ids (no annotation, no join the filters and order do not need), at
    most `counted_ahead` rows past the start of the page; `rows_for(ids)` then reads that page's
    rows by id. The paginator's `capped` is true when the list goes on past what was read (the
    page then says "more than `counted`" and offers the next page); pages past the end and bad
    values behave as in `paginate`."""
    from django.core.paginator import Paginator

    number = page_number(request.GET.get("page"))
    counted = (number - 1) * per_page + counted_ahead
    ids = list(queryset.values_list("pk", flat=True)[: counted + 1])
    paginator = Paginator(ids, per_page)
    paginator.capped, paginator.counted = len(ids) > counted, counted
    page = paginator.get_page(number)
    rows = {row.pk: row for row in rows_for(list(page.object_list))} if page.object_list else {}
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page
