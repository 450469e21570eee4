"""The GDPR export made readable: the same data as the JSON download, in sections with labels in
the member's language and dates as people write them."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quai.registry import registry

# Every key the apps put in their export, with the label a member reads. A key missing here is
# still shown (its name, cleaned up): the page never hides data.
LABELS = {
    "id": _("Number"), "email": _("E-mail address"), "first_name": _("First name"), "last_name": _("Last name"),
    "language": _("Language"), "date_joined": _("Account created"), "phone": _("Phone"), "commune": _("Commune"),
    "organisation": _("Organisation"), "skills": _("Skills"), "interests": _("Interests"), "bio": _("Short bio"),
    "photo": _("Photo"), "directory_consent_at": _("Listed in the directory since"),
    "newsletter_consent_at": _("Newsletter consent since"), "image_rights_consent_at": _("Image rights consent since"),
    "flagged_inactive_at": _("Flagged inactive on"), "erasure_requested_at": _("Erasure requested on"), "erased_at": _("Erased on"),
    "type": _("Type"), "from": _("From"), "until": _("Until"), "amount_paid": _("Amount paid"), "payment_method": _("Payment method"),
    "paid_on": _("Paid on"), "name": _("Name"), "created_at": _("Created"), "subject": _("Subject"),
    "plan": _("Plan"), "credits_remaining": _("Credits left"), "resource": _("Desk or room"), "site": _("Site"),
    "start": _("Start"), "end": _("End"), "status": _("Status"), "checked_in_at": _("Checked in at"),
    "event": _("Event"), "attended": _("Attended"), "role": _("Role"), "incubation_start": _("Incubation start"),
    "incubation_end": _("Incubation end"), "call": _("Call for applications"), "project_name": _("Project"),
    "summary": _("Summary"), "answers": _("Answers"), "cohort": _("Cohort"), "territory": _("Territory"), "project": _("Project"),
    "stage": _("Stage"), "motivation": _("Motivation"), "graduated_at": _("Graduated on"), "coach": _("Coach"),
    "deliverable": _("Deliverable"), "version": _("Version"), "text": _("Text"), "file": _("File"),
    "submitted_at": _("Submitted at"), "review": _("Review"), "decision": _("Decision"), "feedback": _("Feedback"),
    "session": _("Session"), "starts_at": _("Starts at"),
    # Lists
    "account": _("Account"), "profile": _("Profile and consents"), "memberships": _("Memberships"),
    "api_tokens": _("API tokens"), "emails_sent": _("E-mails sent to you"), "subscriptions": _("Coworking plans"),
    "bookings": _("Bookings"), "registrations": _("Event registrations"), "projects": _("Projects"),
    "applications": _("Applications"), "enrolments": _("Programme enrolments"), "submissions": _("Deliverables submitted"),
    "attendance": _("Attendance"),
}

VALUES = {
    "confirmed": _("confirmed"), "cancelled": _("cancelled"), "waitlisted": _("on the waiting list"), "pending": _("pending"),
    "active": pgettext_lazy("programme status", "active"), "graduated": _("graduated"), "stopped": _("stopped"), "present": _("present"), "absent": _("absent"),
    "excused": _("excused"), "accepted": _("accepted"), "rejected": _("rejected"), "submitted": _("submitted"),
    "validated": _("validated"), "changes_requested": _("changes requested"), "cash": _("Cash"), "cheque": _("Cheque"),
    "transfer": _("Bank transfer"), "card": _("Card"), "helloasso": _("HelloAsso"), "coach": _("coach"), "fr": "Français", "en": "English",
}


def _label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ").capitalize()))


MONEY_KEYS = {"amount_paid"}


def _value(value, key: str = "") -> str:
    if value is None or value == "":
        return "—"
    if key in MONEY_KEYS:
        try:
            return formats.number_format(Decimal(str(value)), 2, use_l10n=True, force_grouping=True) + "\u00a0€"
        except InvalidOperation:
            return str(value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict):
        return " · ".join(f"{_label(k)} : {_value(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "—"
    if isinstance(value, str):
        if len(value) >= 19 and value[4] == "-" and value[10] == "T":
            try:
                moment = datetime.datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "j F Y, H:i")
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return formats.date_format(datetime.date.fromisoformat(value), "j F Y")
            except ValueError:
                return value
        return str(VALUES.get(value, value))
    return str(value)


def _block(key: str, content) -> dict:
    if isinstance(content, dict):
        return {"title": _label(key), "fields": [(_label(k), _value(v, k)) for k, v in content.items()]}
    rows = content or []
    columns = list(dict.fromkeys(k for row in rows for k in row))
    return {"title": _label(key), "columns": [_label(c) for c in columns],
            "rows": [[(_label(c), _value(row.get(c), c)) for c in columns] for row in rows]}


def readable_export(data: dict) -> list[dict]:
    """Sections of {"title", "blocks": [{"title", "fields"} or {"title", "columns", "rows"}]}."""
    apps = {app.app_label: app.label for app in registry.person_data}
    member_keys = ["account", "profile", "memberships", "api_tokens", "emails_sent"]
    sections = [{"title": _("You and your membership"), "blocks": [_block(k, data[k]) for k in member_keys if k in data]}]
    for app_label, content in data.items():
        if app_label in member_keys:
            continue
        blocks = [_block(k, v) for k, v in content.items()] if isinstance(content, dict) else [_block(app_label, content)]
        sections.append({"title": apps.get(app_label, _label(app_label)), "blocks": blocks})
    return sections
