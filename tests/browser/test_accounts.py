"""Browser journey: sign up, verify by the e-mailed link (from the outbox), log in, English, log out."""

import pytest

from members.models import User
from tests.browser.conftest import assert_accessible, login, open_menu, outbox_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "une-phrase-de-passe-solide"


def test_sign_up_verify_log_in_switch_language_log_out(phone_page):
    page = phone_page
    page.goto(page.base_url + "/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)
    page.get_by_label("Courriel").fill("Nouvelle.Adherente@example.org")
    page.get_by_label("Prénom").fill("Léa")
    page.locator("#id_last_name").fill("N'Diaye")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    user = User.objects.get(email="nouvelle.adherente@example.org")
    assert (user.first_name, user.last_name) == ("Léa", "N'Diaye")

    # The verification link arrives through the outbox.
    link = outbox_link("nouvelle.adherente@example.org", r"https?://\S+/accounts/confirm-email/\S+")
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert User.objects.get(email="nouvelle.adherente@example.org").emailaddress_set.get().verified

    # Log out, then log in with the password.
    open_menu(page)
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state("networkidle")
    if page.locator("main form button[type=submit]").count():  # allauth's logout confirmation
        page.locator("main form button[type=submit]").click()
    login(page, "nouvelle.adherente@example.org", PASSWORD)
    open_menu(page)
    assert page.get_by_role("button", name="Se déconnecter").is_visible()

    # Switch to English.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    open_menu(page)
    assert page.get_by_role("button", name="Log out").is_visible()

    # Log out.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("networkidle")
    open_menu(page)
    assert page.get_by_role("link", name="Log in").first.is_visible()


def test_sign_up_errors_are_shown_next_to_fields_and_nothing_is_created(page):
    page.goto(page.base_url + "/accounts/signup/")
    page.get_by_label("Courriel").fill("pas-une-adresse")
    page.locator("#id_password1").fill("123")
    page.locator("#id_password2").fill("123")
    # The browser's own validation would stop an invalid e-mail; test the server's answer.
    page.eval_on_selector("main form", "f => f.noValidate = true")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    email_input = page.get_by_label("Courriel")
    assert email_input.get_attribute("aria-invalid") == "true"
    assert "Saisissez une adresse e-mail valide" in page.locator("main").inner_text()
    # The summary at the top of the form has the focus and links to each field in error.
    summary = page.locator(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert summary.get_by_role("link", name="Courriel — Saisissez une adresse e-mail valide.").get_attribute("href") == "#id_email"
    summary.get_by_role("link", name="Prénom — Ce champ est obligatoire.").click()
    assert page.evaluate("document.activeElement.id") == "id_first_name"
    assert User.objects.count() == 0
    assert_accessible(page)


def test_login_page_is_accessible_and_usable_at_360px(open_page):
    page = open_page(viewport={"width": 360, "height": 740})
    page.goto(page.base_url + "/accounts/login/")
    assert_accessible(page)
    # Nothing wider than the screen: no horizontal scrolling on a small phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
