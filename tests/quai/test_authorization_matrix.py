"""Who may see what, for every route: URL patterns × personas, each cell an exact status.

The routes come from Django's resolver, so a new route without an entry in ROUTES fails
`test_every_route_has_an_entry` with the line to add. Objects in URLs belong to member A, founder X
or holder H1 (tests/quai/world.py): their twins B, Y and H2 must get a 404, never the object.

Each request runs in a savepoint rolled back afterwards, so a write that a persona may do (cancel,
revoke, erase) changes nothing for the next cell. The Django admin is checked on a sample of its
pages (ADMIN_SAMPLE), not on all of its ~140 routes.

Cells are compared as a whole per persona, and the failure lists every wrong cell as
`persona route: expected X, got Y`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.auth import login_staff_with_second_factor, login_without_second_factor
from tests.quai.world import PERSONAS, build_world

LOGGED_IN = PERSONAS[1:]


LOGIN = "login"  # a redirect to the login page (302 to /accounts/login/?next=...)


def cells(anonymous: int | str, logged_in: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Expected answer per persona: `logged_in` for everyone logged in, then the overrides.

    A staff account without its second factor is a plain member (issue 11 §1): unless told
    otherwise, its cell is member B's (someone with nothing of their own).
    """
    expected = {"anonymous": anonymous, **{persona: logged_in for persona in LOGGED_IN}, **overrides}
    if "staff_no_2fa" not in overrides:
        expected["staff_no_2fa"] = expected["member_b"]
    return expected


PUBLIC = cells(200, 200)
LOGGED = cells(LOGIN, 200)
STAFF_PAGE = cells(LOGIN, 403, staff=200, staff_no_2fa=302)  # /staff/: no second factor → sent to verify it
API = cells(401, 200)
API_STAFF = cells(401, 403, staff=200)


@dataclass(frozen=True)
class Row:
    expect: dict
    kwargs: dict = field(default_factory=dict)  # URL kwarg → world object name (its pk) or token name
    method: str = "get"
    query: str = ""
    data: dict | None = None
    multipart: bool = False  # API writes are JSON, except the file upload


