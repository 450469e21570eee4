"""The staff member list at any size: its status filters (expiring is driven from the memberships
ending within 30 days), its first page, search and filters in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.selectors import member_list
from members.services import profile_update
from tests.factories import UserFactory
from tests.members.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _member(email, *periods, pending=None):
    """A member with paid memberships over `periods` ((starts_on, ends_on), …) and maybe one waiting for payment."""
    user = UserFactory(email=email)
    for starts_on, ends_on in periods:
        MembershipFactory(member=user, starts_on=starts_on, ends_on=ends_on)
    if pending:
        MembershipFactory(member=user, starts_on=pending[0], ends_on=pending[1], paid_on=None, amount_paid=None, payment_method="")
    return user


@pytest.fixture
def people():
    today = timezone.localdate()
    day = DAY
    _member("active@exemple.fr", (today - 200 * day, today + 31 * day))
    _member("expiring@exemple.fr", (today - 300 * day, today + 30 * day))
    _member("ends-today@exemple.fr", (today - 300 * day, today))
    # Renewed already: an old period ending soon and the next one paid, so not expiring.
    _member("renewed@exemple.fr", (today - 300 * day, today + 10 * day), (today + 11 * day, today + 376 * day))
    # A renewal asked but not paid does not count: still expiring.
    _member("pending@exemple.fr", (today - 300 * day, today + 5 * day), pending=(today + 6 * day, today + 371 * day))
    _member("expired@exemple.fr", (today - 400 * day, today - day))
    _member("never@exemple.fr")


def _emails(**filters):
    return sorted(user.email for user in member_list(**filters) if user.email.endswith("@exemple.fr"))


def test_status_filters_split_members_by_their_latest_paid_membership(people):
    assert _emails(status="active") == ["active@exemple.fr", "renewed@exemple.fr"]
    assert _emails(status="expiring") == ["ends-today@exemple.fr", "expiring@exemple.fr", "pending@exemple.fr"]
    assert _emails(status="expired") == ["expired@exemple.fr"]
    assert _emails(status="none") == ["never@exemple.fr"]


def test_expiring_filter_counts_a_member_once_and_keeps_the_search(people):
    today = timezone.localdate()
    # Two short paid periods both ending within 30 days: one row in the list, not two.
    _member("twice@exemple.fr", (today - 20 * DAY, today + 2 * DAY), (today + 3 * DAY, today + 20 * DAY))
    assert _emails(status="expiring").count("twice@exemple.fr") == 1
    assert member_list(status="expiring", search="twice").count() == 1


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    assert client.get(reverse("members:staff_list")).status_code == 200  # the session is now in the cache
    return client


@pytest.mark.parametrize("query", ["", "?q=martin", "?status=expiring", "?status=active&order=-joined", "?order=expiry&page=2"])
def test_list_runs_five_queries_whatever_the_number_of_members(staff_client, people, django_assert_num_queries, query):
    for n in range(60):
        MembershipFactory(member=UserFactory(last_name=f"Martin{n:02d}"))
    # 1. the logged-in user, 2. the ordered ids of the filtered members (up to 300 past the
    # page's start), 3. the page's 50 rows with their latest membership and profile,
    # 4. the navigation's conditional links (one query of EXISTS), 5. the membership types of the
    # "Type" filter's drop-down.
    with django_assert_num_queries(5):
        assert staff_client.get(reverse("members:staff_list") + query).status_code == 200


def test_list_counts_exactly_up_to_a_thousand_ahead_then_says_more_than(staff_client, staff, monkeypatch):
    from members import staff_views
    from quai import inputs

    # The threshold, scaled down: 7 rows ahead of the page's start instead of 300.
    real = inputs.paginate_by_ids
    monkeypatch.setattr(staff_views, "paginate_by_ids", lambda request, queryset, per_page, **kw: real(
        request, queryset, 3, rows_for=kw["rows_for"], counted_ahead=7))
    for n in range(9):
        profile_update(user=UserFactory(email=f"p{n}@exemple.fr"), first_name="Zoé", last_name=f"Zola{n}", consents={})
    url = reverse("members:staff_list")

    html = staff_client.get(url, {"q": "zola"}).content.decode()
    assert "<p>Plus de 7 adhérents</p>" in html
    assert _nav(html) == 'Page 1 <a href="?q=zola&amp;page=2">Suivante</a>'
    assert [f"Zola{n}" in html for n in range(9)] == [True] * 3 + [False] * 6

    html = staff_client.get(url, {"q": "zola", "page": "3"}).content.decode()
    # 2 × 3 + 7 = 13 rows counted ahead from page 3: all 9 are known, the count is exact again.
    assert "<p>9 adhérents</p>" in html
    assert _nav(html) == '<a href="?q=zola&amp;page=2">Précédente</a> Page 3 sur 3'
    assert [f"Zola{n}" in html for n in range(9)] == [False] * 6 + [True] * 3

    html = staff_client.get(url, {"q": "zola", "page": "40"}).content.decode()  # past the end: the last page
    assert _nav(html) == '<a href="?q=zola&amp;page=2">Précédente</a> Page 3 sur 3' and "Zola8" in html
    assert staff_client.get(url, {"page": "x"}).status_code == 400


def _nav(html: str) -> str:
    """The pagination's text and links, spaces collapsed."""
    start = html.index('<nav aria-label="Pagination"><p>') + len('<nav aria-label="Pagination"><p>')
    return " ".join(html[start:html.index("</p></nav>", start)].split())


