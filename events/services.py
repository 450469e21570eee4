"""Events writes. Capacity is never a counter we trust: lock the event row, recount, write (pretix).

The waiting list is promoted inside the transaction of the cancellation (or capacity change) that
frees the seat, and the promoted person is told after commit through the outbox.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.ical import event_ics
from events.models import AttendanceScan, Event, Registration
from members.models import normalize_email_address
from quai.audit import audit_log
from quai.dberrors import constraint_name
from quai.errors import ConflictError, DomainError
from quai.outbox import outbox_enqueue, outbox_enqueue_deferred

CANCEL_SALT = "events.registration.cancel"


def person_key_for(*, member=None, email: str = "") -> str:
    return f"member:{member.pk}" if member is not None else normalize_email_address(email)


def cancel_link(registration: Registration) -> str:
    token = signing.dumps({"r": registration.pk, "t": registration.cancel_token}, salt=CANCEL_SALT, compress=True)
    return settings.QUAI_SITE_URL.rstrip("/") + reverse("events:cancel_by_link", args=[token])


def registration_from_cancel_token(token: str) -> Registration:
    """The registration a self-cancellation link points to; the link dies once the event is over."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        raise DomainError(_("This cancellation link is not valid."))
    registration = Registration.objects.select_related("event").filter(pk=data.get("r"), cancel_token=data.get("t")).first()
    if registration is None or registration.event.ends_at <= timezone.now():
        raise DomainError(_("This cancellation link has expired."))
    return registration


REGISTRATION_EMAIL = "events.registration"


def _notify(registration: Registration, template: str, key: str) -> None:
    """Write the e-mail `template` about `registration`; it is rendered (with the event's .ics when
    the seat is confirmed) by the delivery task, not in the request (`registration_email`)."""
    outbox_enqueue_deferred(
        key=key,
        to=registration.email,
        user=registration.member,
        template=template,
        builder=REGISTRATION_EMAIL,
        params={"registration": registration.pk, "ics": registration.status == Registration.Status.CONFIRMED},
    )


def registration_email(params: dict) -> tuple[dict, list[dict]]:
    """The context and attachments of an e-mail about a registration, made when it is delivered
    (the e-mail builder "events.registration"); `params`: {"registration": pk, "ics": bool}."""
    registration = Registration.objects.select_related("event__site", "member").get(pk=params["registration"])
    event = registration.event
    attachments = []
    if params.get("ics"):
        attachments = [{"filename": "evenement.ics", "mimetype": "text/calendar", "content": event_ics([event]).decode()}]
    context = {
        "name": registration.display_name,
        "event": event.title,
        "start": timezone.localtime(event.starts_at),
        "end": timezone.localtime(event.ends_at),
        "place": event.site.name if event.site else "",
        "cancel_url": cancel_link(registration),
        "event_url": settings.QUAI_SITE_URL.rstrip("/") + reverse("events:detail", args=[event.pk]),
    }
    return context, attachments


def _lock_event(pk: int, *, among=None) -> Event:
    """Every write that changes who has a seat takes this row lock first: recount, then write.
    The event alone: the e-mails, which name its site, are built at delivery. `among`: the events
    the caller may see (a queryset); an event outside it is a 404."""
    events = Event.objects if among is None else among
    return get_object_or_404(events.select_for_update(of=("self",)), pk=pk)


def _seats_taken(event: Event) -> int:
    """Caller holds the event lock."""
    return event.registrations.seats_taken().count()


def _promote(event: Event) -> list[Registration]:
    """Give freed seats to the waiting list, oldest first. Caller holds the event lock."""
    promoted = []
    free = event.capacity - _seats_taken(event)
    if free <= 0:
        return promoted
    for registration in event.registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")[:free]:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        _notify(registration, "events/promoted", f"event-promoted:{registration.pk}")
        promoted.append(registration)
    return promoted


