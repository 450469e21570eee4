"""Members writes: memberships and payments, renewal reminders, profile and consents, GDPR export and erasure."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Membership, MembershipType, Profile, User
from members.periods import membership_next_start, membership_period
from members.selectors import account_change_allowed, membership_renewal_allowed
from quai.audit import audit_log
from quai.dberrors import constraint_name
from quai.errors import ConflictError, DomainError, InvalidInput
from quai.inputs import check_date, parse_amount
from quai.models import AuditLog, OutboxMessage
from quai.outbox import outbox_enqueue
from quai.registry import registry


def profile_for(user: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def _next_start(member: User, today: datetime.date) -> datetime.date:
    current = member.memberships.filter(paid_on__isnull=False, ends_on__gte=today).order_by("-ends_on").first()
    return membership_next_start(current_end=current.ends_on if current else None, day=today)


def membership_record_payment(
    *, member: User, type: MembershipType, by, method: str, reference: str = "", amount=None, paid_on=None, starts_on=None
) -> Membership:
    """Staff record a payment: a membership from today (or from the end of the current one)."""
    if method not in Membership.PaymentMethod.values:
        raise DomainError(_("Choose a payment method."), field="payment_method")
    try:
        amount = parse_amount(amount) if amount is not None else None
        paid_on = check_date(paid_on) if paid_on is not None else None
    except ValidationError as error:
        raise InvalidInput(error.messages[0], field="amount_paid" if error.code.startswith("amount") else "paid_on")
    today = timezone.localdate()
    with transaction.atomic():
        User.objects.select_for_update().get(pk=member.pk)  # two clicks at once must not create two periods
        start, end = membership_period(type=type, start=starts_on or _next_start(member, today))
        membership = Membership.objects.create(
            member=member, type=type, starts_on=start, ends_on=end, amount_paid=amount if amount is not None else type.amount_eur,
            payment_method=method, payment_reference=reference.strip(), paid_on=paid_on or today,
        )
        audit_log(actor=by, action="members.payment_recorded", target=member,
                  data={"membership": membership.pk, "amount": str(membership.amount_paid), "method": method})
        membership_receipt_enqueue(membership=membership)
    return membership


def membership_renew_request(*, member: User, type: MembershipType) -> Membership:
    """The member asks to renew from their account page; staff confirm when the payment arrives.

    One pending renewal per member is the database's rule (membership_one_pending_per_member):
    two requests at once both pass the friendly check below, the second insert is refused → 409.
    """
    if not type.is_active:
        raise DomainError(_("This membership type is no longer offered: choose another one."), field="type")
    already = ConflictError(_("Your renewal request is already waiting for the team to confirm the payment."), code="pending_renewal")
    if not membership_renewal_allowed(member):
        raise already
    start, end = membership_period(type=type, start=_next_start(member, timezone.localdate()))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(member=member, type=type, starts_on=start, ends_on=end)
            audit_log(actor=member, action="members.renewal_requested", target=member, data={"membership": membership.pk})
    except IntegrityError as error:
        if constraint_name(error) == "membership_one_pending_per_member":
            raise already from error
        raise
    return membership


def membership_renew_cancel(*, member: User) -> None:
    """The member withdraws a request not paid yet (wrong type chosen, paid another way…)."""
    with transaction.atomic():
        pending = Membership.objects.select_for_update().filter(member=member, paid_on__isnull=True).first()
        if pending is None:
            raise ConflictError(_("You have no renewal request waiting for payment."))
        audit_log(actor=member, action="members.renewal_cancelled", target=member, data={"membership": pending.pk})
        pending.delete()


def membership_receipt_enqueue(*, membership: Membership) -> None:
    """The receipt of a paid membership, once per membership (outbox key), inside the caller's transaction."""
    from django.urls import reverse

    from members.models import PaymentInstructions

    member = membership.member
    outbox_enqueue(
        key=f"membership-receipt:{membership.pk}", to=member.email, user=member, template="members/receipt",
        context={
            "name": member.get_short_name(), "full_name": member.get_full_name() or member.email,
            "type_name": membership.type.name, "starts_on": membership.starts_on, "ends_on": membership.ends_on,
            "amount": membership.amount_paid, "method": membership.get_payment_method_display(),
            "reference": membership.payment_reference, "paid_on": membership.paid_on, "number": membership.pk,
            "holder": PaymentInstructions.current().transfer_holder or settings.QUAI_SITE_NAME,
            "account_url": settings.QUAI_SITE_URL.rstrip("/") + reverse("members:account"),
        },
    )


def membership_confirm_payment(*, membership: Membership, by, method: str, reference: str = "") -> Membership:
    if method not in Membership.PaymentMethod.values:
        raise DomainError(_("Choose a payment method."), field="payment_method")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.paid_on:
            raise ConflictError(_("This membership is already paid."))
        membership.paid_on = timezone.localdate()
        membership.payment_method = method
        membership.payment_reference = reference
        membership.amount_paid = membership.type.amount_eur
        membership.save()
        audit_log(actor=by, action="members.payment_recorded", target=membership.member, data={"membership": membership.pk})
        membership_receipt_enqueue(membership=membership)
    return membership


