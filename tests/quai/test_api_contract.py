"""The API as a contract: what /api/schema/ promises is what the API does.

- writes are JSON only (multipart only for the file upload), so the schema offers one request body;
- every error answer (400, 401, 403, 404, 409 on writes, 429) is documented with the `Error` envelope;
- pagination parameters are validated (400 naming the parameter) and documented with their bounds;
- a client generated from the schema by openapi-python-client (PyPI), imported unedited, lists the
  events, books a desk and cancels it against the live server.
"""

import datetime
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from coworking.models import Booking
from coworking.services import PARIS, local_dt
from members.models import ApiToken
from tests.coworking.factories import ResourceFactory, SiteFactory, SubscriptionFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/Error"
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
# The one operation that receives a file (a Fabrique deliverable's new version).
MULTIPART_OPERATIONS = {("post", "/api/v1/fabrique/deliverables/{id}/submissions/")}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method, path, operation


def test_each_write_offers_exactly_one_request_body(schema):
    bodies = {
        (method, path): sorted(operation["requestBody"]["content"])
        for method, path, operation in operations(schema)
        if "requestBody" in operation
    }
    assert len(bodies) >= 10
    expected = {
        key: ["multipart/form-data"] if key in MULTIPART_OPERATIONS else ["application/json"] for key in bodies
    }
    assert bodies == expected


def test_every_operation_documents_its_errors_with_the_error_envelope(schema):
    missing = []
    for method, path, operation in operations(schema):
        expected = {"400", "401", "403", "404", "429"} | ({"409"} if method != "get" else set())
        for code in sorted(expected):
            response = operation["responses"].get(code)
            if response is None or response["content"]["application/json"]["schema"] != {"$ref": ERROR_REF}:
                missing.append(f"{method.upper()} {path} {code}")
        assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert missing == []
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "detail", "errors"]
    assert error["properties"]["errors"] == {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "description": error["properties"]["errors"]["description"],
    }


def test_nullable_fields_are_declared_nullable(schema):
    components = schema["components"]["schemas"]
    assert components["Booking"]["properties"]["checked_in_at"]["nullable"] is True
    assert components["Member"]["properties"]["membership_end"]["nullable"] is True
    assert components["AvailabilityCell"]["properties"]["booking"]["nullable"] is True
    assert "nullable" not in components["Booking"]["properties"]["status"]


def test_every_serializer_field_on_a_nullable_column_accepts_and_declares_null():
    """A column that may be NULL gives a field that may be null, so the schema says `nullable`."""
    import importlib
    import inspect

    from django.core.exceptions import FieldDoesNotExist
    from rest_framework import serializers

    checked, wrong = 0, []
    for app in ("members", "coworking", "events", "incubator", "fabrique"):
        module = importlib.import_module(f"{app}.serializers")
        for name, serializer_class in inspect.getmembers(module, inspect.isclass):
            if not issubclass(serializer_class, serializers.ModelSerializer) or serializer_class.__module__ != module.__name__:
                continue
            model = serializer_class.Meta.model
            for field_name, field in serializer_class().fields.items():
                try:
                    column = model._meta.get_field(field.source)
                except FieldDoesNotExist:
                    continue  # "*", a dotted source or a computed value
                if not column.concrete or column.many_to_many:
                    continue  # reverse relations and lists: never null
                checked += 1
                if column.null and not field.allow_null:
                    wrong.append(f"{module.__name__}.{name}.{field_name}")
    assert checked > 50
    assert wrong == []


def test_blank_or_patterned_strings_are_any_of_never_one_of(schema):
    """"" may match a pattern too ("postal code when known"): oneOf would then refuse it."""
    text = json.dumps(schema)
    assert '"oneOf": [{"type": "string", "default": "", "pattern"' not in text
    insee = schema["components"]["schemas"]["MediationSession"]["properties"]["insee_code"]
    assert insee["anyOf"][1] == {"type": "string", "maxLength": 0}


def test_pagination_parameters_are_documented_with_their_bounds(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}