def registration_create(
    *, event: Event | None = None, event_id: int | None = None, member=None, guest_name: str = "", guest_email: str = "",
    consent: bool = True, now=None,
) -> Registration:
    """Register a member (one click) or a guest (name + e-mail) — confirmed, or on the waiting list when full.

    `event`: the event; or `event_id` alone when the caller has not read it (the API and the event
    page): the event is then read once, under its lock, among the events `member` may see
    (`Event.objects.visible_to`; a guest's `member` is None), and any other id is a 404 — the
    answer the caller's own read would have given, one query fewer."""
    if (event is None) == (event_id is None):
        raise TypeError("registration_create takes event or event_id")
    now = now or timezone.now()
    if member is None:
        guest_name, guest_email = guest_name.strip(), guest_email.strip()
    with transaction.atomic():
        # The race this lock prevents: two requests for the last seat both count "one left".
        if event is None:
            event = _lock_event(event_id, among=Event.objects.visible_to(member))
        else:
            event = _lock_event(event.pk)
        _check_registration(event, member=member, guest_name=guest_name, guest_email=guest_email, consent=consent, now=now)
        key = person_key_for(member=member, email=guest_email)
        status = Registration.Status.CONFIRMED if _seats_taken(event) < event.capacity else Registration.Status.WAITLISTED
        try:
            # No "already registered?" query first: registration_one_active_per_person (one active
            # registration per person and event) answers at the insert, and its refusal ends this
            # transaction (no savepoint: two round trips fewer).
            with transaction.atomic(savepoint=False):
                registration = Registration.objects.create(
                    event=event, member=member, guest_name=guest_name if member is None else "",
                    guest_email=normalize_email_address(guest_email) if member is None else "",
                    person_key=key, status=status, created_at=now,
                )
        except IntegrityError as error:
            if constraint_name(error) == "registration_one_active_per_person":
                raise ConflictError(_("You are already registered for this event."), code="already_registered") from error
            raise
        template = "events/confirmed" if status == Registration.Status.CONFIRMED else "events/waitlisted"
        _notify(registration, template, f"event-registration:{registration.pk}")
    return registration


def _check_registration(event: Event, *, member, guest_name: str, guest_email: str, consent: bool, now) -> None:
    """The refusals a person can fix or must be told (400), checked on the locked event."""
    if member is None:
        errors = {}
        if not guest_name:
            errors["name"] = _("Give your name.")
        if not guest_email or "@" not in guest_email:
            errors["email"] = _("Give a valid e-mail address.")
        if errors:
            field, message = next(iter(errors.items()))
            raise DomainError(message, field=field)
        if not consent:
            raise DomainError(_("Please accept that we keep your name and e-mail for this event."), field="consent")
        if not event.is_public:
            raise DomainError(_("This event is for members: log in to register."), code="members_only")
    if not event.registration_is_open(now):
        raise DomainError(_("Registration for this event is closed."), code="closed")


