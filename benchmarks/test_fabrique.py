"""Fabrique: the holder's dashboard and the coach's dashboard with a full demo cohort (in-process)."""

import io
import random

import pytest
from django.urls import reverse


@pytest.fixture
def seeded(db):
    from fabrique.seed import seed_fabrique
    from members.seed import seed_accounts

    seed_accounts(scale=1, rng=random.Random(1), stdout=io.StringIO())
    seed_fabrique(scale=1, rng=random.Random(1), stdout=io.StringIO())


def test_fabrique_holder_dashboard(benchmark, client, seeded):
    from members.models import User

    client.force_login(User.objects.get(email="porteur@demo.quai.test"))
    response = benchmark(client.get, reverse("fabrique:home"))
    assert response.status_code == 200


def test_fabrique_coach_dashboard(benchmark, client, seeded):
    from members.models import User

    client.force_login(User.objects.get(email="coach@demo.quai.test"))
    response = benchmark(client.get, reverse("fabrique:coach"))
    assert response.status_code == 200
