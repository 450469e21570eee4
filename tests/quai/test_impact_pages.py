"""Staff home, indicator page, exports, funder report, public impact page."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from coworking.time import local_dt
from events.models import Event, Registration
from quai.impact import compute_snapshots
from quai.models import FinancedAction, Funder, ImpactRun, IndicatorSetting, IndicatorSnapshot
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def recent_programme(settings):
    # A programme started in 2025: fewer months to snapshot, the same rules.
    settings.QUAI_PROGRAMME_START = datetime.date(2025, 1, 1)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    client.get(reverse("staff_home"))  # the first back-office page records the second factor in the session
    return client


def ess_attendance(n, day=None):
    day = day or timezone.localdate() - datetime.timedelta(days=3)
    start = local_dt(day, datetime.time(18))
    event = EventFactory(kind=Event.Kind.ESS_AWARENESS, starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=max(n, 1))
    Registration.objects.bulk_create(
        Registration(event=event, guest_email=f"g{n}-{i}@example.org", person_key=f"g{n}-{i}@example.org", status="confirmed",
                     attended=True)
        for i in range(n)
    )
    return event


def test_staff_home_is_for_staff_only(client, member):
    assert client.get(reverse("staff_home")).status_code == 302
    client.force_login(member)
    assert client.get(reverse("staff_home")).status_code == 403


def test_staff_home_shows_today_figures_linking_to_their_lists_and_each_target_with_its_progress(staff_client):
    ess_attendance(3)
    compute_snapshots()

    html = staff_client.get(reverse("staff_home")).content.decode()

    assert f'href="{reverse("events:staff_events")}"' in html and "Événements cette semaine" in html
    assert f'href="{reverse("coworking:staff_today")}"' in html
    assert f'href="{reverse("members:staff_list")}?status=pending"' in html
    assert f'href="{reverse("fabrique:coach")}"' in html and f'href="{reverse("events:mediation_log")}"' in html
    assert "Échecs d’envoi" in html and "Tâches de fond" in html
    assert '<strong>3</strong> / 10\xa0000' in html  # ESS-1 against its target
    assert 'aria-label="Progression vers l’objectif de ESS-1"' in html
    assert f'href="{reverse("impact_indicator", args=["ESS-1"])}"' in html
    assert "<svg" in html and "Tableau de données" in html
    assert "Comparaison des périodes" in html


# The staff home's queries, in order: what each reads (the session comes from the cache).
STAFF_HOME_QUERIES = [
    ("the logged-in user", 'FROM "members_user"'),
    ("bookings today (coworking card)", 'FROM "coworking_booking"'),
    ("events this week, each counting its seats taken", 'FROM "events_event"'),
    ("renewals waiting for payment, by the partial index of pending ones", 'FROM "members_membership"'),
    ("memberships ending this month, counted up to 1 001", 'FROM "members_membership"'),
    ("submissions waiting for review", 'FROM "fabrique_submission"'),
    ("Déclic accompaniments this month, from the month's activities", 'FROM "events_mediationactivity"'),
    ("outbox failures", 'FROM "quai_outboxmessage"'),
    ("the snapshots: every target, trend and comparison", 'FROM "quai_indicatorsnapshot"'),
    ("the last impact run", 'FROM "quai_impactrun"'),
    ("the navigation's conditional links", 'FROM "coworking_subscription"'),
]


def test_staff_home_queries_are_named_and_read_no_indicator_rows(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ess_attendance(2)
    compute_snapshots()
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(reverse("staff_home")).status_code == 200

    assert len(queries.captured_queries) == len(STAFF_HOME_QUERIES)
    for (name, table), query in zip(STAFF_HOME_QUERIES, queries.captured_queries):
        assert table in query["sql"], (name, query["sql"][:200])
    # Impact comes from the snapshots only: no query aggregates registrations by person for a figure.
    assert not any("person_key" in query["sql"] for query in queries.captured_queries)


def test_staff_home_reads_snapshots_in_a_constant_number_of_queries(staff_client, django_assert_num_queries):
    ess_attendance(2)
    compute_snapshots()
    # (The session comes from the cache.) 1 the logged-in user, 2 the navigation's conditional links,
    # 3 bookings today (coworking card), 4 events this week with their seats taken, 5 renewals
    # waiting, 6 memberships ending this month, 7 Déclic sessions this month, 8 submissions waiting,
    # 9 outbox failures, 10 snapshots (ONE query for every target, trend and comparison), 11 the
    # last impact run.
    with django_assert_num_queries(11):
        staff_client.get(reverse("staff_home"))

    for day in range(30, 400, 20):  # more history: more snapshots, same queries
        ess_attendance(5, day=timezone.localdate() - datetime.timedelta(days=day))
    compute_snapshots()
    assert IndicatorSnapshot.objects.count() > 19 * 12
    with django_assert_num_queries(11):
        staff_client.get(reverse("staff_home"))


def test_recompute_queues_one_run_runs_it_and_shows_its_progress(staff_client, django_capture_on_commit_callbacks):
    ess_attendance(2)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("impact_run"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    run = ImpactRun.objects.get()
    assert run.status == ImpactRun.Status.DONE and run.done == run.total > 0
    assert IndicatorSnapshot.objects.filter(code="ESS-1", period_kind="all").get().value == 2
    status = staff_client.get(reverse("impact_run")).content.decode()
    assert "Dernier calcul terminé le" in status and "hx-trigger" not in status


def test_a_second_click_while_a_run_is_queued_joins_it(staff_client):
    first = staff_client.post(reverse("impact_run"), HTTP_HX_REQUEST="true")  # on_commit never fires here: stays queued
    second = staff_client.post(reverse("impact_run"), HTTP_HX_REQUEST="true")

    assert ImpactRun.objects.count() == 1
    assert ImpactRun.objects.get().status == ImpactRun.Status.QUEUED
    for response in (first, second):
        assert 'hx-trigger="every 2s"' in response.content.decode()


def test_recompute_is_refused_to_members(client, member):
    client.force_login(member)
    assert client.post(reverse("impact_run")).status_code == 403
    assert ImpactRun.objects.count() == 0


def test_indicator_page_shows_definition_trend_and_the_rows_of_the_period(staff_client):
    ess_attendance(3, day=datetime.date(2025, 3, 3))
    compute_snapshots(today=datetime.date(2025, 12, 31))

    response = staff_client.get(reverse("impact_indicator", args=["ESS-2"]), {"start": "2025-03-01", "end": "2025-03-31"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>ESS-2 · Participations aux événements ESS</h1>" in html
    assert "Version de la définition" in html
    assert "<strong>3</strong>" in html and "3 lignes" in html
    assert html.count('data-label="Personne"') == 3
    assert "<svg" in html


def test_indicator_page_refuses_a_reversed_period_with_the_reason(staff_client):
    response = staff_client.get(reverse("impact_indicator", args=["ESS-1"]), {"start": "2025-03-01", "end": "2025-01-31"})

    assert response.status_code == 400
    assert "La période se termine avant de commencer" in response.content.decode()


def test_unknown_indicator_page_is_404(staff_client):
    assert staff_client.get(reverse("impact_indicator", args=["XYZ-9"])).status_code == 404


def test_drilldown_exports_csv_and_typed_xlsx(staff_client):
    from openpyxl import load_workbook

    ess_attendance(2, day=datetime.date(2025, 3, 3))
    query = {"start": "2025-01-01", "end": "2025-12-31"}

    response = staff_client.get(reverse("impact_export", args=["ESS-1", "csv"]), query)
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Personne", "Première participation", "Événements ESS suivis"]
    assert sorted(line[0] for line in lines[1:]) == ["g2-0@example.org", "g2-1@example.org"]

    response = staff_client.get(reverse("impact_export", args=["ESS-1", "xlsx"]), query)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Chiffres", "Définitions", "ESS-1"]
    figures = workbook["Chiffres"]
    assert [cell.value for cell in figures[2]] == ["ESS-1", "Personnes sensibilisées à l’économie sociale et solidaire (cumul, uniques)",
                                                  datetime.datetime(2025, 1, 1), datetime.datetime(2025, 12, 31), 2, "personnes", 10000]
    sheet = workbook["ESS-1"]
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].value == datetime.datetime(2025, 3, 3, 18, 0) and sheet["B2"].number_format == "DD/MM/YYYY HH:MM"
    assert sheet["C2"].value == 1 and sheet.max_row == 3


def test_drilldown_rows_can_be_filtered_by_a_text_and_exported_as_filtered(staff_client):
    from incubator.models import Project

    ess_attendance(3, day=datetime.date(2025, 3, 3))  # g3-0@, g3-1@, g3-2@example.org
    url = reverse("impact_indicator", args=["ESS-2"])
    query = {"start": "2025-01-01", "end": "2025-12-31", "q": "G3-1"}

    html = staff_client.get(url, query).content.decode()
    assert "<strong>3</strong>" in html  # the figure stays the period's
    assert "3 lignes,\n      1 contient «\xa0G3-1\xa0»" in html
    assert html.count('data-label="Personne"') == 1 and "g3-1@example.org" in html
    assert 'href="/staff/impact/ESS-2/rows.csv?start=2025-01-01&amp;end=2025-12-31&amp;q=G3-1"' in html
    response = staff_client.get(reverse("impact_export", args=["ESS-2", "csv"]), query)
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert [line[0] for line in lines[1:]] == ["g3-1@example.org"]

    html = staff_client.get(url, {**query, "q": "personne"}).content.decode()
    assert "Aucune ligne de cette période ne contient «\xa0personne\xa0»." in html
    html = staff_client.get(url, {**query, "q": "<b>x</b>"}).content.decode()
    assert "«\xa0&lt;b&gt;x&lt;/b&gt;\xa0»" in html and "<b>x</b>" not in html
    # A union of sources (PRJ-1: the incubator's and the Fabrique's projects) is filtered too.
    for name in ("Vélo Solidaire", "La Grange", "Atelier Vélo"):
        Project.objects.create(name=name, incubation_start=datetime.date(2025, 2, 1))
    html = staff_client.get(reverse("impact_indicator", args=["PRJ-1"]), {**query, "q": "VÉLO"}).content.decode()
    assert html.count('data-label="Projet"') == 2 and "la grange" not in html
    # Too long: refused with the reason, as a bad period is.
    response = staff_client.get(url, {**query, "q": "x" * 101})
    assert response.status_code == 400 and "au plus 100 caractères" in response.content.decode()
    assert staff_client.get(reverse("impact_export", args=["ESS-2", "csv"]), {**query, "q": "x" * 101}).status_code == 400


def test_funder_report_is_laid_out_per_financed_action_and_exports_xlsx(staff_client):
    from openpyxl import load_workbook

    ess_attendance(4, day=datetime.date(2025, 3, 3))
    funder = Funder.objects.create(name="Région Île-de-France", kind=Funder.Kind.REGION)
    FinancedAction.objects.create(funder=funder, title="Sensibiliser à l’ESS", starts_on=datetime.date(2025, 1, 1),
                                  ends_on=datetime.date(2025, 12, 31), indicator_codes=["ESS-1", "ESS-2"],
                                  targets={"ESS-1": 3000}, comments="Cafés ESS mensuels.")
    FinancedAction.objects.create(funder=Funder.objects.create(name="Fondation"), title="Autre", starts_on=datetime.date(2025, 1, 1),
                                  ends_on=datetime.date(2025, 12, 31), indicator_codes=["MEM-1"])
    query = {"funder": funder.pk, "start": "2025-01-01", "end": "2025-12-31"}

    html = staff_client.get(reverse("impact_report"), query).content.decode()
    assert "1. Sensibiliser à l’ESS" in html and "Autre" not in html
    assert "3\xa0000" in html and "Cafés ESS mensuels." in html and "Cerfa 15059" in html

    workbook = load_workbook(io.BytesIO(staff_client.get(reverse("impact_report_export", args=["xlsx"]), query).content))
    assert workbook.sheetnames == ["Actions", "Définitions", "ESS-1", "ESS-2"]
    actions = workbook["Actions"]
    assert [cell.value for cell in actions[2]][4:8] == ["ESS-1", "Personnes sensibilisées à l’économie sociale et solidaire (cumul, uniques)", 3000, 4]
    assert actions["C2"].value == datetime.datetime(2025, 1, 1) and actions.freeze_panes == "A2"
    assert workbook["ESS-2"].max_row == 1 + 4


def test_funder_report_refuses_dates_before_the_programme(staff_client):
    response = staff_client.get(reverse("impact_report"), {"start": "2024-01-01", "end": "2024-12-31"})

    assert response.status_code == 400
    assert "Le programme a commencé le" in response.content.decode()


def test_public_impact_page_shows_only_the_indicators_staff_opted_in(client):
    ess_attendance(5)
    compute_snapshots()
    IndicatorSetting.objects.create(code="ESS-1", is_public=True)
    IndicatorSetting.objects.create(code="MEM-1", is_public=False)

    html = client.get(reverse("impact_public")).content.decode()

    assert "Personnes sensibilisées à l’économie sociale et solidaire" in html
    assert "<strong>5</strong> / 10\xa0000" in html and "Comment on compte" in html
    assert "Adhérents actifs" not in html


@pytest.mark.parametrize("code", ["ESS-1", "ESS-2", "EVT-1", "EVT-3", "EVT-4", "EVT-5", "TRN-1", "PRJ-1", "PRJ-2", "INC-1", "MEM-1",
                                  "COW-1", "COW-2", "FAB-1", "FAB-2", "FAB-3", "FAB-4", "NUM-1", "NUM-2"])
def test_every_indicator_has_its_page_exports_and_rows(staff_client, staff, code):
    from openpyxl import load_workbook

    from events.declic.services import ParticipantData
    from tests.events.factories_declic import individual
    from fabrique import services as fabrique_services
    from incubator.models import KpiReport
    from tests.factories import UserFactory
    from tests.fabrique.factories import make_cohort
    from tests.incubator.factories import ProjectFactory

    ess_attendance(2, day=datetime.date(2025, 3, 3))
    project = ProjectFactory(name="Vélos", incubation_start=datetime.date(2025, 1, 1), created_on=datetime.date(2025, 2, 1),
                             creation_kind="legal", creation_evidence="SIRET")
    KpiReport.objects.create(project=project, reported_on=datetime.date(2025, 3, 1), fte=2)
    cohort = make_cohort(staff, year=2025, start=datetime.date(2025, 1, 6))
    enrolment = fabrique_services.enrol(cohort=cohort, holder=UserFactory(), project_name="Serre")
    from fabrique.models import Attendance, Deliverable, DeliverableKind, Session

    Deliverable.objects.filter(enrolment=enrolment, kind__in=[DeliverableKind.VALUE_PROPOSITION, DeliverableKind.BUSINESS_PLAN]).update(
        status=Deliverable.Status.VALIDATED, validated_on=datetime.date(2025, 6, 2))  # FAB-2: graduated
    session = Session.objects.create(cohort=cohort, title="Atelier", starts_at=local_dt(datetime.date(2025, 2, 3), datetime.time(9)),
                                     ends_at=local_dt(datetime.date(2025, 2, 3), datetime.time(12)))
    Attendance.objects.create(session=session, enrolment=enrolment, status=Attendance.Status.PRESENT)  # FAB-4
    individual(date=datetime.date(2025, 4, 1), participant=ParticipantData(first_time=True))
    from members.models import Membership, MembershipType

    Membership.objects.create(member=UserFactory(), type=MembershipType.objects.create(kind="individual", name="I", amount_eur=20),
                              starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31), paid_on=datetime.date(2025, 1, 1))
    query = {"start": "2025-01-01", "end": "2025-12-31"}

    page = staff_client.get(reverse("impact_indicator", args=[code]), query)
    csv_response = staff_client.get(reverse("impact_export", args=[code, "csv"]), query)
    xlsx = staff_client.get(reverse("impact_export", args=[code, "xlsx"]), query)
    api = staff_client.get(f"/api/v1/impact/{code}/rows/", {"from": "2025-01-01", "to": "2025-12-31"})

    assert (page.status_code, csv_response.status_code, xlsx.status_code, api.status_code) == (200, 200, 200, 200)
    lines = b"".join(csv_response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + api.json()["count"]
    assert load_workbook(io.BytesIO(xlsx.content))[code].max_row == 1 + api.json()["count"]
    # Filtered by a text, the page and its export still answer, with the matching rows only.
    filtered = staff_client.get(reverse("impact_indicator", args=[code]), {**query, "q": "é"})
    filtered_csv = staff_client.get(reverse("impact_export", args=[code, "csv"]), {**query, "q": "é"})
    assert (filtered.status_code, filtered_csv.status_code) == (200, 200)
    kept = b"".join(filtered_csv.streaming_content).decode("utf-8-sig").strip().splitlines()[1:]
    assert len(kept) <= len(lines) - 1 and all("é" in line.lower() for line in kept), kept
    if code in ("PRJ-1", "PRJ-2", "INC-1"):  # the project "Vélos", not the Fabrique's "Serre"
        assert len(kept) == 1 and "élos" in kept[0], kept
    # A person's or a project's cell opens its page, which staff may see.
    import re

    links = re.findall(r'<td data-label="[^"]*"><a href="([^"]+)">', page.content.decode())
    assert len(links) == {"MEM-1": 1, "FAB-1": 1, "FAB-2": 1, "FAB-4": 1, "INC-1": 1}.get(code, 0), links
    for url in links:
        assert staff_client.get(url).status_code == 200, url


def _impact_block(html: str) -> str:
    return html[html.index('<ul class="targets">'):html.index("</section>", html.index('<ul class="targets">'))]


def test_the_impact_block_is_drawn_once_per_content_and_language_and_never_outlives_its_figures(staff_client, member, client,
                                                                                                  monkeypatch):
    import quai.impact as impact

    ess_attendance(3)
    compute_snapshots()
    drawn = []
    draw = impact.impact_dashboard
    monkeypatch.setattr(impact, "impact_dashboard", lambda *args, **kwargs: drawn.append(args[0]) or draw(*args, **kwargs))

    first = staff_client.get(reverse("staff_home")).content.decode()
    second = staff_client.get(reverse("staff_home")).content.decode()
    assert len(drawn) == 1  # the second request takes the block from the cache
    assert _impact_block(second) == _impact_block(first) and "<strong>3</strong> / 10\xa0000" in second

    compute_snapshots()  # a run that changes no figure: the same block
    staff_client.get(reverse("staff_home"))
    assert len(drawn) == 1

    ess_attendance(2)
    compute_snapshots()  # a figure changes: its snapshot row is in the key, the block is drawn again
    third = staff_client.get(reverse("staff_home")).content.decode()
    assert len(drawn) == 2 and "<strong>5</strong> / 10\xa0000" in third

    english = staff_client.get(reverse("staff_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert len(drawn) == 3 and "<h3>Targets</h3>" in english and "<strong>5</strong> / 10,000" in english

    # Nothing of it for someone who is not staff: access is checked before the block is read.
    client.force_login(member)
    refused = client.get(reverse("staff_home"))  # (in French again: the last request sets the language)
    assert refused.status_code == 403 and "10\xa0000" not in refused.content.decode() and len(drawn) == 3


def test_funder_report_opens_on_this_year_so_far(staff_client):
    today = timezone.localdate()
    html = staff_client.get(reverse("impact_report")).content.decode()

    assert f'name="start" value="{today.year}-01-01"' in html and f'name="end" value="{today.isoformat()}"' in html


def test_a_programme_in_its_first_year_opens_its_pages_from_its_start(staff_client, settings):
    """Started this year after 1 January: the default period begins on its first day (1 January
    would be refused: no figure exists before the programme)."""
    today = timezone.localdate()
    settings.QUAI_PROGRAMME_START = today

    html = staff_client.get(reverse("impact_report")).content.decode()
    assert f'name="start" value="{today.isoformat()}"' in html
    assert staff_client.get(reverse("impact_report"), {"start": today.isoformat(), "end": today.isoformat()}).status_code == 200
    for code in ("ESS-2", "FAB-1", "MEM-1"):
        page = staff_client.get(reverse("impact_indicator", args=[code]))
        assert page.status_code == 200 and f'name="start" value="{today.isoformat()}"' in page.content.decode(), code
