"""Member import: a HelloAsso "adhésions" export, or any member list saved as CSV.

One engine, two formats, told apart by the header:
- **HelloAsso** (DOMAIN.md §5): `Référence commande;Date de la commande;Statut de la commande;…`
  then the campaign's own questions. Only validated orders are imported (refunded and cancelled
  ones are skipped with a reason); the member's own e-mail (the `Email` question) wins over the
  payer's; one order paying for several members gives several members; `Tarif` maps to a
  membership type through `HelloAssoRate` (proposed in the dry run, remembered on import);
  `Référence commande` becomes the payment reference, and a database constraint makes a second
  import of the same order a no-op.
- **Plain**: columns recognised by their French or English header (Email/Courriel, Prénom, …).

Both: `;` or `,`, UTF-8 (with or without BOM) or Windows-1252, LF or CRLF. `import_plan()` writes
nothing and says per line what would happen and why; `import_apply()` writes in one transaction,
refusing rejected lines unless staff chose to import the valid lines only.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from members.models import HelloAssoRate, Membership, MembershipType, Profile, User, normalize_email_address, search_text
from members.periods import membership_next_start, membership_period
from quai.errors import DomainError, InvalidInput
from quai.exports import looks_like_formula
from quai.inputs import DATE_MAX, DATE_MIN, has_control_character

HELLOASSO = "helloasso"
PLAIN = "plain"

# Normalised header → field. The fixed columns of a HelloAsso export, then the usual campaign questions.
HELLOASSO_HEADERS = {
    "reference commande": "reference",
    "date de la commande": "ordered_at",
    "statut de la commande": "status",
    "nom adherent": "last_name",
    "prenom adherent": "first_name",
    "nom payeur": "payer_last_name",
    "prenom payeur": "payer_first_name",
    "email payeur": "payer_email",
    "raison sociale": "organisation",
    "moyen de paiement": "method",
    "tarif": "rate",
    "montant tarif": "amount",
    "code promo": "promo_code",
    "montant code promo": "promo_amount",
    "email": "email",
    "e mail": "email",
    "courriel": "email",
    "adresse email": "email",
    "adresse e mail": "email",
    "telephone": "phone",
    "numero de telephone": "phone",
    "portable": "phone",
    "telephone portable": "phone",
    "telephone mobile": "phone",
    "numero de portable": "phone",
    "mobile": "phone",
    "ville": "commune",
    "commune": "commune",
}

PLAIN_HEADERS = {
    "email": {"email", "e mail", "courriel", "adresse email", "adresse e mail", "mail", "email adherent", "email payeur"},
    "first_name": {"prenom", "first name", "firstname", "prenom adherent", "prenom payeur"},
    "last_name": {"nom", "last name", "lastname", "surname", "nom adherent", "nom payeur", "nom de famille"},
    "phone": {"telephone", "tel", "phone", "numero de telephone"},
    "commune": {"commune", "ville", "city", "town"},
    "organisation": {"organisation", "organization", "structure", "societe", "company", "association", "raison sociale"},
    "amount": {"montant", "amount", "montant tarif", "montant eur", "montant (eur)", "cotisation"},
    "paid_on": {"date", "date de paiement", "date du paiement", "date adhesion", "payment date", "date de la commande"},
}

# Values written to the member's record; each is checked for spreadsheet formulas.
PROFILE_FIELDS = ("phone", "commune", "organisation")
TEXT_FIELDS = ("email", "payer_email", "first_name", "last_name", "payer_first_name", "payer_last_name", "rate", "reference", *PROFILE_FIELDS)

# Guesses for a rate nobody has mapped yet (staff confirm them in the dry run).
RATE_KIND_WORDS = (
    (MembershipType.Kind.ORGANISATION, ("personne morale", "structure", "association", "entreprise", "organisation", "societe")),
    (MembershipType.Kind.REDUCED, ("reduit", "solidaire", "etudiant", "chomeur", "demandeur", "minima", "jeune")),
    (MembershipType.Kind.INDIVIDUAL, ("individuel", "individuelle", "famille", "familiale", "normal", "plein")),
)


@dataclass
class Line:
    number: int
    email: str
    action: str  # create, update, unchanged, skip (an order not to import), reject (a bad line)
    reason: str = ""
    values: dict = field(default_factory=dict)
    details: list[str] = field(default_factory=list)
    membership: dict | None = None


@dataclass
class RateChoice:
    """One `Tarif` of the file and the membership type it maps to (remembered, guessed or chosen)."""

    name: str
    key: str
    lines: int
    type_id: int | None
    origin: str  # remembered, guessed, chosen, none


@dataclass
class Plan:
    format: str
    lines: list[Line]
    columns: dict[str, str]
    ignored_columns: list[str] = field(default_factory=list)
    rates: list[RateChoice] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0, "skip": 0, "reject": 0}
        for line in self.lines:
            counts[line.action] += 1
        return counts

    @property
    def can_apply(self) -> bool:
        """Something to write (rejected lines need staff to choose "import the valid lines")."""
        return any(line.action in ("create", "update") for line in self.lines)


# --- reading values -------------------------------------------------------------------------

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


_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
_AMOUNT = re.compile(r"[0-9]{1,6}(\.[0-9]{1,2})?")  # ASCII digits: "٣٠" is not an amount


def parse_amount(text: str) -> Decimal | None:
    """`20,00`, `1 000,00` (plain, non-breaking or narrow spaces), `20,00 €`, `20.5`, `Gratuit` → Decimal.
    Empty → None; anything else raises ValueError."""
    text = (text or "").strip()
    if not text:
        return None
    if search_text(text) in {"gratuit", "free"}:
        return Decimal("0.00")
    text = text.replace("€", "").replace("EUR", "").translate(_SPACES)
    if "," in text:
        text = text.replace(".", "").replace(",", ".")  # French: the comma is the decimal separator
    if not _AMOUNT.fullmatch(text):
        raise ValueError(text)
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(text) from None


def parse_order_datetime(text: str) -> datetime.datetime | None:
    """HelloAsso's `dd/MM/yyyy HH:mm` (seconds tolerated), a local time in Europe/Paris → aware datetime."""
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y"):
        try:
            naive = datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
        if not DATE_MIN <= naive.date() <= DATE_MAX:
            return None  # year 1 or 9999: converting it to UTC would overflow
        return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return None


