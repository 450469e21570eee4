"""Staff reach the admin through allauth's login and their TOTP code; tokens show their expiry;
refusals say why (issue 11 §1). Screenshots in var/screenshots/ (390 px and 1280 px)."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from members.models import ApiToken
from tests.browser.conftest import STAFF_TOTP_SECRET, assert_accessible, login, shot
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_staff_open_the_admin_through_allauth_and_their_totp_code(page):
    StaffFactory(email="accueil@example.org")
    page.goto(page.base_url + "/admin/")
    # The admin's own password form is gone: allauth's login page, with the way back kept.
    assert page.url == page.base_url + "/accounts/login/?next=%2Fadmin%2F"
    page.locator("input[name=login]").fill("accueil@example.org")
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    shot(page, "second-factor-step-1280")
    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(STAFF_TOTP_SECRET, int(time.time()) // 30)))
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")
    shot(page, "admin-after-code-1280")
    page.locator("#site-name").wait_for()


def test_staff_see_their_tokens_with_expiry_on_a_phone(phone_page):
    page = phone_page
    staff = StaffFactory(email="accueil@example.org")
    ApiToken.issue(user=staff, name="Synchro compta")
    login(page, "accueil@example.org", TEST_PASSWORD)
    page.goto(page.base_url + "/account/")
    shot(page, "account-before-390")
    page.get_by_label("Nom du jeton").fill("Tableau de bord")
    page.get_by_role("button", name="Créer un jeton").click()
    page.locator("#new-token").wait_for()
    assert ApiToken.objects.filter(user=staff).count() == 2
    page.locator("#tokens-heading").scroll_into_view_if_needed()
    shot(page, "account-tokens-390")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_role("columnheader", name="Expiration").is_visible()


def test_a_refusal_says_why(page):
    UserFactory(email="lucie@example.org")
    login(page, "lucie@example.org", TEST_PASSWORD)
    response = page.goto(page.base_url + "/admin/login/")
    assert response.status == 403
    page.get_by_text("Votre compte n’a pas accès à l’administration.").wait_for()
    assert_accessible(page)
    shot(page, "refused-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "refused-390")