# One entry per route: "namespace:name" (or the pattern, for unnamed routes).
ROUTES: dict[str, Row] = {
    # --- shared -------------------------------------------------------------------------------
    "healthz": Row(PUBLIC),
    "healthz/": Row(PUBLIC),
    "set_language": Row(cells(302, 302)),
    "home": Row(PUBLIC),
    "staff_home": Row(STAFF_PAGE),
    "bench_floor": Row(PUBLIC),
    "bench_page_floor": Row(LOGGED),
    "api-schema": Row(PUBLIC),
    "api-docs": Row(PUBLIC),
    # --- impact (figures for funders: staff; the public page for everyone) -----------------------
    "impact_public": Row(PUBLIC),
    "impact_run": Row(STAFF_PAGE),
    "impact_report": Row(STAFF_PAGE),
    "impact_report_export": Row(STAFF_PAGE, {"fmt": "xlsx"}),
    "impact_indicator": Row(STAFF_PAGE, {"code": "ESS-1"}),
    "impact_export": Row(STAFF_PAGE, {"code": "ESS-1", "fmt": "csv"}),
    "impact-api": Row(API_STAFF),
    "impact-api-rows": Row(API_STAFF, {"code": "ESS-1"}),
    # --- accounts (allauth): pages for the anonymous send logged-in people on, and vice versa ---
    "account_login": Row(cells(200, 302)),
    "account_logout": Row(cells(302, 200)),
    "account_inactive": Row(PUBLIC),
    "account_signup": Row(cells(200, 302)),
    "account_reauthenticate": Row(LOGGED),
    "account_request_reauthentication_code": Row(LOGGED),
    "account_confirm_reauthentication_code": Row(cells(LOGIN, 302)),
    "account_email": Row(LOGGED),
    "account_email_verification_sent": Row(PUBLIC),
    "account_change_password": Row(LOGGED),
    "account_set_password": Row(cells(LOGIN, 302)),
    "account_reset_password": Row(PUBLIC),
    "account_confirm_login_code": Row(cells(LOGIN, 302)),
    "account_confirm_email": Row(PUBLIC, {"key": "bad-key"}),
    "account_reset_password_from_key_done": Row(PUBLIC),
    "account_reset_password_from_key": Row(PUBLIC, {"uidb36": "1", "key": "bad-key"}),
    "account_reset_password_done": Row(PUBLIC),
    "account_request_login_code": Row(cells(200, 302)),
    "mfa_index": Row(LOGGED),
    "mfa_authenticate": Row(cells(LOGIN, 302)),
    # Without an authenticator there is nothing to re-authenticate with, deactivate or list;
    # setting one up asks for the password again first.
    "mfa_reauthenticate": Row(cells(LOGIN, 302, staff=200, staff_no_2fa=200)),
    "mfa_activate_totp": Row(cells(LOGIN, 302)),
    "mfa_deactivate_totp": Row(cells(LOGIN, 404, staff=302, staff_no_2fa=302)),
    "mfa_view_recovery_codes": Row(cells(LOGIN, 404)),
    "mfa_generate_recovery_codes": Row(cells(LOGIN, 302)),
    "mfa_download_recovery_codes": Row(cells(LOGIN, 404)),
    # --- members ------------------------------------------------------------------------------
    "members:account": Row(LOGGED),
    # POST-only forms of the account page: an empty one goes back to the account page (or is a 400).
    "members:profile": Row(cells(LOGIN, 302), method="post"),
    "members:renew": Row(cells(LOGIN, 400), method="post"),
    "members:export": Row(LOGGED),
    "members:erase": Row(cells(LOGIN, 302), method="post"),
    # Staff mint a token only after their second factor (issue 11 §1).
    "members:token_create": Row(cells(LOGIN, 200, staff_no_2fa=403), method="post", data={"name": "sync"}),
    "members:token_revoke": Row(cells(LOGIN, 404, member_a=302), {"pk": "token_a"}, method="post"),
    "members:directory": Row(LOGGED),
    # A is not in the directory: nobody can write to A through it.
    "members:directory_contact": Row(cells(LOGIN, 404), {"pk": "member_a"}),
    # Withdrawing a renewal request: without one, the account page says so (redirect).
    "members:renew_cancel": Row(cells(LOGIN, 302), method="post"),
    "members:photo_upload": Row(cells(LOGIN, 302), method="post"),
    "members:photo": Row(cells(LOGIN, 404, member_a=200, staff=200), {"pk": "member_a"}),
    "members:staff_search": Row(STAFF_PAGE),  # the search for a person of every staff page (issue 14)
    "members:staff_list": Row(STAFF_PAGE),
    "members:staff_export": Row(STAFF_PAGE, {"fmt": "csv"}),
    "members:staff_import": Row(STAFF_PAGE),
    "members:staff_detail": Row(STAFF_PAGE, {"pk": "member_a"}),
    # Writes on member B (the savepoint undoes the rows, not the files an erasure deletes: A has a photo).
    "members:staff_payment": Row(cells(LOGIN, 403, staff=400, staff_no_2fa=302), {"pk": "member_b"}, method="post"),
    "members:staff_erase": Row(cells(LOGIN, 403, staff=302, staff_no_2fa=302), {"pk": "member_b"}, method="post"),
    "members_api:me": Row(API),
    "members_api:me-export": Row(API),
    "members_api:members": Row(API_STAFF),
    "members_api:member": Row(API_STAFF, {"pk": "member_a"}),
    "members_api:memberships": Row(API),
    # --- coworking ----------------------------------------------------------------------------
    "coworking:grid": Row(LOGGED),
    "coworking:book": Row(cells(LOGIN, 400), method="post"),
    "coworking:my_bookings": Row(LOGGED),
    "coworking:cancel": Row(cells(LOGIN, 404, member_a=302, staff=302), {"pk": "booking_a"}, method="post"),
    "coworking:move": Row(cells(LOGIN, 404, member_a=200, staff=200), {"pk": "booking_a"}),
    "coworking:check_in": Row(cells(LOGIN, 404, member_a=302, staff=302), {"pk": "booking_a"}, method="post"),
    "coworking:recurring": Row(LOGGED),
    # Creating a first calendar link needs no confirmation; replacing one (A has one) asks first (400).
    "coworking:feed_reset": Row(cells(LOGIN, 302, member_a=400), method="post"),
    "coworking:ical": Row(PUBLIC, {"token": "feed_a"}),
    "coworking:staff_today": Row(STAFF_PAGE),
    "coworking:staff_occupancy": Row(STAFF_PAGE),
    "coworking_api:sites": Row(API),
    "coworking_api:resources": Row(API),
    "coworking_api:availability": Row(API, query="site={site}&date={day}"),
    "coworking_api:bookings": Row(API),
    "coworking_api:booking": Row(cells(401, 404, member_a=200, staff=200), {"pk": "booking_a"}),
    "coworking_api:booking-check-in": Row(cells(401, 404, member_a=400, staff=400), {"pk": "booking_a"}, method="post"),
    # --- events -------------------------------------------------------------------------------
    "events:agenda": Row(PUBLIC),
    "events:agenda_ics": Row(PUBLIC),
    "events:mine": Row(LOGGED),
    "events:detail": Row(cells(404, 200), {"pk": "members_event"}),
    "events:ics": Row(cells(404, 200), {"pk": "members_event"}),
    "events:cancel": Row(cells(LOGIN, 404, member_a=302, staff=302), {"pk": "registration_a"}, method="post"),
    "events:cancel_by_link": Row(PUBLIC, {"token": "cancel_a"}),
    "events:feedback": Row(PUBLIC, {"token": "feedback_a"}),
    "events:staff_events": Row(STAFF_PAGE),
    # Events created in the product (issue 14): staff only, writes undone by the savepoint.
    "events:staff_event_create": Row(STAFF_PAGE),
    "events:staff_event_edit": Row(STAFF_PAGE, {"pk": "event"}),
    "events:staff_event_rooms": Row(STAFF_PAGE),
    "events:staff_event_publish": Row(cells(LOGIN, 403, staff=302, staff_no_2fa=302), {"pk": "event"}, method="post"),
    "events:staff_event_cancel": Row(cells(LOGIN, 403, staff=302, staff_no_2fa=302), {"pk": "event"}, method="post"),
    "events:staff_event_duplicate": Row(cells(LOGIN, 403, staff=302, staff_no_2fa=302), {"pk": "event"}, method="post"),
    "events:door_list": Row(STAFF_PAGE, {"pk": "event"}),
    "events:walk_in": Row(cells(LOGIN, 403, staff=400, staff_no_2fa=302), {"pk": "event"}, method="post"),
    "events:attendance_csv": Row(STAFF_PAGE, {"pk": "event"}),
    "events:attendance_print": Row(STAFF_PAGE, {"pk": "event"}),
    "events:mark": Row(cells(LOGIN, 403, staff=302, staff_no_2fa=302), {"pk": "registration_a"}, method="post"),
    "events:mediation_log": Row(STAFF_PAGE),
    "events:mediation_delete": Row(
        cells(LOGIN, 403, staff=302, staff_no_2fa=302), {"pk": "mediation_activity"}, method="post"
    ),
    "events:mediation_stats": Row(STAFF_PAGE),
    "events:mediation_export": Row(STAFF_PAGE),
    "events_api:events": Row(PUBLIC),
    "events_api:event": Row(cells(404, 200), {"pk": "members_event"}),
    "events_api:event-registrations": Row(API_STAFF, {"pk": "event"}),
    "events_api:registration": Row(cells(401, 404, member_a=200, staff=200), {"pk": "registration_a"}),
    "events_api:registration-attendance": Row(
        cells(401, 403, staff=201), {"pk": "registration_a"}, method="post", data={"present": True, "nonce": "matrix"}
    ),
    "events_api:mediation-sessions": Row(API_STAFF),
    "events_api:declic-activites": Row(API_STAFF),
    # --- incubator ----------------------------------------------------------------------------
    "incubator:my_projects": Row(LOGGED),
    "incubator:project": Row(cells(LOGIN, 404, founder_x=200, coach=200, staff=200), {"pk": "project_x"}),
    "incubator:kpi_create": Row(
        cells(LOGIN, 404, founder_x=302, coach=302, staff=302), {"pk": "project_x"}, method="post",
        data={"reported_on": "{today}", "fte": "1.5"},
    ),
    "incubator:session_create": Row(
        cells(LOGIN, 404, founder_x=403, coach=302, staff=302), {"pk": "project_x"}, method="post",
        data={"date": "{today}", "duration_min": "60"},
    ),
    # the team, the coach and staff add a mentoring session to their calendar; anyone else: 404
    "incubator:session_ics": Row(cells(LOGIN, 404, founder_x=200, coach=200, staff=200), {"pk": "mentoring_session_x"}),
    "incubator:milestone_create": Row(
        cells(LOGIN, 404, founder_x=302, coach=302, staff=302), {"pk": "project_x"}, method="post",
        data={"title": "Deuxième client"},
    ),
    "incubator:milestone_tick": Row(
        cells(LOGIN, 404, founder_x=302, coach=302, staff=302), {"pk": "milestone_x"}, method="post", data={"done": "on"},
    ),
    "incubator:project_status": Row(
        cells(LOGIN, 404, founder_x=403, coach=403, staff=302), {"pk": "project_x"}, method="post", data={"status": "graduated", "stage": "idea"},
    ),
    "incubator:creation_record": Row(  # the coach or staff vouch for the evidence, not the founder
        cells(LOGIN, 404, founder_x=403, coach=302, staff=302), {"pk": "project_x"}, method="post",
        data={"created_on": "{today}", "creation_kind": "legal", "creation_evidence": "SIRET 123 456 789 00012"},
    ),
    # The team is staff's to change: the founder and the coach see the project, and get a 403.
    "incubator:team_add": Row(
        cells(LOGIN, 404, founder_x=403, coach=403, staff=302), {"pk": "project_x"}, method="post",
        data={"email": "b@example.org", "role": "founder"},
    ),
    "incubator:team_remove": Row(
        cells(LOGIN, 404, founder_x=403, coach=403, staff=302), {"pk": "project_x", "member_pk": "founder_x"}, method="post",
    ),
    "incubator:apply": Row(LOGGED, {"pk": "call"}),
    # Staff see every application but only its applicant withdraws it.
    "incubator:application_withdraw": Row(cells(LOGIN, 404, founder_x=302, staff=403), {"pk": "application_x"}, method="post"),
    "incubator:staff_projects": Row(STAFF_PAGE),
    "incubator:staff_call_create": Row(STAFF_PAGE),
    "incubator:staff_call": Row(STAFF_PAGE, {"pk": "call"}),
    "incubator:staff_application": Row(STAFF_PAGE, {"pk": "application_x"}),
    "incubator_api:incubator-call-list": Row(API),
    "incubator_api:incubator-call-detail": Row(API, {"pk": "call"}),
    "incubator_api:incubator-application-list": Row(API),
    "incubator_api:incubator-application-detail": Row(cells(401, 404, founder_x=200, staff=200), {"pk": "application_x"}),
    "incubator_api:incubator-project-kpi-reports": Row(cells(401, 404, founder_x=200, coach=200, staff=200), {"pk": "project_x"}),
    "incubator_api:incubator-project-sessions": Row(cells(401, 404, founder_x=200, coach=200, staff=200), {"pk": "project_x"}),
    "incubator_api:incubator-project-list": Row(API),
    "incubator_api:incubator-project-detail": Row(cells(401, 404, founder_x=200, coach=200, staff=200), {"pk": "project_x"}),
    # --- fabrique -----------------------------------------------------------------------------
    "fabrique:home": Row(cells(LOGIN, 200, coach=302)),  # a coach with no programme of their own → their dashboard
    "fabrique:coach": Row(cells(LOGIN, 404, coach=200, staff=200)),
    "fabrique:apply": Row(LOGGED, {"pk": "cohort"}),
    "fabrique:enrolment": Row(cells(LOGIN, 404, holder_h1=200, coach=200, staff=200), {"pk": "enrolment_h1"}),
    "fabrique:certificate": Row(cells(LOGIN, 404), {"pk": "enrolment_h1"}),  # none before graduation, even for H1
    "fabrique:deliverable": Row(cells(LOGIN, 404, holder_h1=200, coach=200, staff=200), {"pk": "deliverable_h1"}),
    # the template of H1's deliverable: H1, their coach, staff; H2 (the same programme) gets the 404 of the page
    "fabrique:deliverable_template": Row(cells(LOGIN, 404, holder_h1=200, coach=200, staff=200), {"pk": "deliverable_h1"}),
    "fabrique:review": Row(
        cells(LOGIN, 404, holder_h1=403, coach=302, staff=302), {"pk": "submission_h1"}, method="post",
        data={"decision": "validated", "feedback": "Clair et chiffré."},
    ),
    "fabrique:submission_file": Row(cells(LOGIN, 404, holder_h1=200, coach=200, staff=200), {"pk": "submission_h1"}),
    "fabrique:attendance": Row(cells(LOGIN, 404, coach=200, staff=200), {"pk": "session"}),
    # a collective session: both holders of the cohort may add it to their calendar
    "fabrique:session_ics": Row(cells(LOGIN, 404, holder_h1=200, holder_h2=200, coach=200, staff=200), {"pk": "session"}),
    "fabrique:staff_cohorts": Row(STAFF_PAGE),
    "fabrique:staff_cohort": Row(STAFF_PAGE, {"pk": "cohort"}),
    "fabrique:staff_curriculum": Row(STAFF_PAGE, {"pk": "cohort"}),
    "fabrique:staff_application": Row(STAFF_PAGE, {"pk": "application_h2"}),
    "fabrique:staff_brief": Row(STAFF_PAGE, {"pk": "module"}),
    "fabrique:staff_outcome": Row(STAFF_PAGE, {"pk": "enrolment_h1"}),
    "fabrique_api:fabrique-cohort-list": Row(API_STAFF),
    "fabrique_api:fabrique-cohort-detail": Row(API_STAFF, {"pk": "cohort"}),
    "fabrique_api:fabrique-enrolment-list": Row(API),
    "fabrique_api:fabrique-enrolment-detail": Row(cells(401, 404, holder_h1=200, coach=200, staff=200), {"pk": "enrolment_h1"}),
    "fabrique_api:fabrique-submission-create": Row(
        cells(401, 404, holder_h1=201, coach=403, staff=403), {"pk": "deliverable_h1"}, method="post",
        data={"text": "Version 2"}, multipart=True,
    ),
    "fabrique_api:fabrique-submission-review": Row(
        cells(401, 404, holder_h1=403, coach=201, staff=201), {"pk": "submission_h1"}, method="post",
        data={"decision": "validated", "feedback": "Clair et chiffré."},
    ),
}

