"""Real headless Chromium (Debian package `chromium`) driven by Playwright against a live server.

Pages run under their real Content-Security-Policy: any violation the browser reports (an inline
script or style, a source not allowed) fails the test at teardown. axe-core is injected as a
same-origin script (`/__tests__/axe.min.js`, answered by Playwright's request routing from
node_modules, never by the application), which the policy's script-src 'self' allows.

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


AXE_URL_PATH = "/__tests__/axe.min.js"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shot(page, name: str) -> None:
    """A full-page screenshot in var/screenshots/<name>.png, to look at the screen as its user."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _open(browser, live_server, **options):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", **options)
    context.set_default_timeout(15_000)
    if AXE_PATH.exists():
        context.route(live_server.url + AXE_URL_PATH, lambda route: route.fulfill(
            status=200, content_type="application/javascript", body=AXE_PATH.read_text()))
    page = context.new_page()
    page.base_url = live_server.url
    page.csp_violations = []
    page.on("console", lambda message: page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return context, page


def _close(context, page):
    violations, page.csp_violations = list(page.csp_violations), []
    context.close()
    assert violations == [], "the page broke its Content-Security-Policy:\n" + "\n".join(violations)


@pytest.fixture
def page(browser, live_server, transactional_db):
    context, page = _open(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    _close(context, page)


@pytest.fixture
def open_page(browser, live_server, transactional_db):
    """open_page(**context_options) -> a further page (another person, another screen), checked
    for CSP violations like `page`."""
    opened = []

    def open_(**options):
        context, page = _open(browser, live_server, **options)
        opened.append((context, page))
        return page

    yield open_
    for context, page in opened:
        _close(context, page)


@pytest.fixture
def phone_page(browser, live_server, transactional_db):
    """A phone: 390×844, touch, French."""
    context, page = _open(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    _close(context, page)


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

        if time.time() % 30 > 25:  # the code would change before the server checks it: take the next one
            time.sleep(30.5 - time.time() % 30)
        page.locator("input[name=code]").fill(format_hotp_value(hotp_value(STAFF_TOTP_SECRET, int(time.time()) // 30)))
        page.get_by_role("button", name="Connexion").click()
        page.wait_for_load_state("networkidle")


def assert_accessible(page, *, exclude_rules: tuple[str, ...] = ()) -> None:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and fail on any violation."""
    if not AXE_PATH.exists():
        _missing("axe-core (npm install)")
    page.add_script_tag(url=page.base_url + AXE_URL_PATH)  # same origin: allowed by script-src 'self'
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


def open_menu(page) -> None:
    """On a phone the navigation folds behind the header's "Menu" button: open it if it is shown."""
    button = page.locator(".menu-toggle")
    if button.is_visible() and button.get_attribute("aria-expanded") != "true":
        button.click()
