import pytest

pytestmark = pytest.mark.django_db


def test_healthz_ok_when_database_and_redis_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["redis"] == "ok"


def test_healthz_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")


def test_healthz_503_when_database_is_down(client, monkeypatch):
    from quai import views

    def broken():
        return "error: OperationalError"

    monkeypatch.setattr(views, "_check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_requests_are_logged_as_json_lines(client, caplog):
    caplog.set_level("INFO", logger="quai.request")
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc123")
    record = next(r for r in caplog.records if r.name == "quai.request")
    assert record.status == 200 and record.path == "/healthz" and record.request_id == "abc123"
    assert response["X-Request-ID"] == "abc123"
    from quai.logging import JsonFormatter
    import json

    line = json.loads(JsonFormatter().format(record))
    assert line["method"] == "GET" and "duration_ms" in line
