import datetime
import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Exists, F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from members.models import PROFILE_SEARCH_VECTOR, USER_SEARCH_VECTOR, Membership, Profile, User, search_text


def account_change_allowed(*, user: User, by) -> bool:
    """Only a superuser may erase or change a staff or superuser account: otherwise any staff
    member could take over (or wipe) a colleague's or an administrator's account."""
    return not (user.is_staff or user.is_superuser) or bool(getattr(by, "is_superuser", False))


def active_member_count(on_date: datetime.date) -> int:
    """MEM-1: distinct members with a paid membership valid on the date (erased people included)."""
    return Membership.objects.valid_on(on_date).values("member").distinct().count()


def _prefix_query(text: str) -> SearchQuery | None:
    """Every word, as the beginning of a word ("mart" finds "martin"); PostgreSQL's parser splits
    each one as it split the text (an e-mail address stays one word). None: no word to look for."""
    words = [word.replace("\\", "").replace("'", "''") for word in text.split()]
    words = [word for word in words if word.strip("'")]
    if not words:
        return None
    return SearchQuery(" & ".join(f"'{word}':*" for word in words), search_type="raw", config="simple")


# Accented letters and their plain form, for PostgreSQL's core translate() (no unaccent extension):
# the same folding as search_text() for the letters French names use.
_ACCENTED = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿ"
_PLAIN = "aaaaaaceeeeiiiinooooouuuuyy"


def text_vector(*fields: str) -> SearchVector:
    """A full-text vector of the given columns, lower-cased and without accents, to match with
    text_query(): for the small tables the person search also reads (a project's name), computed
    on the fly rather than indexed."""
    folded = [Func(Lower(F(name)), Value(_ACCENTED), Value(_PLAIN), function="translate", output_field=TextField())
              for name in fields]
    return SearchVector(*folded, config="simple")


def text_query(text: str) -> SearchQuery | None:
    """What a staff search for `text` matches in a text_vector(): every word as the beginning of
    a word, accents and case ignored. None: no word to look for."""
    return _prefix_query(search_text(text))


def _search_matches(search: str):
    """Ids of the people a staff search finds: two GIN index scans (core full-text search), not a
    scan of every member. The profile's normalised column makes "helene lefevre" find "Hélène
    Lefèvre"; names and e-mail are searched directly for accounts that have no profile yet."""
    by_profile, by_account = _prefix_query(search_text(search)), _prefix_query(search.lower())
    if by_profile is None or by_account is None:
        return User.objects.none().values("pk")
    return (
        Profile.objects.annotate(vector=PROFILE_SEARCH_VECTOR).filter(vector=by_profile).values("user_id")
        .union(User.objects.annotate(vector=USER_SEARCH_VECTOR).filter(vector=by_account).values("pk"))
    )


def _with_membership(queryset):
    """Each member with their latest paid membership's end and type, and whether a renewal waits
    for its payment (correlated subqueries on membership_member_end_idx), and their profile."""
    latest = Membership.objects.filter(member=OuterRef("pk"), paid_on__isnull=False).order_by("-ends_on")
    return queryset.select_related("profile").annotate(
        membership_end=Subquery(latest.values("ends_on")[:1]),
        membership_type=Subquery(latest.values("type__name")[:1]),
        has_pending=Exists(Membership.objects.filter(member=OuterRef("pk"), paid_on__isnull=True)),
    )


def member_list_rows(ids) -> list[User]:
    """The rows of one page of the staff list, by id (see members.staff_views.MemberListView), with
    only the columns the list shows."""
    shown = User.objects.filter(pk__in=ids).only("first_name", "last_name", "email", "profile__organisation")
    return list(_with_membership(shown))


def member_list(*, search: str = "", status: str = "", type_id: str = "", joined_from=None, joined_to=None, order: str = "name"):
    """The staff list and its exports: one query whatever the number of members (annotations, no
    N+1). Its `values_list("pk")` reads only what the filters and the order need."""
    today = timezone.localdate()
    queryset = _with_membership(User.objects.filter(is_active=True))
    if search.strip():
        queryset = queryset.filter(pk__in=_search_matches(search))
    # Status filters as EXISTS on the (member, ends_on) index rather than on the annotation, which
    # PostgreSQL would have to compute for every member before filtering.
    paid = Membership.objects.filter(member=OuterRef("pk"), paid_on__isnull=False)
    soon = today + datetime.timedelta(days=30)
    if status == "active":
        queryset = queryset.filter(Exists(paid.filter(ends_on__gt=soon)))
    elif status == "expiring":
        # Driven from the memberships ending within 30 days (a range on membership_period_idx),
        # not from every member: an EXISTS per member read all 90 000 of them to find a few.
        ending = Membership.objects.filter(paid_on__isnull=False, ends_on__gte=today, ends_on__lte=soon)
        queryset = queryset.filter(pk__in=ending.values("member_id")).exclude(Exists(paid.filter(ends_on__gt=soon)))
    elif status == "month":  # the staff home's "memberships end this month", the same rule
        queryset = queryset.filter(pk__in=Membership.objects.ending_unrenewed_in_month_of(today).values("member_id"))
    elif status == "expired":
        queryset = queryset.filter(Exists(paid)).exclude(Exists(paid.filter(ends_on__gte=today)))
    elif status == "pending":
        queryset = queryset.filter(Exists(Membership.objects.filter(member=OuterRef("pk"), paid_on__isnull=True)))
    elif status == "none":
        queryset = queryset.exclude(Exists(paid))
    if type_id:
        queryset = queryset.filter(memberships__type_id=type_id, memberships__ends_on__gte=today).distinct()
    if joined_from:
        queryset = queryset.filter(date_joined__date__gte=joined_from)
    if joined_to:
        queryset = queryset.filter(date_joined__date__lte=joined_to)
    orders = {"name": ["last_name", "first_name", "pk"], "-joined": ["-date_joined", "pk"], "joined": ["date_joined", "pk"],
              "expiry": ["membership_end", "pk"], "-expiry": ["-membership_end", "pk"]}
    return queryset.order_by(*orders.get(order, orders["name"]))


