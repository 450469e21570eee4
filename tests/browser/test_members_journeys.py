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
    page.get_by_label("Type d’adhésion").select_option(index=1)
    page.get_by_role("button", name="Renouveler mon adhésion").click()
    page.get_by_text("Renouvellement demandé").wait_for()
    assert Membership.objects.get(member=user).paid_on is None
    assert page.get_by_text("en attente du paiement").is_visible()


def test_staff_import_a_sample_file_dry_run_then_confirm(page, tmp_path):
    StaffFactory(email="accueil@example.org")
    MembershipTypeFactory()
    sample = tmp_path / "helloasso.csv"
    sample.write_text("Nom;Prénom;Email;Ville;Montant;Date\nDurand;Élodie;elodie@example.org;Poissy;20,00;15/01/2026\n", encoding="utf-8")
    login(page, "accueil@example.org", TEST_PASSWORD)
    page.goto(page.base_url + "/staff/members/import/")
    assert_accessible(page)
    page.get_by_label("Fichier CSV", exact=False).set_input_files(str(sample))
    page.get_by_role("button", name="Vérifier le fichier (simulation)").click()
    page.get_by_text("1 à créer").wait_for()
    assert not User.objects.filter(email="elodie@example.org").exists()
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer l’import").click()
    page.get_by_text("Import terminé").wait_for()
    assert User.objects.get(email="elodie@example.org").first_name == "Élodie"
