"""A member on a phone renews and reads how to pay; the account page, "my data", the directory's
contact form and the calendar feed block, at 390 px and 1280 px, with no axe violation.

Set QUAI_SCREENSHOT_DIR to keep a screenshot of every screen visited."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest

from members import services
from members.models import Membership, PaymentInstructions
from quai.models import OutboxMessage
from tests.browser.conftest import assert_accessible, login
from tests.factories import TEST_PASSWORD, UserFactory
from tests.members.factories import MembershipFactory, MembershipTypeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    folder = os.environ.get("QUAI_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}-{page.viewport_size['width']}.png", full_page=True)


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.fixture
def setup_member():
    PaymentInstructions.objects.create(
        helloasso_url="https://www.helloasso.com/associations/quai/adhesions/2026", transfer_holder="Association Le Quai des possibles",
        transfer_iban="FR76 3000 6000 0112 3456 7890 189", transfer_bic="AGRIFRPP882", transfer_reference_prefix="ADH",
        desk_details="À l’accueil du Quai, du mardi au samedi de 10 h à 18 h : espèces, chèque ou carte.",
    )
    MembershipTypeFactory(amount_eur=Decimal("20"))
    MembershipTypeFactory(kind="reduced", name="Adhésion solidaire", amount_eur=Decimal("5"))
    user = UserFactory(email="lucie@example.org", first_name="Lucie", last_name="Bernard")
    today = datetime.date.today()
    MembershipFactory(member=user, starts_on=today.replace(month=1, day=1), ends_on=today.replace(month=12, day=31))
    return user


def test_member_renews_on_a_phone_and_sees_how_to_pay(phone_page, setup_member):
    page = phone_page
    login(page, "lucie@example.org", TEST_PASSWORD)
    page.goto(page.base_url + "/account/")
    assert_accessible(page)
    no_sideways_scroll(page)
    shot(page, "account")
    page.get_by_label("Type d’adhésion").select_option(label="Adhésion solidaire — 5,00\u00a0€")
    page.get_by_role("button", name="Renouveler mon adhésion").click()
    page.get_by_role("heading", name="Votre demande d’adhésion").wait_for()
    pending = Membership.objects.get(member=setup_member, paid_on__isnull=True)
    card = page.locator("#renewal")
    assert "Montant à payer : 5,00\u00a0€" in card.inner_text()
    assert page.get_by_role("link", name="Payer sur HelloAsso").get_attribute("href") == "https://www.helloasso.com/associations/quai/adhesions/2026"
    assert page.locator(".transfer-reference").inner_text() == f"ADH-{pending.pk}"
    assert card.get_by_text("FR76 3000 6000 0112 3456 7890 189").is_visible()
    assert_accessible(page)
    no_sideways_scroll(page)
    shot(page, "renewal-pending")
    # Staff confirm the payment: the member's page says so and a receipt waits in the outbox.
    services.membership_confirm_payment(membership=pending, by=None, method="transfer", reference=f"ADH-{pending.pk}")
    assert OutboxMessage.objects.filter(key=f"membership-receipt:{pending.pk}", to="lucie@example.org").count() == 1
    page.reload()
    assert page.locator("#renewal").count() == 0
    assert page.get_by_role("button", name="Renouveler mon adhésion").is_visible()


@pytest.mark.parametrize("fixture", ["phone_page", "page"])
def test_account_data_directory_and_calendar_screens(request, fixture, setup_member):
    from coworking.services import calendar_feed_reset

    page = request.getfixturevalue(fixture)
    other = UserFactory(email="olivier@example.org", first_name="Olivier", last_name="Petit")
    services.profile_update(user=other, first_name="Olivier", last_name="Petit", consents={"directory": True},
                            skills="réparation de vélos, couture", commune="Le Pecq", organisation="Atelier du Pecq")
    services.profile_update(user=setup_member, first_name="Lucie", last_name="Bernard", consents={"directory": True},
                            skills="développement web")
    login(page, "lucie@example.org", TEST_PASSWORD)

    page.goto(page.base_url + "/account/")
    assert page.get_by_role("link", name="Afficher les réglages développeur (jetons d’API)").is_visible()
    assert page.locator("#developer").count() == 0
    shot(page, "account-sections")
    page.get_by_role("link", name="Effacer mon compte…").click()
    page.get_by_role("heading", name="Effacer mon compte").wait_for()
    assert_accessible(page)
    no_sideways_scroll(page)
    shot(page, "erase-confirm")

    page.goto(page.base_url + "/account/my-data/")
    assert page.get_by_role("heading", name="Vous et votre adhésion").is_visible()
    assert page.get_by_role("link", name="Télécharger (JSON)").is_visible()
    assert_accessible(page)
    no_sideways_scroll(page)
    shot(page, "my-data")

    page.goto(page.base_url + "/directory/")
    page.get_by_label("Rechercher par nom, compétence, structure ou commune").fill("vélo")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("heading", name="Olivier Petit").wait_for()
    assert page.get_by_role("heading", name="Lucie Bernard").count() == 0  # "développement" is not "vélo"
    assert_accessible(page)
    no_sideways_scroll(page)
    shot(page, "directory")
    page.get_by_role("link", name="Écrire à Olivier Petit").click()
    page.get_by_label("Votre message").fill("Bonjour Olivier, je cherche de l’aide pour réparer mon vélo.")
    assert "olivier@example.org" not in page.content()
    assert_accessible(page)
    shot(page, "directory-contact")
    page.get_by_role("button", name="Envoyer le message").click()
    page.get_by_text("Votre message a été envoyé à Olivier Petit.").wait_for()
    message = OutboxMessage.objects.get(key__startswith="directory-contact:")
    assert (message.to, message.reply_to) == ("olivier@example.org", "lucie@example.org")

    token = calendar_feed_reset(member=setup_member).token
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(page.base_url + "/coworking/bookings/")
    page.get_by_role("button", name="Copier le lien").click()
    # The button says so, and the (visually hidden) live region announces it to screen readers.
    page.get_by_role("button", name="Copié").wait_for()
    assert page.locator(".copy-status").text_content() == "Copié"
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/coworking/calendar/{token}.ics")
    assert page.get_by_role("link", name="Calendrier Apple (iPhone, Mac)").get_attribute("href").startswith("webcal://")
    assert_accessible(page)
    no_sideways_scroll(page)
    shot(page, "calendar-feed")
    page.get_by_role("link", name="Remplacer mon lien d’agenda…").click()
    page.get_by_role("heading", name="Remplacer mon lien d’agenda ?").wait_for()
    assert_accessible(page)
    shot(page, "calendar-replace-confirm")
    page.get_by_role("button", name="Oui, remplacer mon lien").click()
    page.get_by_text("Votre lien d’agenda a été remplacé").wait_for()
    setup_member.coworking_feed.refresh_from_db()
    assert setup_member.coworking_feed.token != token