@pytest.mark.parametrize(
    "query, field",
    [
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=%D9%A1", "page"),  # an Arabic-Indic digit one: a digit to str.isdigit(), not to us
        ("page_size=0", "page_size"),
        ("page_size=-1", "page_size"),
        ("page_size=201", "page_size"),
        ("page_size=99999999999999999999", "page_size"),
        ("page_size=abc", "page_size"),
        ("page_size=", "page_size"),
    ],
)
def test_bad_pagination_parameters_are_a_400_naming_the_parameter(member_api, query, field):
    response = member_api.get(f"/api/v1/events/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["code"] == "invalid"


def test_pagination_within_bounds_pages_and_a_page_past_the_last_is_a_404(member_api):
    EventFactory.create_batch(3)
    first = member_api.get("/api/v1/events/?page_size=2")
    assert first.status_code == 200
    assert (first.json()["count"], len(first.json()["results"])) == (3, 2)
    second = member_api.get("/api/v1/events/?page_size=2&page=2")
    assert len(second.json()["results"]) == 1
    past = member_api.get("/api/v1/events/?page_size=2&page=3")
    assert past.status_code == 404
    assert past.json()["code"] == "not_found"


def test_writes_refuse_form_encoded_bodies(member_api):
    response = member_api.patch("/api/v1/me/", "first_name=Zo%C3%A9", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_every_error_answer_carries_a_code(member_api):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/me/").json()["code"] == "not_authenticated"
    assert APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION="Token nope").json()["code"] == "authentication_failed"
    assert member_api.get("/api/v1/members/").json()["code"] == "permission_denied"
    assert member_api.get("/api/v1/bookings/999999/").json()["code"] == "not_found"
    invalid = member_api.patch("/api/v1/me/", {"language": "klingon"}, format="json").json()
    assert (invalid["code"], list(invalid["errors"])) == ("invalid", ["language"])


# --- A client generated from the schema, used against the live server -------------------------------

GENERATOR_CONFIG = "post_hooks: []\nproject_name_override: quai_client\npackage_name_override: quai_client\n"


def generate_client(schema: dict, directory: Path):
    """Generate the package `quai_client` into `directory` with openapi-python-client, unedited."""
    (directory / "schema.json").write_text(json.dumps(schema))
    # No post-hooks: the generated code is imported as it comes out, with nothing formatting it.
    (directory / "config.yaml").write_text(GENERATOR_CONFIG)
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [str(generator), "generate", "--path", "schema.json", "--config", "config.yaml", "--meta", "none",
         "--output-path", "quai_client"],
        cwd=directory, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(directory))
    try:
        return importlib.import_module("quai_client")
    finally:
        sys.path.remove(str(directory))


@pytest.fixture
def generated_client(schema, tmp_path):
    package = generate_client(schema, tmp_path)
    yield package
    for name in [name for name in sys.modules if name == "quai_client" or name.startswith("quai_client.")]:
        del sys.modules[name]


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_lists_events_books_a_desk_and_cancels_it(generated_client, live_server, member):
    from quai_client import AuthenticatedClient
    from quai_client.api.coworking import bookings_create, bookings_destroy, bookings_list
    from quai_client.api.events import events_list
    from quai_client.models import BookingInputRequest, Error, PaginatedBookingList, PaginatedEventList

    SubscriptionFactory(member=member)
    desk = ResourceFactory(site=SiteFactory(), name="Poste A1")
    event = EventFactory(title="Café ESS")
    _token, key = ApiToken.issue(user=member, name="generated client")
    client = AuthenticatedClient(base_url=live_server.url, token=key, prefix="Token", raise_on_unexpected_status=True)

    events = events_list.sync(client=client)
    assert isinstance(events, PaginatedEventList)
    assert [(e.id, e.title) for e in events.results] == [(event.pk, "Café ESS")]

    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    start, end = local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13))
    booked = bookings_create.sync(client=client, body=BookingInputRequest(resource=desk.pk, start=start, end=end))
    assert booked.resource_name == "Poste A1"
    assert (booked.start, booked.end, booked.status) == (start, end, "confirmed")
    assert booked.checked_in_at is None

    taken = bookings_create.sync(client=client, body=BookingInputRequest(resource=desk.pk, start=start, end=end))
    assert isinstance(taken, Error)
    assert (taken.code, taken.detail) == ("taken", "Ce créneau est déjà réservé.")

    listed = bookings_list.sync(client=client)
    assert isinstance(listed, PaginatedBookingList)
    assert [b.id for b in listed.results] == [booked.id]

    cancelled = bookings_destroy.sync(booked.id, client=client)
    assert cancelled.status == "cancelled"
    assert Booking.objects.get(pk=booked.id).status == "cancelled"

    gone = bookings_destroy.sync(999999, client=client)
    assert isinstance(gone, Error) and gone.code == "not_found"
