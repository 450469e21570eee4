"""Members on a phone renew and edit their consents; staff import a sample file (dry run, then confirm)."""

import pytest

from members.models import Membership, User
from tests.browser.conftest import assert_accessible, login
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory
from tests.members.factories import MembershipTypeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_renews_and_edits_consent_on_a_phone(phone_page):
    page = phone_page
    MembershipTypeFactory()
    UserFactory(email="lucie@example.org")
    login(page, "lucie@example.org", TEST_PASSWORD)
    page.goto(page.base_url + "/account/")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("M’afficher dans l’annuaire", exact=False).check()
    page.get_by_role("textbox", name="Compétences").fill("jardinage, couture")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    page.get_by_text("Votre profil et vos consentements ont été enregistrés.").wait_for()
    user = User.objects.get(email="lucie@example.org")
    assert user.profile.directory_consent_at is not None and user.profile.skills == "jardinage, couture"
    page.get_by_label("Type d’adhésion").select_option(index=0)
    page.get_by_role("button", name="Adhérer").click()
    page.get_by_text("Renouvellement demandé").wait_for()
    assert Membership.objects.get(member=user).paid_on is None
    assert page.locator("#renewal").get_by_text("en attente du paiement").is_visible()


HELLOASSO_SAMPLE = (
    "Référence commande;Date de la commande;Statut de la commande;Nom adhérent;Prénom adhérent;Nom payeur;Prénom payeur;"
    "Email payeur;Raison sociale;Moyen de paiement;Tarif;Montant tarif;Code Promo;Montant code promo;Email;Téléphone;Ville\r\n"
    "81001;15/09/2026 18:42;Validé;Durand;Élodie;Durand;Élodie;payeur@example.org;;Carte bancaire;Adhésion individuelle;20,00;;;"
    "elodie@example.org;+33 6 11 22 33 44;Poissy\r\n"
    "81002;16/09/2026 09:05;Validé;Martin;Léa;Martin;Marc;marc@example.org;;Carte bancaire;Tarif Bienfaiteur;50,00;;;lea@example.org;;Le Pecq\r\n"
    "81002;16/09/2026 09:05;Validé;Martin;Tom;Martin;Marc;marc@example.org;;Carte bancaire;Tarif Bienfaiteur;50,00;;;tom@example.org;;Le Pecq\r\n"
    "81003;17/09/2026 11:30;Remboursé;Bernard;Paul;Bernard;Paul;paul@example.org;;Carte bancaire;Adhésion individuelle;20,00;;;paul@example.org;;Poissy\r\n"
    "81004;18/09/2026 14:10;Validé;=HYPERLINK(\"http://x\");Zoé;Petit;Zoé;zoe@example.org;;Chèque;Adhésion individuelle;1 000,00;;;zoe@example.org;;Marly\r\n"
)


@pytest.mark.parametrize("fixture, width", [("phone_page", 390), ("page", 1280)])
def test_staff_import_a_helloasso_export_dry_run_then_valid_lines(request, tmp_path, fixture, width):
    StaffFactory(email="accueil@example.org")
    MembershipTypeFactory(name="Adhésion individuelle")
    MembershipTypeFactory(kind="reduced", name="Adhésion solidaire", amount_eur=5)
    sample = tmp_path / "adhesions.csv"
    sample.write_bytes(HELLOASSO_SAMPLE.encode("utf-8-sig"))
    page = request.getfixturevalue(fixture)
    login(page, "accueil@example.org", TEST_PASSWORD)
    page.goto(page.base_url + "/staff/members/import/")
    assert_accessible(page)
    page.get_by_label("Fichier CSV", exact=False).set_input_files(str(sample))
    page.get_by_role("button", name="Vérifier le fichier (simulation)").click()
    page.get_by_role("heading", name="Simulation").wait_for()
    assert page.locator(".import-counts li").all_inner_texts() == [
        "À créer : 1", "À mettre à jour : 0", "Inchangés : 0", "Commandes ignorées : 1", "Rejetés : 3"]
    assert not User.objects.filter(email="elodie@example.org").exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    page.screenshot(path=f"/tmp/h15a-import-dry-run-{width}.png", full_page=True)
    page.get_by_label("Tarif « Tarif Bienfaiteur »", exact=False).select_option(label="Adhésion solidaire (5,00\u00a0€)")
    page.get_by_role("button", name="Vérifier de nouveau avec ces types").click()
    page.get_by_text("adhésion « Adhésion solidaire »", exact=False).first.wait_for()
    assert page.locator(".import-counts li").first.inner_text() == "À créer : 3"
    page.get_by_label("Importer les lignes valides", exact=False).check()
    page.get_by_role("button", name="Importer", exact=True).click()
    page.get_by_text("Import terminé").wait_for()
    assert sorted(User.objects.filter(is_staff=False).values_list("email", flat=True)) == ["elodie@example.org", "lea@example.org", "tom@example.org"]
    assert Membership.objects.filter(payment_reference="81002").count() == 2
