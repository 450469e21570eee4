"""The floor: a bare view doing one indexed query. Every other figure is a ratio to it."""

import urllib.request

import pytest

from benchmarks.http import gunicorn, measure


@pytest.mark.django_db
def test_floor_view(benchmark, client):
    response = benchmark(client.get, "/bench/floor/")
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_floor_http_throughput(report_throughput):
    with gunicorn(workers=2) as url:
        rps, p95 = measure(lambda i: urllib.request.Request(url + "/bench/floor/"), total=600, concurrency=8)
    report_throughput("floor GET /bench/floor/ (2 gunicorn workers)", rps, p95)
    assert rps > 0