def membership_reminders_send(*, today=None) -> int:
    """Daily: 30 and 7 days before expiry, and on expiry — each once (outbox key), and only when
    no later membership has been paid."""
    today = today or timezone.localdate()
    sent = 0
    for days, template in ((30, "members/expiry_30"), (7, "members/expiry_7"), (-1, "members/expired")):
        ends_on = today + datetime.timedelta(days=days)
        memberships = Membership.objects.filter(ends_on=ends_on, paid_on__isnull=False).select_related("member", "type")
        for membership in memberships:
            if Membership.objects.filter(member=membership.member, starts_on__gt=membership.ends_on, paid_on__isnull=False).exists():
                continue
            with transaction.atomic():
                _message, created = outbox_enqueue(
                    key=f"membership-expiry-{days if days > 0 else 0}:{membership.pk}",
                    to=membership.member.email, user=membership.member, template=template,
                    context={"name": membership.member.get_short_name(), "ends_on": membership.ends_on,
                             "account_url": settings.QUAI_SITE_URL.rstrip("/") + "/account/"},
                )
            sent += created
    return sent


def profile_update(*, user: User, first_name: str, last_name: str, consents: dict[str, bool], **fields) -> Profile:
    now = timezone.now()
    with transaction.atomic():
        user.first_name, user.last_name = first_name.strip(), last_name.strip()
        user.save(update_fields=["first_name", "last_name"])
        profile = profile_for(user)
        for name, value in fields.items():
            setattr(profile, name, value)
        for consent, given in consents.items():
            field = f"{consent}_consent_at"
            if given and getattr(profile, field) is None:
                setattr(profile, field, now)
            elif not given:
                setattr(profile, field, None)
        profile.refresh_search()
        profile.save()
    return profile


def member_export(user: User) -> dict:
    """GDPR "download my data": what every app holds about the person."""
    profile = Profile.objects.filter(user=user).first()
    data = {
        "account": {"id": user.pk, "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
                    "language": user.language, "date_joined": user.date_joined.isoformat()},
        "profile": {
            field: (value.isoformat() if hasattr(value, "isoformat") else value)
            for field, value in (
                ((f.name, getattr(profile, f.name)) for f in Profile._meta.fields if f.name not in {"id", "user", "search", "photo"})
                if profile else ()
            )
        }
        | ({"photo": _("a photo is stored (visible on your account page)")} if profile and profile.photo else {}),
        "memberships": [
            {"type": m.type.name, "from": m.starts_on.isoformat(), "until": m.ends_on.isoformat(),
             "amount_paid": str(m.amount_paid) if m.amount_paid is not None else None, "payment_method": m.payment_method,
             "paid_on": m.paid_on.isoformat() if m.paid_on else None}
            for m in user.memberships.select_related("type")
        ],
        "api_tokens": [{"name": t.name, "created_at": t.created_at.isoformat()} for t in user.api_tokens.all()],
        "emails_sent": [{"subject": m.subject, "created_at": m.created_at.isoformat()} for m in user.outbox_messages.all()[:500]],
    }
    for app in registry.person_data:
        data[app.app_label] = app.export(user)
    return data


def erasure_pending_reasons(user: User) -> list[str]:
    reasons = []
    if user.memberships.filter(paid_on__isnull=False, ends_on__gte=timezone.localdate()).exists():
        reasons.append(_("has a membership running"))
    for app in registry.person_data:
        if app.pending:
            reasons += [str(reason) for reason in app.pending(user)]
    return reasons


def member_request_erasure(*, user: User) -> bool:
    """The member asks. Immediate for a plain member with nothing pending; otherwise staff confirm.
    Returns True when the account was erased right away."""
    if erasure_pending_reasons(user) or user.is_staff:
        profile = profile_for(user)
        profile.erasure_requested_at = timezone.now()
        profile.save(update_fields=["erasure_requested_at"])
        return False
    member_erase(user=user, by=user)
    return True


def require_account_change_allowed(*, user: User, by) -> None:
    if not account_change_allowed(user=user, by=by):
        raise PermissionDenied(_("Only a superuser may erase or change a staff or superuser account."))


