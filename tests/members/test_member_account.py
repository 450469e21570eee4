"""The member's side of issue 14: renewal with payment instructions and a receipt, the account
page in sections, "my data" readable in French, the directory's whole-word search and its
privacy-respecting contact form."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from members import selectors, services
from members.models import Membership, PaymentInstructions
from quai.models import AuditLog, OutboxMessage
from tests.factories import UserFactory
from tests.members.factories import MembershipFactory, MembershipTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructions():
    return PaymentInstructions.objects.create(
        helloasso_url="https://www.helloasso.com/associations/quai/adhesions/2026", transfer_holder="Le Quai des possibles",
        transfer_iban="FR76 3000 6000 0112 3456 7890 189", transfer_bic="AGRIFRPP882", transfer_reference_prefix="ADH",
        desk_details="À l'accueil, du mardi au samedi.",
    )


def listed(user, **fields):
    return services.profile_update(user=user, first_name=user.first_name, last_name=user.last_name, consents={"directory": True}, **fields)


# --- Renewal -----------------------------------------------------------------------------


def test_payment_instructions_are_one_row_checked_by_the_database():
    from django.db import IntegrityError, transaction

    first = PaymentInstructions.current()
    assert first.pk == 1 and PaymentInstructions.current().pk == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentInstructions.objects.bulk_create([PaymentInstructions(pk=2)])


def test_account_page_shows_the_amount_and_every_way_to_pay_after_a_request(client, member, instructions):
    MembershipTypeFactory(amount_eur=Decimal("20"))
    client.force_login(member)
    page = client.get(reverse("members:account")).content.decode()
    assert "Adhésion individuelle — 20,00\u00a0€" in page
    assert "Adhérer" in page
    response = client.post(reverse("members:renew"), {"type": MembershipTypeFactory().pk})
    assert response.status_code == 302 and response["Location"] == "/account/#membership"
    pending = Membership.objects.get(member=member)
    assert pending.paid_on is None
    page = client.get(reverse("members:account")).content.decode()
    assert "20,00&nbsp;€" in page
    assert 'href="https://www.helloasso.com/associations/quai/adhesions/2026"' in page
    assert "FR76 3000 6000 0112 3456 7890 189" in page and f"ADH-{pending.pk}" in page
    assert "À l&#x27;accueil, du mardi au samedi." in page
    assert "vous recevez un reçu par e-mail" in page
    assert 'action="/account/renew/"' not in page  # no second request while one waits
    assert AuditLog.objects.filter(action="members.renewal_requested", actor=member).count() == 1


def test_the_renew_link_of_the_member_home_leads_to_the_membership_section(client, member):
    client.force_login(member)
    response = client.get(reverse("members:renew"))
    assert response.status_code == 302 and response["Location"] == "/account/#membership"


def test_a_second_request_is_a_clear_conflict_and_the_member_can_withdraw_it(client, member):
    kind = MembershipTypeFactory()
    services.membership_renew_request(member=member, type=kind)
    with pytest.raises(services.ConflictError):
        services.membership_renew_request(member=member, type=kind)
    client.force_login(member)
    assert client.post(reverse("members:renew_cancel")).status_code == 302
    assert Membership.objects.filter(member=member).count() == 0
    response = client.post(reverse("members:renew_cancel"), follow=True)
    assert "Vous n’avez aucune demande de renouvellement en attente de paiement." in response.content.decode()


def test_a_paid_membership_cannot_be_withdrawn(member):
    MembershipFactory(member=member)
    with pytest.raises(services.ConflictError):
        services.membership_renew_cancel(member=member)
    assert Membership.objects.filter(member=member).count() == 1


def test_renewing_with_a_type_no_longer_offered_is_refused(client, member):
    retired = MembershipTypeFactory(is_active=False)
    with pytest.raises(services.DomainError):
        services.membership_renew_request(member=member, type=retired)
    client.force_login(member)
    assert client.post(reverse("members:renew"), {"type": retired.pk}).status_code == 400
    assert not Membership.objects.filter(member=member).exists()


def test_staff_confirming_the_payment_sends_one_receipt(client, member, staff, instructions):
    pending = services.membership_renew_request(member=member, type=MembershipTypeFactory(amount_eur=Decimal("20")))
    client.force_login(staff)
    detail = client.get(reverse("members:staff_detail", args=[member.pk])).content.decode()
    assert f"20,00 €, référence de virement ADH-{pending.pk}" in detail
    response = client.post(reverse("members:staff_payment", args=[member.pk]),
                           {"type": pending.type.pk, "payment_method": "transfer", "payment_reference": f"ADH-{pending.pk}"})
    assert response.status_code == 302
    receipt = OutboxMessage.objects.get(key=f"membership-receipt:{pending.pk}")
    assert receipt.to == member.email
    assert receipt.subject == "Votre reçu d’adhésion — Le Quai des possibles"
    assert "Montant : 20,00 €" in receipt.body_text
    assert f"Payée le : {datetime.date.today().day}" in receipt.body_text or "Payée le :" in receipt.body_text
    assert f"Virement, ADH-{pending.pk}" in receipt.body_text
    assert "&#x27;" not in receipt.body_text and "http://testserver" not in receipt.body_text
    assert "20,00&nbsp;€" in receipt.body_html
    # Confirming again is refused and sends nothing more.
    with pytest.raises(services.ConflictError):
        services.membership_confirm_payment(membership=pending, by=staff, method="cash")
    assert OutboxMessage.objects.filter(key__startswith="membership-receipt:").count() == 1
    page = client.get(reverse("members:staff_detail", args=[member.pk]))
    assert page.status_code == 200


def test_a_payment_recorded_by_staff_also_sends_a_receipt(member, staff):
    membership = services.membership_record_payment(member=member, type=MembershipTypeFactory(), by=staff, method="cash")
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == [f"membership-receipt:{membership.pk}"]


def test_a_paid_member_sees_their_period_and_can_renew_ahead(client, member):
    MembershipFactory(member=member, starts_on=datetime.date.today(), ends_on=datetime.date.today() + datetime.timedelta(days=200))
    client.force_login(member)
    MembershipTypeFactory(kind="reduced", name="Adhésion solidaire", amount_eur=Decimal("5"))
    page = client.get(reverse("members:account")).content.decode()
    assert "Renouveler mon adhésion" in page and "valable jusqu’au" in page
    # The current type is proposed first, not the cheapest.
    assert f'<option value="{member.memberships.get().type_id}" selected>Adhésion individuelle — 20,00\u00a0€</option>' in page


# --- Account page ------------------------------------------------------------------------


def test_account_page_is_in_sections_and_hides_api_tokens_from_plain_members(client, member):
    client.force_login(member)
    page = client.get(reverse("members:account")).content.decode()
    for anchor in ('id="profile"', 'id="membership"', 'id="privacy"', 'id="security"'):
        assert anchor in page
    assert 'id="developer"' not in page
    assert "Afficher les réglages développeur" in page
    page = client.get(reverse("members:account") + "?developer=1").content.decode()
    assert 'id="developer"' in page and 'action="/account/tokens/"' in page


def test_staff_see_the_api_tokens_section(client, staff):
    client.force_login(staff)
    assert 'id="developer"' in client.get(reverse("members:account")).content.decode()


def test_consents_saved_from_the_privacy_section_keep_the_names(client, member):
    client.force_login(member)
    response = client.post(reverse("members:profile"), {"directory": "on", "skills": "vélo"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.last_name, member.profile.skills) == ("Marie", "Martin", "vélo")
    assert member.profile.directory_consent_at is not None


def test_erasure_asks_first_on_its_own_page(client, member):
    client.force_login(member)
    page = client.get(reverse("members:account")).content.decode()
    assert 'href="/account/erase/"' in page and 'action="/account/erase/"' not in page
    confirm = client.get(reverse("members:erase"))
    assert confirm.status_code == 200
    assert "Vous ne pourrez pas revenir en arrière." in confirm.content.decode()
    response = client.post(reverse("members:erase"), {})
    assert response.status_code == 302 and response["Location"] == "/account/erase/"
    member.refresh_from_db()
    assert member.is_active
    assert client.post(reverse("members:erase"), {"confirm": "yes"}).status_code == 302
    member.refresh_from_db()
    assert not member.is_active


def test_my_data_reads_in_french_with_a_json_download(client, member):
    MembershipFactory(member=member, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
                      paid_on=datetime.date(2026, 1, 15), payment_method="helloasso")
    client.force_login(member)
    response = client.get(reverse("members:export"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h2 id=\"data-1\">Vous et votre adhésion</h2>" in page
    assert "<dt>Adresse e-mail</dt><dd>member@example.org</dd>" in page
    assert "<th scope=\"col\">Moyen de paiement</th>" in page
    assert '<td data-label="Payée le">15 janvier 2026</td>' in page and '<td data-label="Moyen de paiement">HelloAsso</td>' in page
    assert '<td data-label="Montant payé">20,00\u00a0€</td>' in page
    assert "Réservations" in page and "first_name" not in page and "payment_method" not in page
    assert 'href="/account/my-data/?format=json"' in page


# --- Directory ---------------------------------------------------------------------------


def test_directory_search_matches_whole_words_without_accents(member, other_member):
    listed(member, skills="développement web")
    listed(other_member, skills="réparation de vélos, couture")
    assert [u.pk for u in selectors.directory(skill="vélo")] == [other_member.pk]
    assert [u.pk for u in selectors.directory(skill="velo")] == [other_member.pk]
    assert [u.pk for u in selectors.directory(skill="developpement")] == [member.pk]
    assert [u.pk for u in selectors.directory(skill="ment")] == []
    assert [u.pk for u in selectors.directory(skill="couture vélo")] == [other_member.pk]
    assert [u.pk for u in selectors.directory(skill="couture web")] == []
    assert [u.pk for u in selectors.directory(skill="(.*")] == []


def test_directory_search_never_matches_the_hidden_email_address(member, other_member):
    listed(other_member, skills="graphisme")
    assert list(selectors.directory(skill="other@example.org")) == []
    assert list(selectors.directory(skill="example")) == []
    assert [u.pk for u in selectors.directory(skill="olivier")] == [other_member.pk]


def test_directory_page_finds_velo_but_not_developpement(client, member, other_member):
    listed(member, skills="développement")
    listed(other_member, skills="vélo")
    client.force_login(member)
    page = client.get(reverse("members:directory") + "?skill=v%C3%A9lo").content.decode()
    assert "Olivier Petit" in page and "Marie Martin" not in page
    assert f'href="/directory/{other_member.pk}/write/"' in page


def test_directory_shows_thirty_people_a_page_and_keeps_the_search_in_its_links(client, member):
    listed(member, skills="jardin")
    for n in range(31):
        listed(UserFactory(first_name="Jardinier", last_name=f"N{n:02d}"), skills="jardin partagé")
    client.force_login(member)
    url = reverse("members:directory")
    page = client.get(url, {"skill": "jardin"}).content.decode()
    assert page.count('<li class="card">') == 30
    assert "32 membres correspondent à « jardin »." in page
    assert "Page 1 sur 2" in page and '<a href="?skill=jardin&amp;page=2">Suivante</a>' in page
    page = client.get(url, {"skill": "jardin", "page": "2"}).content.decode()
    assert page.count('<li class="card">') == 2
    assert "Jardinier N30" in page and '<a href="?skill=jardin&amp;page=1">Précédente</a>' in page
    assert client.get(url, {"page": "0"}).status_code == 400


def test_directory_runs_five_queries_whatever_the_number_of_people(client, member, django_assert_num_queries):
    listed(member)
    for n in range(40):
        listed(UserFactory(), skills="couture")
    client.force_login(member)
    url = reverse("members:directory")
    assert client.get(url).status_code == 200  # the session is now in the cache
    # 1. the logged-in user, 2. the ordered ids of the people listed (up to 300 past the page's
    # start), 3. may the viewer write (listed themselves?), 4. the navigation's conditional links
    # (one query of EXISTS), 5. the page's 30 people with their profile.
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_directory_past_the_count_ahead_says_more_than_and_pages_on(client, member, monkeypatch):
    from members import views
    from quai import inputs

    # The threshold, scaled down: 4 people ahead of the page's start instead of 300, 3 a page.
    real = inputs.paginate_by_ids
    monkeypatch.setattr(views, "paginate_by_ids", lambda request, queryset, per_page, **kw: real(
        request, queryset, 3, rows_for=kw["rows_for"], counted_ahead=4))
    listed(member, skills="jardin")
    for n in range(6):
        listed(UserFactory(first_name="Jardinier", last_name=f"N{n:02d}"), skills="jardin")
    client.force_login(member)
    page = client.get(reverse("members:directory"), {"skill": "jardin"}).content.decode()
    assert "Plus de 4 membres correspondent à « jardin »." in page
    assert page.count('<li class="card">') == 3 and "Page 1 sur" not in page
    assert '<a href="?skill=jardin&amp;page=2">Suivante</a>' in page
    page = client.get(reverse("members:directory"), {"skill": "jardin", "page": "3"}).content.decode()
    assert "7 membres correspondent à « jardin »." in page and "Page 3 sur 3" in page
    assert page.count('<li class="card">') == 1


def test_contact_relays_the_message_with_a_reply_to_the_sender(client, member, other_member):
    listed(member)
    listed(other_member)
    client.force_login(member)
    page = client.get(reverse("members:directory_contact", args=[other_member.pk]))
    assert page.status_code == 200 and other_member.email not in page.content.decode()
    response = client.post(reverse("members:directory_contact", args=[other_member.pk]), {"message": "Bonjour, on échange sur le vélo ?"})
    assert response.status_code == 302 and response["Location"] == "/directory/"
    message = OutboxMessage.objects.get(key__startswith="directory-contact:")
    assert (message.to, message.reply_to, message.user_id) == (other_member.email, member.email, other_member.pk)
    assert message.subject == "Marie Martin vous a écrit via l’annuaire des membres (Le Quai des possibles)"
    assert "Bonjour, on échange sur le vélo ?" in message.body_text
    # A double submit of the same text sends nothing more.
    client.post(reverse("members:directory_contact", args=[other_member.pk]), {"message": "Bonjour, on échange sur le vélo ?"})
    assert OutboxMessage.objects.filter(key__startswith="directory-contact:").count() == 1


def test_contact_delivery_sets_the_reply_to_header(member, other_member, mailoutbox):
    from quai.outbox import outbox_deliver

    listed(member)
    listed(other_member)
    services.directory_contact_send(sender=member, recipient=other_member, message="Un message assez long.")
    outbox_deliver(OutboxMessage.objects.get().pk)
    assert mailoutbox[0].reply_to == [member.email] and mailoutbox[0].to == [other_member.email]


def test_contact_is_only_between_listed_members(client, member, other_member):
    listed(member)
    hidden = UserFactory()
    client.force_login(member)
    assert client.get(reverse("members:directory_contact", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("members:directory_contact", args=[member.pk])).status_code == 404  # oneself
    listed(other_member)
    client.force_login(hidden)  # not listed: may not write
    response = client.post(reverse("members:directory_contact", args=[other_member.pk]), {"message": "Bonjour, je vous écris."})
    assert response.status_code == 400
    assert not OutboxMessage.objects.exists()


def test_contact_is_limited_to_five_messages_a_day(client, member):
    listed(member)
    people = [listed(UserFactory()).user for _ in range(6)]
    client.force_login(member)
    for person in people[:5]:
        assert client.post(reverse("members:directory_contact", args=[person.pk]), {"message": "Bonjour, un message."}).status_code == 302
    response = client.post(reverse("members:directory_contact", args=[people[5].pk]), {"message": "Bonjour, un message."})
    assert response.status_code == 429
    assert "le maximum que permet l’annuaire" in response.content.decode()
    assert OutboxMessage.objects.filter(key__startswith="directory-contact:").count() == 5


def test_contact_message_too_short_is_a_form_error(client, member, other_member):
    listed(member)
    listed(other_member)
    client.force_login(member)
    response = client.post(reverse("members:directory_contact", args=[other_member.pk]), {"message": "Salut"})
    assert response.status_code == 400
    assert not OutboxMessage.objects.exists()
