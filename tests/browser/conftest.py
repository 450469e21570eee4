"""Real headless Chromium (Debian package `chromium`) driven by Playwright against a live server.

On a machine without Chromium the browser tests are skipped with a reason, except when
QUAI_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser is a failure.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.auth import STAFF_TOTP_SECRET  # the secret StaffFactory gives every staff account

CHROMIUM = os.environ.get("QUAI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
REQUIRED = os.environ.get("QUAI_REQUIRE_BROWSER") == "1"
PHONE = {"width": 390, "height": 844}


def _missing(what: str):
    if REQUIRED:
        pytest.fail(f"{what} is required (QUAI_REQUIRE_BROWSER=1) but missing")
    pytest.skip(f"{what} is not installed (apt-get install chromium; npm install)")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _missing("Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR", timezone_id="Europe/Paris", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server, transactional_db):
    """A phone: 390×844, touch, French."""
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR", timezone_id="Europe/Paris",
        bypass_csp=True,  # only so that axe-core can be injected; the pages themselves keep their CSP
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def login(page, email: str, password: str) -> None:
    """Log in through the real login form."""
    page.goto(page.base_url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    if "/accounts/2fa/authenticate/" in page.url:
        # Staff have TOTP (tests.factories.StaffFactory): answer with the current code.
        import time

        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        page.locator("input[name=code]").fill(format_hotp_value(hotp_value(STAFF_TOTP_SECRET, int(time.time()) // 30)))
        page.get_by_role("button", name="Connexion").click()
        page.wait_for_load_state("networkidle")


def assert_accessible(page, *, exclude_rules: tuple[str, ...] = ()) -> None:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and fail on any violation."""
    if not AXE_PATH.exists():
        _missing("axe-core (npm install)")
    page.add_script_tag(content=AXE_PATH.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})"""
    )
    violations = [v for v in result["violations"] if v["id"] not in exclude_rules]
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in violations
    )


def outbox_link(email: str, pattern: str = r"https?://\S+") -> str:
    """The first link matching `pattern` in the newest outbox message to `email`."""
    from quai.models import OutboxMessage

    message = OutboxMessage.objects.filter(to=email).order_by("-created_at").first()
    assert message is not None, f"no e-mail to {email} in the outbox"
    match = re.search(pattern, message.body_text)
    assert match, f"no link matching {pattern!r} in: {message.body_text}"
    return match.group(0)