def test_list_rows_show_name_email_organisation_and_membership_escaped(staff_client):
    today = timezone.localdate()
    pending = _member("pending@exemple.fr", (today - 300 * DAY, datetime.date(2026, 12, 31)),
                      pending=(datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)))
    profile_update(user=pending, first_name="Zoé", last_name="<b>Zola</b>", consents={}, organisation="Vélo & Cie")
    never = _member("never@exemple.fr")
    never.first_name = never.last_name = ""
    never.save()

    html = staff_client.get(reverse("members:staff_list")).content.decode()
    rows = html[html.index("<tbody>") + len("<tbody>"):html.index("</tbody>")].split("\n")
    assert len(rows) == 3  # the two, and the staff member logged in
    assert (
        f'<tr><td data-label="Nom"><a href="{reverse("members:staff_detail", args=[pending.pk])}">Zoé &lt;b&gt;Zola&lt;/b&gt;</a></td>'
        '<td data-label="E-mail" class="break-anywhere">pending@exemple.fr</td>'
        '<td data-label="Structure">Vélo &amp; Cie</td>'
        '<td data-label="Adhésion jusqu’au">31/12/2026 <span class="badge badge-warn">renouvellement à confirmer</span></td></tr>'
    ) in rows
    assert (
        f'<tr><td data-label="Nom"><a href="{reverse("members:staff_detail", args=[never.pk])}">never@exemple.fr</a></td>'
        '<td data-label="E-mail" class="break-anywhere">never@exemple.fr</td>'
        '<td data-label="Structure">—</td><td data-label="Adhésion jusqu’au">—</td></tr>'
    ) in rows
    html = staff_client.get(reverse("members:staff_list"), {"q": "personne"}).content.decode()
    assert '<tbody><tr><td colspan="4">Personne ne correspond.</td></tr></tbody>' in html


def test_ending_this_month_lists_whom_the_staff_home_counts_and_its_detail_links_there(client, staff):
    """The staff home's renewals card says "N memberships end this month" and links its detail to
    the list filtered on them: the same people, whatever the day of the month."""
    from members.indicators import card_renewals

    today = timezone.localdate()
    first = today.replace(day=1)
    following = (first + 32 * DAY).replace(day=1)
    _member("first-day@exemple.fr", (first - 300 * DAY, first))
    _member("last-day@exemple.fr", (first - 300 * DAY, following - DAY))
    _member("asked-not-paid@exemple.fr", (first - 300 * DAY, first + 2 * DAY), pending=(first + 3 * DAY, first + 368 * DAY))
    _member("renewed@exemple.fr", (first - 300 * DAY, first + 2 * DAY), (first + 3 * DAY, first + 368 * DAY))
    _member("twice-this-month@exemple.fr", (first - 300 * DAY, first), (first + DAY, following - DAY))
    _member("next-month@exemple.fr", (first - 300 * DAY, following))
    _member("last-month@exemple.fr", (first - 300 * DAY, first - DAY))
    gone = _member("deactivated@exemple.fr", (first - 300 * DAY, first + DAY), pending=(first + 2 * DAY, first + 367 * DAY))
    gone.is_active = False  # as erasure leaves an account: neither counted nor listed
    gone.save()

    listed = _emails(status="month")
    assert listed == ["asked-not-paid@exemple.fr", "first-day@exemple.fr", "last-day@exemple.fr", "twice-this-month@exemple.fr"]
    card = card_renewals(today)
    assert card["detail"] == "4 adhésions se terminent ce mois-ci"
    assert card["value"] == 1 == len(_emails(status="pending"))  # asked-not-paid's renewal; not the deactivated one's
    assert card["detail_url"] == reverse("members:staff_list") + "?status=month"
    client.force_login(staff)
    home = client.get(reverse("staff_home")).content.decode()
    assert f'<a href="{reverse("members:staff_list")}?status=month">4 adhésions se terminent ce mois-ci</a>' in home
    page = client.get(reverse("members:staff_list"), {"status": "month"}).content.decode()
    assert all(email in page for email in listed) and "renewed@exemple.fr" not in page


def test_the_renewals_card_counts_memberships_ending_up_to_a_thousand_then_says_more(monkeypatch):
    """Calendar-year memberships all end in December: the card counts them up to its bound (one
    index range, whatever their number), then says "more than", and the list has them all."""
    from members import indicators

    today = timezone.localdate()
    first = today.replace(day=1)
    for n in range(4):
        _member(f"ends-{n}@exemple.fr", (first - 300 * DAY, first + n * DAY))
    monkeypatch.setattr(indicators, "ENDING_COUNTED_UP_TO", 3)
    assert indicators.card_renewals(today)["detail"] == "Plus de 3 adhésions se terminent ce mois-ci"
    monkeypatch.setattr(indicators, "ENDING_COUNTED_UP_TO", 4)
    from quai.compiled import forget

    forget()  # the statement kept for this month was built with the other bound
    assert indicators.card_renewals(today)["detail"] == "4 adhésions se terminent ce mois-ci"
    assert len(_emails(status="month")) == 4
