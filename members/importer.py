"""CSV import of an existing member list (spreadsheet or HelloAsso export).

- Columns are mapped by header name (French or English), `;` or `,`, UTF-8 or Windows-1252.
- `import_plan()` writes nothing: it returns a line-by-line report (create / update / unchanged /
  reject + why). `import_apply()` writes everything in one transaction, and refuses a plan that
  has rejected lines (all or nothing). Matching is on the normalised e-mail, so importing the same
  file twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Membership, MembershipType, Profile, User, normalize_email_address, search_text
from quai.errors import DomainError
from quai.exports import FORMULA_PREFIXES

HEADERS = {
    "email": {"email", "e mail", "courriel", "adresse email", "adresse e mail", "mail", "email adherent", "email payeur"},
    "first_name": {"prenom", "first name", "firstname", "prenom adherent", "prenom payeur"},
    "last_name": {"nom", "last name", "lastname", "surname", "nom adherent", "nom payeur", "nom de famille"},
    "phone": {"telephone", "tel", "phone", "numero de telephone"},
    "commune": {"commune", "ville", "city", "town"},
    "organisation": {"organisation", "organization", "structure", "societe", "company", "association"},
    "amount": {"montant", "amount", "montant tarif", "montant eur", "montant (eur)", "cotisation"},
    "paid_on": {"date", "date de paiement", "date du paiement", "date adhesion", "payment date", "date de la commande"},
}


@dataclass
class Line:
    number: int
    email: str
    action: str  # create, update, unchanged, reject
    reason: str = ""
    values: dict = field(default_factory=dict)


@dataclass
class Plan:
    lines: list[Line]
    columns: dict[str, str]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0, "reject": 0}
        for line in self.lines:
            counts[line.action] += 1
        return counts

    @property
    def can_apply(self) -> bool:
        return self.counts["reject"] == 0 and any(line.action in ("create", "update") for line in self.lines)


def _normalise_header(name: str) -> str:
    return re.sub(r"[^a-z0-9() ]+", " ", search_text(name or "")).strip()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise DomainError(_("The file is neither UTF-8 nor Windows-1252 text: export it again as CSV."), field="file")


def _parse_date(value: str):
    value = value.strip()[:10]
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def import_plan(data: bytes) -> Plan:
    """Read the file and say what would happen, line by line. Writes nothing."""
    limit = settings.QUAI_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise DomainError(_("The file is too large (%(size)s MB at most).") % {"size": limit // (1024 * 1024)}, field="file")
    if not data.strip():
        raise DomainError(_("The file is empty."), field="file")
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, [])
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        normalised = _normalise_header(name)
        for target, names in HEADERS.items():
            if normalised in names and target not in columns:
                columns[target] = index
    if "email" not in columns:
        raise DomainError(_("No e-mail column found (expected a header such as “Email” or “Courriel”)."), field="file")

    rows = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {target: (row[index].strip() if index < len(row) else "") for target, index in columns.items()}
        rows.append((number, values))
    emails = {normalize_email_address(v["email"]) for _n, v in rows}
    existing = {u.email: u for u in User.objects.filter(email__in=emails).select_related("profile")}
    # One query for "which member already has a membership that year", instead of one per line.
    member_years = set(
        Membership.objects.filter(member__in=existing.values()).values_list("member_id", "starts_on__year")
    )
    seen: dict[str, int] = {}
    lines = []
    for number, values in rows:
        email = normalize_email_address(values["email"])
        line = Line(number=number, email=email, action="create", values=values)
        lines.append(line)
        try:
            validate_email(email)
        except ValidationError:
            line.action, line.reason = "reject", _("invalid e-mail address “%(email)s”") % {"email": values["email"][:80]}
            continue
        if email in seen:
            line.action, line.reason = "reject", _("same e-mail as line %(line)s") % {"line": seen[email]}
            continue
        seen[email] = number
        formula = next((k for k, v in values.items() if k != "amount" and v.startswith(FORMULA_PREFIXES)), None)
        if formula:
            line.action, line.reason = "reject", _("the “%(column)s” cell looks like a spreadsheet formula") % {"column": formula}
            continue
        if values.get("amount"):
            try:
                Decimal(values["amount"].replace(",", ".").replace("€", "").strip())
            except InvalidOperation:
                line.action, line.reason = "reject", _("amount “%(amount)s” is not a number") % {"amount": values["amount"][:20]}
                continue
        if values.get("paid_on") and _parse_date(values["paid_on"]) is None:
            line.action, line.reason = "reject", _("date “%(date)s” is not a date (DD/MM/YYYY)") % {"date": values["paid_on"][:20]}
            continue
        user = existing.get(email)
        if user is not None:
            profile = getattr(user, "profile", None)
            same = (values.get("first_name", user.first_name) == user.first_name and values.get("last_name", user.last_name) == user.last_name
                    and all(values.get(k, getattr(profile, k, "") if profile else "") == (getattr(profile, k, "") if profile else "")
                            for k in ("phone", "commune", "organisation")))
            has_membership = not values.get("paid_on") or (user.pk, _parse_date(values["paid_on"]).year) in member_years
            line.action = "unchanged" if same and has_membership else "update"
    return Plan(lines=lines, columns={k: header[v] for k, v in columns.items()})


def import_apply(data: bytes, *, by) -> dict[str, int]:
    """Write the plan in one transaction; refused when any line is rejected (nothing half-written).

    Bulk writes (a handful of queries per 2 000 rows), so 10 000 rows take seconds.
    """
    from django.contrib.auth.hashers import make_password

    from quai.audit import audit_log

    plan = import_plan(data)
    if plan.counts["reject"]:
        raise DomainError(_("Some lines are rejected: fix the file and try again (nothing was imported)."), field="file")
    membership_type = MembershipType.objects.filter(kind=MembershipType.Kind.INDIVIDUAL, is_active=True).first()
    method = Membership.PaymentMethod.HELLOASSO if "helloasso" in " ".join(plan.columns.values()).lower() else Membership.PaymentMethod.TRANSFER
    lines = [line for line in plan.lines if line.action in ("create", "update")]
    with transaction.atomic():
        unusable = make_password(None)  # imported people set their password through "forgot my password"
        User.objects.bulk_create(
            [User(email=line.email, password=unusable) for line in lines if line.action == "create"], batch_size=2000
        )
        users = {u.email: u for u in User.objects.filter(email__in=[line.email for line in lines])}
        profiles = {p.user_id: p for p in Profile.objects.filter(user__in=users.values())}
        member_years = set(Membership.objects.filter(member__in=users.values()).values_list("member_id", "starts_on__year"))
        new_profiles, changed_profiles, memberships = [], [], []
        for line in lines:
            values, user = line.values, users[line.email]
            user.first_name = values.get("first_name", user.first_name)[:150]
            user.last_name = values.get("last_name", user.last_name)[:150]
            profile = profiles.get(user.pk)
            if profile is None:
                profile = Profile(user=user)
                new_profiles.append(profile)
            else:
                changed_profiles.append(profile)
            for key in ("phone", "commune", "organisation"):
                if key in values:
                    setattr(profile, key, values[key][:150])
            profile.user = user
            profile.refresh_search()
            paid_on = _parse_date(values["paid_on"]) if values.get("paid_on") else None
            if paid_on and membership_type and (user.pk, paid_on.year) not in member_years:
                amount = Decimal(values["amount"].replace(",", ".").replace("€", "").strip()) if values.get("amount") else membership_type.amount_eur
                memberships.append(Membership(member=user, type=membership_type, starts_on=paid_on, ends_on=datetime.date(paid_on.year, 12, 31),
                                              amount_paid=amount, payment_method=method, paid_on=paid_on, payment_reference="import"))
                member_years.add((user.pk, paid_on.year))
        User.objects.bulk_update(users.values(), ["first_name", "last_name"], batch_size=2000)
        Profile.objects.bulk_create(new_profiles, batch_size=2000)
        Profile.objects.bulk_update(changed_profiles, ["phone", "commune", "organisation", "search"], batch_size=2000)
        Membership.objects.bulk_create(memberships, batch_size=2000)
        counts = plan.counts
        if by is not None:
            audit_log(actor=by, action="members.imported", target=by, data=counts)
    return counts