def membership_status(membership_end: datetime.date | None, today: datetime.date) -> str:
    """The member list's status of someone whose latest paid membership ends on `membership_end`:
    "active", "expiring" (within 30 days), "expired" or "none" (never paid one)."""
    if membership_end is None:
        return "none"
    if membership_end < today:
        return "expired"
    return "expiring" if membership_end <= today + datetime.timedelta(days=30) else "active"


def person_search(*, text: str, limit: int) -> tuple[list[User], bool]:
    """The staff search for a person: the first `limit` members the member list's full-text search
    finds (GIN indexes), by name; and whether there are more. One query, whatever the number found."""
    if not text.strip():
        return [], False
    today = timezone.localdate()
    people = list(member_list(search=text)[: limit + 1])
    for person in people:
        person.status = membership_status(person.membership_end, today)
    return people[:limit], len(people) > limit


def person_search_sections(*, text: str, limit: int) -> list[dict]:
    """What the other apps find for the same search (quai.registry.PersonSearch: Fabrique holders,
    incubated projects and their founders…): one query per app, whatever the data. Each section:
    its label, its hits (quai.registry.SearchHit) and whether there are more."""
    from quai.registry import registry

    if text_query(text) is None:
        return []
    people = _search_matches(text)
    sections = []
    for source in registry.person_searches:
        hits, more = source.search(text=text, people=people, limit=limit)
        sections.append({"app_label": source.app_label, "label": source.label, "hits": hits, "more": more})
    return sections


def member_get_for_staff(pk: int) -> User:
    return get_object_or_404(User.objects.select_related("profile"), pk=pk)


def directory_members():
    """Members who opted in to the directory (the only people it shows, and the only ones one can write to)."""
    return User.objects.filter(is_active=True, profile__directory_consent_at__isnull=False)


def directory(*, skill: str = ""):
    """Members who opted in to the directory: public fields only. Each word searched matches the
    start of a word (accents and case ignored): "vélo" finds "vélos" but not "développement"."""
    queryset = directory_members().select_related("profile")
    terms = search_text(skill).split()
    if terms:
        # The normalised column also holds the e-mail address, which the directory never shows:
        # it is cut out before matching, so nobody can probe for someone's address.
        queryset = queryset.annotate(
            public_search=Func(F("profile__search"), Value(r"\S+@\S+"), Value(" "), Value("g"), function="regexp_replace",
                               output_field=TextField())
        )
        for term in terms[:8]:
            # \m is PostgreSQL's "start of a word"; re.escape keeps the term literal.
            queryset = queryset.filter(public_search__regex=r"\m" + re.escape(term))
    return queryset.order_by("last_name", "first_name", "pk")


def directory_rows(ids) -> list[User]:
    """One page of the directory, by id (see members.views.DirectoryView)."""
    return list(directory_members().select_related("profile").filter(pk__in=ids))


def directory_member_get(*, pk: int, viewer: User) -> User:
    """A member one may write to from the directory: listed, active, and not oneself (404 otherwise)."""
    return get_object_or_404(directory_members().select_related("profile").exclude(pk=viewer.pk), pk=pk)


def member_renewal(user: User) -> dict:
    """The account page's membership block: the current period, a request waiting for payment,
    and how to pay it."""
    from members.models import PaymentInstructions

    today = timezone.localdate()
    memberships = list(user.memberships.select_related("type").order_by("-ends_on"))
    pending = next((m for m in memberships if m.paid_on is None), None)
    current = next((m for m in memberships if m.paid_on is not None and m.ends_on >= today), None)
    instructions = PaymentInstructions.current() if pending else None
    return {
        "memberships": [(m, m.status_on(today)) for m in memberships],
        "current": current,
        "current_status": current.status_on(today) if current else None,
        "pending": pending,
        "instructions": instructions,
        "transfer_reference": instructions.transfer_reference(pending) if pending else "",
    }


def membership_renewal_allowed(member: User, *, memberships=None) -> bool:
    """The renewal decision: a member may ask to renew unless a request already waits for its
    payment. Given the member's memberships already loaded, no query."""
    if memberships is not None:
        return not any(membership.paid_on is None for membership in memberships)
    return not member.memberships.filter(paid_on__isnull=True).exists()


def profile_photo_get_for_user(user: User, pk: int) -> Profile:
    """A member's profile with a photo, if `user` may see the photo: their own, any for staff, and
    members who opted in to the directory. Anything else (no photo either) is a 404."""
    profiles = Profile.objects.exclude(photo="")
    if not (user.is_staff or user.pk == pk):
        profiles = profiles.filter(directory_consent_at__isnull=False)
    return get_object_or_404(profiles, user_id=pk)