def _parse_date(value: str):
    """A payment date within the years Quai handles (quai.inputs), or None."""
    value = value.strip()[:10]
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            day = datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return day if DATE_MIN <= day <= DATE_MAX else None
    return None


def payment_method_from(text: str) -> str:
    """HelloAsso's `Moyen de paiement` → our payment method (anything unknown: HelloAsso itself)."""
    key = search_text(text or "")
    if "carte" in key or key == "cb" or "card" in key:
        return Membership.PaymentMethod.CARD
    if "cheque" in key:
        return Membership.PaymentMethod.CHEQUE
    if "espece" in key or "cash" in key:
        return Membership.PaymentMethod.CASH
    if "virement" in key or "prelevement" in key or "sepa" in key or "transfer" in key:
        return Membership.PaymentMethod.TRANSFER
    return Membership.PaymentMethod.HELLOASSO


def rate_key(name: str) -> str:
    return HelloAssoRate.key_for(name)


def _guess_type(name: str, amount: Decimal | None, types: list[MembershipType]) -> MembershipType | None:
    key = rate_key(name)
    for type_ in types:
        if rate_key(type_.name) == key:
            return type_
    for kind, words in RATE_KIND_WORDS:
        if any(word in key for word in words):
            candidates = [t for t in types if t.kind == kind]
            if len(candidates) == 1:
                return candidates[0]
    same_amount = [t for t in types if amount is not None and t.amount_eur == amount]
    return same_amount[0] if len(same_amount) == 1 else None


def _money(amount: Decimal) -> str:
    return formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True) + " €"


# --- reading the file -----------------------------------------------------------------------

