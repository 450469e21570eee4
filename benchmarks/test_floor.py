"""The floors: the bare floor (one indexed query, no page) and the page floor (a member's page, base.html, one indexed query)."""

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


@pytest.mark.django_db
def test_page_floor_view(benchmark):
    from benchmarks.conftest import floor_client

    client = floor_client()
    response = benchmark(client.get, "/bench/page-floor/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_page_floor_paired_with_itself(paired_with_floor):
    """The page floor's own row: 1.00 by construction; its ratio to the bare floor is what a page's frame costs."""
    from benchmarks.conftest import floor_client

    paired_with_floor("page floor", floor_client(), "/bench/page-floor/")
