"""Impact API: figures and drill-down rows, staff only, bad input refused with the reason."""

import datetime

import pytest

from coworking.time import local_dt
from events.models import Event, Registration
from quai.impact import compute_snapshots
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.incubator.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendees():
    start = local_dt(datetime.date(2025, 3, 3), datetime.time(18))
    event = EventFactory(kind=Event.Kind.ESS_AWARENESS, starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=60)
    Registration.objects.bulk_create(
        Registration(event=event, guest_email=f"p{i}@example.org", person_key=f"p{i}@example.org", status="confirmed",
                     attended=i % 5 != 0)
        for i in range(55)
    )
    return event


def test_staff_get_the_figures_of_the_codes_asked_for(staff_api, attendees):
    response = staff_api.get("/api/v1/impact/", {"codes": "ESS-1,mem-1", "from": "2025-01-01", "to": "2025-12-31"})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["code"], r["value"], r["target"], r["definition_version"]) for r in results] == [
        ("ESS-1", 44.0, 10000.0, 1), ("MEM-1", 0.0, 900.0, 1),
    ]
    assert set(results[0]) == {"code", "label", "value", "unit", "target", "definition", "definition_version", "details",
                               "from", "to", "computed_at"}
    assert results[0]["label"] == "Personnes sensibilisées à l’économie sociale et solidaire (cumul, uniques)"
    assert results[0]["details"] == {"anonymous_walk_ins": 0}


def test_without_codes_every_indicator_is_returned_and_no_data_is_null(staff_api):
    ProjectFactory()
    results = staff_api.get("/api/v1/impact/").json()["results"]

    assert len(results) == 19
    assert next(r for r in results if r["code"] == "INC-1")["value"] is None


def test_rows_are_paginated_and_their_count_equals_the_figure(staff_api, attendees):
    response = staff_api.get("/api/v1/impact/ESS-1/rows/", {"from": "2025-01-01", "to": "2025-12-31", "page_size": 20})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 44 and body["value"] == 44.0
    assert len(body["results"]) == 20 and "page=2" in body["next"]
    assert set(body["results"][0]) == {"person_key", "first_attended", "events"}
    last = staff_api.get("/api/v1/impact/ESS-1/rows/", {"from": "2025-01-01", "to": "2025-12-31", "page_size": 20, "page": 3})
    assert len(last.json()["results"]) == 4


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"codes": "ESS-1,NOPE-2"}, "codes", "Code d’indicateur inconnu : NOPE-2."),
    ({"from": "2025-05-01", "to": "2025-04-30"}, "to", "La période se termine avant de commencer"),
    ({"from": "2020-12-31"}, "from", "Le programme a commencé le 01/01/2021"),
    ({"to": "2099-01-01"}, "to", "Aucun chiffre n’existe après le"),
    ({"from": "demain"}, "from", "« demain » n’est pas une date"),
])
def test_bad_input_is_refused_with_the_reason(staff_api, params, field, message):
    response = staff_api.get("/api/v1/impact/", params)

    assert response.status_code == 400
    assert response.json()["errors"][field][0].startswith(message)


def test_rows_of_an_unknown_code_are_refused(staff_api):
    response = staff_api.get("/api/v1/impact/XYZ-1/rows/")

    assert response.status_code == 400
    assert response.json()["detail"] == "Code d’indicateur inconnu : XYZ-1."


def test_members_and_coaches_are_refused_with_the_reason(api_client, member):
    coach = UserFactory()
    ProjectFactory(coach=coach)
    for person in (member, coach):
        api_client.force_authenticate(person)
        for url in ("/api/v1/impact/", "/api/v1/impact/ESS-1/rows/"):
            response = api_client.get(url)
            assert response.status_code == 403
            assert response.json()["detail"] == "Les chiffres d’impact sont réservés à l’équipe."


def test_anonymous_callers_must_authenticate(api_client):
    assert api_client.get("/api/v1/impact/").status_code == 401


ODD = ["", " ", "0", "-1", "abc", "2025-13-01", "2025-02-30", "0000-01-01", "9999-12-31", "2025-01-01T00:00", "1e9",
       "x" * 300, "\x00", "é", "ESS-1\x00", "%", "'; DROP TABLE x; --", "2025-01-01,2025-02-01", "[]", "null"]


@pytest.mark.parametrize("value", ODD)
def test_odd_values_in_any_parameter_get_a_400_saying_what_to_fix_never_a_500(staff_api, staff, client, value):
    """Every parameter of the impact API and pages, given odd values: a 400 with the reason, or —
    for an empty value, a text filter, or a page number on a page (the last page is shown) — the
    page as asked. Never a 500."""
    from django.urls import reverse

    compute_snapshots(codes=["ESS-1"])
    empty = value == ""
    expected = [("/api/v1/impact/", {"codes": value}, 200 if not value.strip() else 400)]  # only spaces: every code
    expected += [("/api/v1/impact/", {name: value}, 200 if empty else 400) for name in ("from", "to")]
    expected += [("/api/v1/impact/ESS-1/rows/", {name: value}, 200 if empty else 400) for name in ("from", "to")]
    expected += [("/api/v1/impact/ESS-1/rows/", {name: value}, 400) for name in ("page", "page_size")]
    if value.strip() and "/" not in value and "%" not in value:
        expected.append((f"/api/v1/impact/{value}/rows/", {}, 400))
    for url, params, status in expected:
        response = staff_api.get(url, params)
        assert response.status_code == status, (url, params, response.status_code)
        if status == 400:
            body = response.json()
            assert body["detail"] and body["errors"], (url, params, body)
    client.force_login(staff)
    client.get(reverse("staff_home"))  # the second factor, as tests record it
    control = "\x00" in value  # refused on any page before its view runs
    text_ok = not control and len(value) <= 100
    for url in (reverse("impact_indicator", args=["ESS-1"]), reverse("impact_export", args=["ESS-1", "csv"]),
                reverse("impact_report"), reverse("impact_report_export", args=["xlsx"]), reverse("impact_public")):
        takes_text = "impact/ESS-1" in url
        for name, status in (("start", 200 if empty else 400), ("end", 200 if empty else 400), ("page", 200),
                             ("q", 200 if text_ok or not takes_text else 400)):
            if url == reverse("impact_public"):
                status = 200  # the public page takes no parameter
            status = 400 if control else status
            response = client.get(url, {name: value})
            assert response.status_code == status, (url, name, response.status_code)