def _read(data: bytes) -> tuple[str, list[str], dict[str, int], list[tuple[int, list[str]]]]:
    limit = settings.QUAI_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise DomainError(_("The file is too large (%(size)s MB at most).") % {"size": limit // (1024 * 1024)}, field="file")
    if not data.strip():
        raise DomainError(_("The file is empty."), field="file")
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise DomainError(
            _("Line %(line)s of the file cannot be read (%(reason)s): export it again as CSV.") % {"line": 1, "reason": str(error)[:80]},
            field="file",
        )
    normalised = [_normalise_header(name) for name in header]
    columns: dict[str, int] = {}
    if "reference commande" in normalised and "statut de la commande" in normalised:
        format_ = HELLOASSO
        for index, name in enumerate(normalised):
            target = HELLOASSO_HEADERS.get(name)
            if target and target not in columns:
                columns[target] = index
    else:
        format_ = PLAIN
        for index, name in enumerate(normalised):
            for target, names in PLAIN_HEADERS.items():
                if name in names and target not in columns:
                    columns[target] = index
        if "email" not in columns:
            raise DomainError(_("No e-mail column found (expected a header such as “Email” or “Courriel”)."), field="file")
    try:
        rows = [(number, row) for number, row in enumerate(reader, start=2) if any(cell.strip() for cell in row)]
    except csv.Error as error:
        # A cell over the csv module's field limit (131 072 characters) or a NUL byte: the whole
        # file is refused, with the line, rather than a server error.
        raise DomainError(
            _("Line %(line)s of the file cannot be read (%(reason)s): export it again as CSV.")
            % {"line": reader.line_num, "reason": str(error)[:80]},
            field="file",
        )
    return format_, header, columns, rows


def import_plan(data: bytes, *, rates: dict[str, int] | None = None) -> Plan:
    """Read the file and say what would happen, line by line, and why. Writes nothing.

    `rates` maps a rate key (see `rate_key`) to the membership type staff chose in the dry run;
    rates they have not chosen use the remembered mapping, or a guess to confirm.
    """
    format_, header, columns, rows = _read(data)
    lines: list[Line] = []
    for number, row in rows:
        values = {target: (row[index].strip() if index < len(row) else "") for target, index in columns.items()}
        if format_ == HELLOASSO:
            # The member's own e-mail (the campaign's question) wins; the payer's is the fallback.
            values["email"] = values.get("email") or values.get("payer_email", "")
        lines.append(Line(number=number, email=normalize_email_address(values.get("email", "")), action="create", values=values))

    types = list(MembershipType.objects.all())
    types_by_id = {t.pk: t for t in types}
    rate_choices = _rate_choices(lines, rates or {}, types) if format_ == HELLOASSO else []
    type_for_rate = {choice.key: types_by_id.get(choice.type_id) for choice in rate_choices}
    plain_type = next((t for t in types if t.kind == MembershipType.Kind.INDIVIDUAL and t.is_active), None)

    emails = {line.email for line in lines}
    existing = {u.email: u for u in User.objects.filter(email__in=emails).select_related("profile")}
    # One query for the memberships of every known member, instead of one per line.
    held: dict[int, list[Membership]] = {}
    for membership in Membership.objects.filter(member__in=existing.values(), paid_on__isnull=False):
        held.setdefault(membership.member_id, []).append(membership)
    planned_ends: dict[str, datetime.date] = {}  # memberships this file adds, per e-mail
    seen: dict[tuple, int] = {}
    headers = {target: header[index] for target, index in columns.items()}
    for line in lines:
        _plan_line(line, format_=format_, existing=existing, held=held, seen=seen, planned_ends=planned_ends,
                   type_for_rate=type_for_rate, plain_type=plain_type, headers=headers)
    used = set(columns.values())
    ignored = [name for index, name in enumerate(header) if index not in used and name.strip()]
    return Plan(format=format_, lines=lines, columns={k: header[v] for k, v in columns.items()}, ignored_columns=ignored, rates=rate_choices)


def _rate_choices(lines: list[Line], chosen: dict[str, int], types: list[MembershipType]) -> list[RateChoice]:
    names: dict[str, list] = {}
    for line in lines:
        name = line.values.get("rate", "")
        if name and search_text(line.values.get("status", "")) == "valide":
            entry = names.setdefault(rate_key(name), [name, 0, None])
            entry[1] += 1
            if entry[2] is None:
                try:
                    entry[2] = parse_amount(line.values.get("amount", ""))
                except ValueError:
                    pass
    remembered = dict(HelloAssoRate.objects.filter(key__in=names).values_list("key", "membership_type_id"))
    type_ids = {t.pk for t in types}
    choices = []
    for key, (name, count, amount) in sorted(names.items()):
        if chosen.get(key) in type_ids:
            choices.append(RateChoice(name, key, count, chosen[key], "chosen"))
        elif key in remembered:
            choices.append(RateChoice(name, key, count, remembered[key], "remembered"))
        else:
            guess = _guess_type(name, amount, types)
            choices.append(RateChoice(name, key, count, guess.pk if guess else None, "guessed" if guess else "none"))
    return choices


def _reject(line: Line, reason: str) -> None:
    line.action, line.reason = "reject", reason


def _plan_line(line: Line, *, format_, existing, held, seen, planned_ends, type_for_rate, plain_type, headers) -> None:
    values = line.values
    if format_ == HELLOASSO:
        status = values.get("status", "")
        key = search_text(status)
        if key != "valide":
            line.action = "skip"
            if key.startswith("rembours"):
                line.reason = _("order refunded: not imported")
            elif key.startswith("annul"):
                line.reason = _("order cancelled: not imported")
            else:
                line.reason = _("order status “%(status)s”: only validated orders are imported") % {"status": status[:40]}
            user = existing.get(line.email)
            reference = values.get("reference", "")
            if user and any(m.source == HELLOASSO and m.payment_reference == reference for m in held.get(user.pk, [])):
                line.reason += " — " + _("a membership was imported from this order earlier: check it on the member's page")
            return
    try:
        validate_email(line.email)
        if len(line.email) > User._meta.get_field("email").max_length:
            raise ValidationError("too long")
    except ValidationError:
        return _reject(line, _("invalid e-mail address “%(email)s”") % {"email": values.get("email", "")[:80]}
                       if values.get("email") else _("no e-mail address (neither the “Email” question nor the payer's)"))
    control = next((k for k, v in values.items() if has_control_character(v)), None)
    if control:
        return _reject(line, _("the “%(column)s” cell holds invisible control characters") % {"column": headers.get(control, control)})
    formula = next((k for k in TEXT_FIELDS if looks_like_formula(values.get(k, ""))), None)
    if formula:
        return _reject(line, _("the “%(column)s” cell looks like a spreadsheet formula") % {"column": headers.get(formula, formula)})
    try:
        amount = parse_amount(values.get("amount", ""))
        promo = parse_amount(values.get("promo_amount", "")) if format_ == HELLOASSO else None
    except ValueError:
        return _reject(line, _("amount “%(amount)s” is not a number") % {"amount": (values.get("amount", "") + " " + values.get("promo_amount", "")).strip()[:30]})

    if format_ == HELLOASSO:
        reference = values.get("reference", "")
        if not reference:
            return _reject(line, _("no order reference"))
        if len(reference) > Membership._meta.get_field("payment_reference").max_length:
            return _reject(line, _("order reference “%(reference)s…” is too long") % {"reference": reference[:20]})
        ordered_at = parse_order_datetime(values.get("ordered_at", ""))
        if ordered_at is None:
            return _reject(line, _("order date “%(date)s” is not a date (DD/MM/YYYY HH:MM)") % {"date": values.get("ordered_at", "")[:20]})
        if (line.email, reference) in seen:
            return _reject(line, _("same member twice in order %(reference)s (line %(line)s): each member needs their own e-mail")
                           % {"reference": reference, "line": seen[(line.email, reference)]})
        seen[(line.email, reference)] = line.number
        type_ = type_for_rate.get(rate_key(values.get("rate", "")))
        if type_ is None:
            return _reject(line, _("rate “%(rate)s” has no membership type: choose one above") % {"rate": values.get("rate", "")[:80]})
        paid_on = ordered_at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
        amount_paid = max((amount or Decimal("0")) - (promo or Decimal("0")), Decimal("0"))
        method = payment_method_from(values.get("method", ""))
    else:
        reference = ""
        if line.email in seen:
            return _reject(line, _("same e-mail as line %(line)s") % {"line": seen[line.email]})
        seen[line.email] = line.number
        paid_on = None
        if values.get("paid_on"):
            paid_on = _parse_date(values["paid_on"])
            if paid_on is None:
                return _reject(line, _("date “%(date)s” is not a date between 2000 and 2100 (DD/MM/YYYY)") % {"date": values["paid_on"][:20]})
        type_ = plain_type
        amount_paid = amount if amount is not None else (type_.amount_eur if type_ else None)
        method = Membership.PaymentMethod.TRANSFER

    user = existing.get(line.email)
    memberships = held.get(user.pk, []) if user else []
    planned_before = line.email in planned_ends
    if user is None:
        line.action = "update" if planned_before else "create"
        line.details.append(_("member created by an earlier line") if planned_before else _("new member"))
    else:
        line.action = "unchanged"
        changed = _changed_fields(user, values)
        if changed:
            line.action = "update"
            line.details.append(_("existing member: %(fields)s updated") % {"fields": ", ".join(changed)})
    if paid_on is None:
        return
    if type_ is None:
        line.details.append(_("no membership recorded: create an active individual membership type first"))
        return
    if format_ == HELLOASSO and any(m.source == HELLOASSO and m.payment_reference == reference for m in memberships):
        line.details.append(_("order %(reference)s already imported") % {"reference": reference})
        return
    if format_ == PLAIN and any(m.starts_on <= paid_on <= m.ends_on for m in memberships):
        line.details.append(_("already a member on %(date)s") % {"date": formats.date_format(paid_on, "SHORT_DATE_FORMAT")})
        return
    current_end = max([m.ends_on for m in memberships] + ([planned_ends[line.email]] if planned_before else []), default=None)
    try:
        start, end = membership_period(type=type_, start=membership_next_start(current_end=current_end, day=paid_on))
    except InvalidInput as error:
        return _reject(line, str(error.message))
    planned_ends[line.email] = end
    if line.action == "unchanged":
        line.action = "update"
    line.membership = {"type_id": type_.pk, "starts_on": start, "ends_on": end, "amount_paid": amount_paid, "payment_method": method,
                       "payment_reference": reference or "import", "paid_on": paid_on, "source": HELLOASSO if format_ == HELLOASSO else ""}
    detail = _("membership “%(type)s” from %(start)s to %(end)s") % {
        "type": type_.name, "start": formats.date_format(start, "SHORT_DATE_FORMAT"), "end": formats.date_format(end, "SHORT_DATE_FORMAT")}
    if amount_paid is not None:
        detail += ", " + _("%(amount)s paid by %(method)s") % {"amount": _money(amount_paid), "method": Membership.PaymentMethod(method).label}
    if reference:
        detail += ", " + _("order %(reference)s") % {"reference": reference}
    line.details.append(detail)


def _changed_fields(user: User, values: dict) -> list[str]:
    profile = getattr(user, "profile", None)
    labels = {"first_name": _("first name"), "last_name": _("last name"), "phone": _("phone"), "commune": _("commune"),
              "organisation": _("organisation")}
    changed = []
    for key in ("first_name", "last_name"):
        if values.get(key) and values[key] != getattr(user, key):
            changed.append(str(labels[key]))
    for key in PROFILE_FIELDS:
        if values.get(key) and values[key] != (getattr(profile, key, "") if profile else ""):
            changed.append(str(labels[key]))
    return changed


# --- writing ----------------------------------------------------------------------------------

IMPORT_LOCK = 7_150_001  # pg_advisory_xact_lock key: one member import at a time


def _lock_imports() -> None:
    """Two imports of one file at once would both plan "create" and the second would fail on the
    unique e-mail: the second waits here until the first commits, then plans again and finds
    everything done. Held until the end of the transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def import_apply(data: bytes, *, by, rates: dict[str, int] | None = None, skip_rejected: bool = False) -> dict[str, int]:
    """Write what the plan says, in one transaction.

    Rejected lines refuse the whole file unless `skip_rejected` (staff chose "import the valid
    lines"); skipped orders (refunded, cancelled) never block it. The rate mapping used is
    remembered. Bulk writes: a handful of queries per 2 000 rows.
    """
    from django.contrib.auth.hashers import make_password

    from quai.audit import audit_log

    with transaction.atomic():
        _lock_imports()
        plan = import_plan(data, rates=rates)
        if plan.counts["reject"] and not skip_rejected:
            raise DomainError(_("Some lines are rejected: fix the file, or choose to import the valid lines only (nothing was imported)."), field="file")
        lines = [line for line in plan.lines if line.action in ("create", "update")]
        unusable = make_password(None)  # imported people set their password through "forgot my password"
        User.objects.bulk_create(
            [User(email=email, password=unusable) for email in dict.fromkeys(line.email for line in lines if line.action == "create")],
            batch_size=2000,
        )
        users = {u.email: u for u in User.objects.filter(email__in={line.email for line in lines})}
        profiles = {p.user_id: p for p in Profile.objects.filter(user__in=users.values())}
        new_profiles: dict[int, Profile] = {}
        memberships = []
        for line in lines:
            values, user = line.values, users[line.email]
            for key in ("first_name", "last_name"):
                if values.get(key):
                    setattr(user, key, values[key][:150])
            profile = profiles.get(user.pk) or new_profiles.get(user.pk)
            if profile is None:
                profile = new_profiles[user.pk] = Profile(user=user)
            for key in PROFILE_FIELDS:
                if values.get(key):
                    setattr(profile, key, values[key][:Profile._meta.get_field(key).max_length])
            profile.user = user
            profile.refresh_search()
            if line.membership:
                memberships.append(Membership(member=user, type_id=line.membership["type_id"], **{
                    k: v for k, v in line.membership.items() if k != "type_id"}))
        User.objects.bulk_update(users.values(), ["first_name", "last_name"], batch_size=2000)
        Profile.objects.bulk_create(new_profiles.values(), batch_size=2000)
        Profile.objects.bulk_update(profiles.values(), ["phone", "commune", "organisation", "search"], batch_size=2000)
        Membership.objects.bulk_create(memberships, batch_size=2000)
        for choice in plan.rates:
            if choice.type_id is not None:
                HelloAssoRate.objects.update_or_create(key=choice.key, defaults={"name": choice.name[:200], "membership_type_id": choice.type_id})
        counts = plan.counts | {"memberships": len(memberships)}
        if by is not None:
            audit_log(actor=by, action="members.imported", target=by, data=counts | {"format": plan.format})
    return counts
