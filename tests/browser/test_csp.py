"""The browser tests run under the pages' real Content-Security-Policy: a violation fails them.

The control: an inline script is refused (and reported), where a same-origin script (how axe-core
is injected) runs."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import AXE_URL_PATH, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_policy_is_enforced_and_a_violation_is_caught(page):
    page.goto(page.base_url + "/")
    header = page.evaluate("async () => (await fetch('/')).headers.get('content-security-policy')")
    assert "script-src 'self'" in header
    with pytest.raises(PlaywrightError):  # the refused inline script
        page.add_script_tag(content="window.inlineRan = true")
    assert page.evaluate("window.inlineRan === undefined")
    assert any("Content Security Policy" in text for text in page.csp_violations)
    page.csp_violations.clear()  # caught: this test is the control, it must not fail at teardown

    page.add_script_tag(url=page.base_url + AXE_URL_PATH)
    assert page.evaluate("typeof axe.run") == "function"
    assert page.csp_violations == []


def test_home_and_login_pages_keep_their_policy(page):
    page.goto(page.base_url + "/accounts/login/")
    assert_accessible(page)
    page.goto(page.base_url + "/")
    assert_accessible(page)
