"""The floors `make bench` measures every page against: the page floor is a real member's page
(middleware, session, base.html with navigation and language switch) with one query of its own."""

import os

import pytest
from django.urls import reverse

from quai.models import AuditLog
from tests.quai.test_settings import run_manage

pytestmark = pytest.mark.django_db


def test_page_floor_is_a_members_page_with_the_whole_header(client, member, django_assert_num_queries):
    client.force_login(member)
    url = reverse("bench_page_floor")
    assert client.get(url).status_code == 200  # the session is now in the cache
    # 1. the logged-in user, 2. the navigation's conditional links (one query of EXISTS),
    # 3. the page's own indexed query (an outbox row by primary key).
    with django_assert_num_queries(3):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="main-nav"' in html and 'class="lang-switch"' in html and "<h1>Page floor</h1>" in html
    assert f'href="{reverse("coworking:grid")}"' in html


def test_page_floor_post_writes_one_row(client, member):
    client.force_login(member)
    response = client.post(reverse("bench_page_floor"))
    assert response.status_code == 302 and response["Location"] == reverse("bench_page_floor")
    assert AuditLog.objects.filter(action="bench.page_floor", target_id=str(member.pk)).count() == 1


def test_page_floor_asks_a_visitor_to_log_in(client):
    response = client.get(reverse("bench_page_floor"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_no_bench_endpoint_in_production():
    result = run_manage(
        "shell", "-v", "0", "-c",
        "from django.urls import NoReverseMatch, reverse\n"
        "for name in ('bench_floor', 'bench_page_floor'):\n"
        "    try:\n        reverse(name)\n        print('FOUND', name)\n"
        "    except NoReverseMatch:\n        print('absent', name)\n",
        QUAI_ENV="production",
        SECRET_KEY="x" * 20 + "-production-test-key-with-enough-entropy-9f8e7d6c5b4a",
        ALLOWED_HOSTS="quai.example.org",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    )
    assert result.stdout.split() == ["absent", "bench_floor", "absent", "bench_page_floor"], result.stderr
