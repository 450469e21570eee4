import io
import random

import pytest

from coworking.models import Booking, Resource, Site
from coworking.seed import seed_coworking, seed_coworking_sites
from members.seed import seed_accounts

pytestmark = pytest.mark.django_db


def test_seed_grows_to_a_larger_scale_by_adding_the_missing_sites_only():
    out = io.StringIO()
    seed_accounts(scale=1, rng=random.Random(1), stdout=out)
    seed_coworking(scale=1, rng=random.Random(1), stdout=out)
    ruche = Site.objects.get(slug="ruche-saint-germain")
    assert Resource.objects.filter(site=ruche).count() == 40  # 30 open-space desks, 6 fixed, 3 rooms, 1 booth
    one_site = Booking.objects.count()
    assert one_site > 5000

    seed_coworking(scale=2, rng=random.Random(2), stdout=out)
    seed_coworking_sites(scale=2, rng=random.Random(2), stdout=out)
    assert Site.objects.count() == 2 and Booking.objects.count() > 1.8 * one_site
    two_sites = Booking.objects.count()
    seed_coworking(scale=2, rng=random.Random(3), stdout=out)
    seed_coworking_sites(scale=2, rng=random.Random(3), stdout=out)
    assert Booking.objects.count() == two_sites
    # The other sites have the same rooms and open-space desks, without fixed desks.
    assert Resource.objects.filter(site__slug="site-demo-2").count() == 34