def registration_cancel(*, registration: Registration, by=None, now=None, force: bool = False) -> Registration:
    """Cancel a registration; a freed seat goes to the first person waiting, in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            raise ConflictError(_("This registration is already cancelled."), code="already_cancelled")
        is_staff = by is not None and by.is_staff
        if not (is_staff or force) and now > event.starts_at - datetime.timedelta(hours=event.cancellation_cutoff_hours):
            raise DomainError(_("It is too late to cancel online; please tell the team."), code="too_late")
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        if is_staff and by.pk != registration.member_id:
            audit_log(actor=by, action="events.registration_cancelled_by_staff", target=registration)
        _promote(event)
    return registration


def event_save(*, event: Event, by, changed: bool = True) -> Event:
    """Create or update an event: book (or move) its room in coworking, bump the iCal SEQUENCE,
    and promote the waiting list if capacity went up — all in one transaction."""
    from coworking import services as coworking

    if event.ends_at <= event.starts_at:
        raise DomainError(_("The end must be after the start."), field="end")
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes <= opens:
        raise DomainError(_("Registration must close after it opens."), field="registration_closes_at")
    with transaction.atomic():
        if event.pk:
            Event.objects.select_for_update().get(pk=event.pk)
            event.sequence += 1 if changed else 0
        if event.room_id and event.status != Event.Status.CANCELLED:
            try:
                if event.room_booking_id and event.room_booking.resource_id == event.room_id:
                    coworking.room_reservation_move(booking_id=event.room_booking_id, starts_at=event.starts_at, ends_at=event.ends_at)
                else:
                    if event.room_booking_id:
                        coworking.room_reservation_release(booking_id=event.room_booking_id)
                    event.room_booking = coworking.room_reserve_for(
                        resource_id=event.room_id, starts_at=event.starts_at, ends_at=event.ends_at, label=event.title, reserved_by=by
                    )
            except ConflictError as error:
                # Lost the race to a booking made between our check and our insert (the exclusion
                # constraint refused it): the same answer as a room already taken, on the room field.
                if error.field is not None:
                    raise
                raise ConflictError(_("The room is already booked at that time."), field="room", code=error.code) from error
            event.site_id = event.room.site_id
        elif event.room_booking_id:
            coworking.room_reservation_release(booking_id=event.room_booking_id)
            event.room_booking = None
        if event.created_by_id is None and by is not None:
            event.created_by = by
        event.save()
        _promote(event)
    return event


EVENT_FIELDS = ("title", "kind", "themes", "description", "starts_at", "ends_at", "capacity", "is_public", "price", "room")


def _clean_themes(themes) -> list[str]:
    seen = []
    for theme in themes or []:
        theme = theme.strip()[:60]
        if theme and theme.lower() not in [t.lower() for t in seen]:
            seen.append(theme)
    return seen


def event_create(
    *, by, title: str, kind: str, starts_at, ends_at, capacity: int, themes=(), description: str = "",
    is_public: bool = True, price: str = "", room=None,
) -> Event:
    """Staff create an event from the product: a draft (invisible to members) until published.
    Its room, if any, is reserved in coworking in the same transaction."""
    if not title.strip():
        raise DomainError(_("Give the event a title."), field="title")
    if capacity is None or capacity < 1:
        raise DomainError(_("Capacity must be at least 1."), field="capacity")
    event = Event(
        title=title.strip(), kind=kind, themes=_clean_themes(themes), description=description, starts_at=starts_at,
        ends_at=ends_at, capacity=capacity, is_public=is_public, price=price.strip(), room=room, status=Event.Status.DRAFT,
    )
    with transaction.atomic():
        event = event_save(event=event, by=by)
        audit_log(actor=by, action="events.event_created", target=event, data={"title": event.title})
    return event


def event_update(*, event: Event, by, **changes) -> Event:
    """Staff edit an event: the room booking follows the new times (or the new room), people already
    registered keep their seats (extra capacity goes to the waiting list)."""
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown event fields: {sorted(unknown)}")
    if "title" in changes and not changes["title"].strip():
        raise DomainError(_("Give the event a title."), field="title")
    if "capacity" in changes and (changes["capacity"] is None or changes["capacity"] < 1):
        raise DomainError(_("Capacity must be at least 1."), field="capacity")
    if "themes" in changes:
        changes["themes"] = _clean_themes(changes["themes"])
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).select_related("room_booking").get(pk=event.pk)
        changed = sorted(name for name, value in changes.items() if getattr(event, name) != value)
        for name, value in changes.items():
            setattr(event, name, value)
        event = event_save(event=event, by=by, changed=bool(changed))
        audit_log(actor=by, action="events.event_updated", target=event, data={"fields": changed})
    return event


def event_publish(*, event: Event, by) -> Event:
    """A draft becomes visible in the agenda and open for registration."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status == Event.Status.CANCELLED:
            raise ConflictError(_("A cancelled event cannot be published."), code="cancelled")
        if event.status == Event.Status.PUBLISHED:
            raise ConflictError(_("This event is already published."), code="already_published")
        event.status = Event.Status.PUBLISHED
        event.sequence += 1
        event.save(update_fields=["status", "sequence", "updated_at"])
        audit_log(actor=by, action="events.event_published", target=event)
    return event


def event_duplicate(*, event: Event, by, starts_at=None) -> tuple[Event, bool]:
    """Copy an event to a new draft, a week later unless another start is given (same times of day
    and length). Returns the copy and whether its room could be kept: when the room is taken at the
    new date the copy is made without one, for staff to choose another."""
    source = Event.objects.get(pk=event.pk)
    if starts_at is None:
        starts_at = source.starts_at + datetime.timedelta(days=7)
    ends_at = starts_at + (source.ends_at - source.starts_at)
    fields = {name: getattr(source, name) for name in EVENT_FIELDS if name not in ("starts_at", "ends_at", "room")}
    fields["themes"] = list(source.themes)
    room_kept = True
    with transaction.atomic():
        try:
            with transaction.atomic():
                copy = event_create(by=by, starts_at=starts_at, ends_at=ends_at, room=source.room, **fields)
        except ConflictError:
            if source.room_id is None:
                raise
            room_kept = False
            copy = event_create(by=by, starts_at=starts_at, ends_at=ends_at, room=None, **fields)
        audit_log(actor=by, action="events.event_duplicated", target=copy, data={"from": source.pk})
    return copy, room_kept