# The Django admin: its index and a changelist per app. A password alone never opens it.
ADMIN_CELLS = cells(302, 302, staff=200, staff_no_2fa=302)
ADMIN_SAMPLE = [
    "/admin/",
    "/admin/members/user/",
    "/admin/members/apitoken/",
    "/admin/coworking/site/",
    "/admin/events/event/",
    "/admin/events/mediationactivity/",
    "/admin/incubator/project/",
    "/admin/fabrique/enrolment/",
    "/admin/fabrique/application/",
]

LOGIN_PATH = "/accounts/login/"

# Cells whose expected answer needs work that is not in main yet, by reason (e.g. the branch
# doing it): each group gets a strict xfail test calling check_pending(reason, world), which starts
# failing ("XPASS") the day the work lands; then delete the group and its test. Empty: issue 11's
# second factor (h11a) and "not allowed is a 403" (h11b) were checked this way until they landed.
PENDING: dict[str, set[str]] = {}


def route_keys() -> dict[str, str]:
    def walk(patterns, prefix="", namespace=None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
            else:
                route = prefix + str(entry.pattern)
                if route.startswith("admin/"):
                    continue
                key = (f"{namespace}:{entry.name}" if namespace else entry.name) if entry.name else route
                yield key, route

    return dict(walk(get_resolver().url_patterns))


def test_every_route_has_an_entry():
    routes = route_keys()
    missing = sorted(set(routes) - set(ROUTES))
    assert not missing, "Routes without an entry in ROUTES of tests/quai/test_authorization_matrix.py:\n" + "\n".join(
        f'    "{key}": Row(<expected status per persona, e.g. LOGGED or cells(302, 404, member_a=200, staff=200)>'
        f'{", {<url kwarg>: <world object>}" if "<" in routes[key] or "(?P" in routes[key] else ""}),  # {routes[key]}'
        for key in missing
    )
    stale = sorted(set(ROUTES) - set(routes))
    assert not stale, f"ROUTES lists routes that no longer exist: {stale}"


# --- the sweep ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, in a transaction rolled back at the end."""
    media = tmp_path_factory.mktemp("matrix-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built.media = media
        built.today = timezone.localdate().isoformat()
        yield built
        transaction.set_rollback(True)


def url_for(key: str, row: Row, world) -> str:
    from coworking.services import PARIS

    kwargs = {}
    for name, ref in row.kwargs.items():
        if ref in world.tokens:
            kwargs[name] = world.tokens[ref]
        elif ref in world.people:
            kwargs[name] = world.people[ref].pk
        elif ref in world.objects:
            kwargs[name] = world.objects[ref].pk
        else:
            kwargs[name] = ref
    try:
        url = reverse(key, kwargs=kwargs)
    except NoReverseMatch:  # an unnamed route: its key is its path
        url = "/" + key
    if row.query:
        day = world.booking_a.starts_at.astimezone(PARIS).date()
        url += "?" + row.query.format(site=world.site.pk, day=day)
    return url


def client_for(persona: str, world) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    user = world.people[persona]
    if persona == "staff":
        login_staff_with_second_factor(client, user)
    else:
        login_without_second_factor(client, user)
    return client


def probe(client: Client, method: str, url: str, data=None, *, as_json: bool = False) -> int | str:
    """The answer to one request, made in a savepoint that is rolled back: 302 to the login page reads "login"."""
    with transaction.atomic():
        if as_json:
            response = getattr(client, method)(url, data or {}, content_type="application/json")
        else:
            response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    if response.status_code == 302 and response["Location"].startswith(LOGIN_PATH):
        return LOGIN
    return response.status_code


def sweep(persona: str, world, *, only=None, skip=frozenset()) -> list[str]:
    client = client_for(persona, world)
    wrong = []
    for key, row in ROUTES.items():
        cell = f"{persona} {key}"
        if (only is not None and cell not in only) or cell in skip:
            continue
        url = url_for(key, row, world)
        data = {name: value.format(today=world.today) if isinstance(value, str) else value for name, value in (row.data or {}).items()}
        got = probe(client, row.method, url, data, as_json=url.startswith("/api/") and not row.multipart)
        if got != row.expect[persona]:
            wrong.append(f"{cell} ({row.method.upper()} {url}): expected {row.expect[persona]}, got {got}")
    for url in ADMIN_SAMPLE:
        cell = f"{persona} {url}"
        if (only is not None and cell not in only) or cell in skip:
            continue
        got = probe(client, "get", url)
        if got != ADMIN_CELLS[persona]:
            wrong.append(f"{cell}: expected {ADMIN_CELLS[persona]}, got {got}")
    return wrong


@pytest.fixture
def media(world, settings):
    settings.MEDIA_ROOT = world.media


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status_on_every_route(persona, world, media):
    wrong = sweep(persona, world, skip=set().union(*PENDING.values()))
    assert not wrong, f"{len(wrong)} wrong cells:\n" + "\n".join(wrong)


def check_pending(reason: str, world) -> None:
    cells_pending = PENDING[reason]
    assert cells_pending, f"nothing is pending on {reason} any more: delete its group from PENDING"
    wrong = []
    for persona in sorted({cell.split(" ", 1)[0] for cell in cells_pending}):
        wrong += sweep(persona, world, only=cells_pending)
    assert not wrong, f"{len(wrong)} of {len(cells_pending)} cells pending on {reason}:\n" + "\n".join(wrong)