def member_erase(*, user: User, by) -> User:
    """Pseudonymise: the account row and its id stay (so MEM-1, ESS-1 and other counts survive),
    identity and contact data are wiped, files deleted, every app erases its part; audited.
    A staff or superuser account is erased by a superuser only (403 otherwise)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        require_account_change_allowed(user=user, by=by)
        pseudonym = f"anonyme-{user.pk}"
        user.email = f"{pseudonym}@erased.invalid"
        user.first_name, user.last_name = "Anonyme", str(user.pk)
        user.is_active = False
        user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.emailaddress_set.all().delete()
        user.api_tokens.all().delete()
        user.outbox_messages.update(to=f"{pseudonym}@erased.invalid", body_text="", body_html="", subject="—",
                                    attachments=[], template="", builder="", params={})
        existing = Profile.objects.filter(user=user).first()
        if existing and existing.photo:
            existing.photo.delete(save=False)
        Profile.objects.update_or_create(
            user=user,
            defaults={"phone": "", "commune": "", "organisation": "", "skills": "", "interests": "", "bio": "",
                      "directory_consent_at": None, "newsletter_consent_at": None, "image_rights_consent_at": None,
                      "search": "", "photo": "", "erased_at": timezone.now()},
        )
        for app in registry.person_data:
            if app.erase:
                app.erase(user)
        audit_log(actor=by, action="members.erased", target=user)
    return user


def members_flag_inactive(*, months: int | None = None, today=None) -> int:
    """Flag for review members with no membership and no login for `months` (GDPR: keep no more than needed)."""
    months = months or settings.QUAI_INACTIVE_AFTER_MONTHS
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=30 * months)
    candidates = User.objects.filter(is_staff=False, is_active=True, date_joined__date__lt=cutoff).exclude(
        memberships__ends_on__gte=cutoff
    ).exclude(last_login__date__gte=cutoff)
    flagged = 0
    for user in candidates:
        profile = profile_for(user)
        if profile.flagged_inactive_at is None:
            profile.flagged_inactive_at = timezone.now()
            profile.save(update_fields=["flagged_inactive_at"])
            flagged += 1
    return flagged


def member_set_staff(*, user: User, is_staff: bool, by) -> User:
    if not by.is_superuser:
        raise PermissionDenied(_("Only an administrator can change roles."))
    with transaction.atomic():
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
        audit_log(actor=by, action="members.role_changed", target=user, data={"is_staff": is_staff})
    return user


PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def profile_set_photo(*, user: User, upload) -> Profile:
    """Accept a JPEG/PNG/WebP of at most 2 MB whose content really is an image (checked by Pillow)."""
    from PIL import Image, UnidentifiedImageError

    if upload.size == 0:
        raise DomainError(_("The photo is empty."), field="photo")
    if upload.size > PHOTO_MAX_BYTES:
        raise DomainError(_("The photo is too large (2 MB at most)."), field="photo")
    try:
        image = Image.open(upload)
        image.verify()
        image_format = image.format
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise DomainError(_("This file is not an image (JPEG, PNG or WebP)."), field="photo")
    if image_format not in PHOTO_FORMATS:
        raise DomainError(_("This file is not an image (JPEG, PNG or WebP)."), field="photo")
    upload.seek(0)
    profile = profile_for(user)
    old = profile.photo.name if profile.photo else None
    profile.photo.save("photo", upload, save=True)
    if old:
        profile.photo.storage.delete(old)
    return profile


DIRECTORY_CONTACT_LIMIT = 5  # messages a member may send through the directory per 24 hours


class ContactLimitReached(DomainError):
    status_code = 429


def directory_contact_send(*, sender: User, recipient: User, message: str) -> bool:
    """Relay a message from one directory member to another by e-mail: the recipient sees the
    sender's name and replies to the sender's address; the sender never sees the recipient's.
    Both must be listed in the directory; at most DIRECTORY_CONTACT_LIMIT messages a day per
    sender (spam through the platform would make members leave the directory).
    Returns False when the very same message was already sent today (a double submit)."""
    import hashlib

    from django.urls import reverse

    from members.models import Profile

    message = message.strip()
    if recipient.pk == sender.pk:
        raise DomainError(_("You cannot write to yourself."))
    if not Profile.objects.filter(user=sender, directory_consent_at__isnull=False).exists():
        raise DomainError(_("Only members listed in the directory can write to other members: add yourself to it from your account."))
    now = timezone.now()
    with transaction.atomic():
        # Locking the sender serialises their sends, so two tabs cannot both pass the count.
        User.objects.select_for_update().get(pk=sender.pk)
        if not Profile.objects.filter(user=recipient, user__is_active=True, directory_consent_at__isnull=False).exists():
            raise DomainError(_("This member is no longer in the directory."))
        sent_today = AuditLog.objects.filter(
            actor=sender, action="members.directory_contact", created_at__gte=now - datetime.timedelta(days=1)
        ).count()
        digest = hashlib.sha256(f"{recipient.pk}:{message}".encode()).hexdigest()[:16]
        key = f"directory-contact:{sender.pk}:{digest}:{timezone.localdate()}"
        if OutboxMessage.objects.filter(key=key).exists():
            return False
        if sent_today >= DIRECTORY_CONTACT_LIMIT:
            raise ContactLimitReached(
                _("You have sent %(count)s messages in the last 24 hours, the most the directory allows. Try again tomorrow.")
                % {"count": sent_today}
            )
        site = settings.QUAI_SITE_URL.rstrip("/")
        outbox_enqueue(
            key=key, to=recipient.email, user=recipient, template="members/directory_contact", reply_to=sender.email,
            context={"sender": sender.get_full_name() or _("A member"), "recipient": recipient.get_short_name(), "message": message,
                     "account_url": site + reverse("members:account") + "#privacy"},
        )
        audit_log(actor=sender, action="members.directory_contact", target=recipient)
    return True