def event_cancel(*, event: Event, by) -> Event:
    """Cancel the event, free its room and tell everyone registered."""
    from coworking import services as coworking

    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status == Event.Status.CANCELLED:
            return event
        event.status = Event.Status.CANCELLED
        event.sequence += 1
        if event.room_booking_id:
            coworking.room_reservation_release(booking_id=event.room_booking_id)
        event.save(update_fields=["status", "sequence", "updated_at"])
        audit_log(actor=by, action="events.event_cancelled", target=event)
        for registration in event.registrations.exclude(status=Registration.Status.CANCELLED).select_related("member"):
            if registration.email:
                _notify(registration, "events/event_cancelled", f"event-cancelled:{registration.pk}")
    return event


def attendance_mark(*, registration: Registration, present: bool, nonce: str, by) -> tuple[AttendanceScan, bool]:
    """Record one tap at the door. The same nonce twice (double tap, re-sent request) counts once."""
    nonce = (nonce or "").strip()[:64]
    if not nonce:
        raise DomainError(_("A nonce is required (any unique string per tap)."), field="nonce")
    if registration.status == Registration.Status.CANCELLED:
        raise ConflictError(_("This registration is cancelled."), code="cancelled")
    with transaction.atomic():
        scan, created = AttendanceScan.objects.get_or_create(
            registration=registration, nonce=nonce, defaults={"present": present, "scanned_by": by}
        )
        if created:
            Registration.objects.filter(pk=registration.pk).update(attended=present)
    return scan, created


def walk_in_add(*, event: Event, name: str, email: str = "", by) -> Registration:
    """Someone at the door without a registration: counted present, flagged, even when the event is full."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the person's name."), field="name")
    key = person_key_for(email=email) if email.strip() else f"walk-in:{uuid.uuid4().hex}"
    with transaction.atomic():
        existing = Registration.objects.filter(event=event, person_key=key).exclude(status=Registration.Status.CANCELLED).first()
        if existing:
            Registration.objects.filter(pk=existing.pk).update(attended=True)
            return existing
        return Registration.objects.create(
            event=event, guest_name=name, guest_email=normalize_email_address(email), person_key=key,
            status=Registration.Status.CONFIRMED, walk_in=True, attended=True,
        )


def event_reminders_send(*, now=None) -> int:
    """Periodic: remind confirmed participants the day before, once (outbox key per registration)."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    sent = 0
    registrations = Registration.objects.seats_taken().filter(
        event__status=Event.Status.PUBLISHED, event__starts_at__date=tomorrow,
    ).select_related("event__site", "member")
    from quai.models import OutboxMessage

    for registration in registrations:
        key = f"event-reminder:{registration.pk}"
        if OutboxMessage.objects.filter(key=key).exists():
            continue  # already reminded (the key alone would also stop a second e-mail)
        with transaction.atomic():
            _notify(registration, "events/reminder", key)
        sent += 1
    return sent


FEEDBACK_SALT = "events.registration.feedback"


def feedback_link(registration: Registration) -> str:
    token = signing.dumps({"r": registration.pk, "t": registration.cancel_token}, salt=FEEDBACK_SALT, compress=True)
    return settings.QUAI_SITE_URL.rstrip("/") + reverse("events:feedback", args=[token])


def registration_from_feedback_token(token: str) -> Registration:
    try:
        data = signing.loads(token, salt=FEEDBACK_SALT, max_age=datetime.timedelta(days=60))
    except signing.BadSignature:
        raise DomainError(_("This feedback link is not valid or has expired."))
    registration = Registration.objects.select_related("event").filter(pk=data.get("r"), cancel_token=data.get("t")).first()
    if registration is None:
        raise DomainError(_("This feedback link is not valid or has expired."))
    return registration


def feedback_save(*, registration: Registration, rating: int, comment: str = ""):
    from events.models import Feedback

    if not 1 <= rating <= 5:
        raise DomainError(_("Give a rating from 1 to 5."), field="rating")
    feedback, _created = Feedback.objects.update_or_create(registration=registration, defaults={"rating": rating, "comment": comment.strip()})
    return feedback


def feedback_requests_send(*, now=None) -> int:
    """Periodic: the day after an event, ask those who attended for their feedback (once each)."""
    now = now or timezone.now()
    registrations = Registration.objects.filter(
        attended=True, event__ends_at__lte=now, event__ends_at__gt=now - datetime.timedelta(days=2), feedback__isnull=True,
    ).select_related("event__site", "member")
    sent = 0
    for registration in registrations:
        if not registration.email:
            continue
        with transaction.atomic():
            _message, created = outbox_enqueue(
                key=f"event-feedback:{registration.pk}", to=registration.email, user=registration.member, template="events/feedback",
                context={"name": registration.display_name, "event": registration.event.title, "feedback_url": feedback_link(registration)},
            )
        sent += created
    return sent
