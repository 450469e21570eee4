import pytest
from django.core.management import call_command

from members.models import User

pytestmark = pytest.mark.django_db

DEMO = ["staff", "membre", "coworker", "incube", "porteur", "coach"]


def test_seed_demo_creates_the_demo_accounts_and_is_idempotent(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    users = User.objects.count()
    for name in DEMO:
        assert f"{name}@demo.quai.test" in out
        assert User.objects.get(email=f"{name}@demo.quai.test").check_password("quai-demo")
    assert User.objects.get(email="staff@demo.quai.test").is_staff

    call_command("seed_demo", "--quiet-logins")
    assert User.objects.count() == users


def test_seed_demo_gives_years_of_history_behind_the_figures_and_the_funders_targets(settings):
    """Trends mean something: every year since the programme start has its ESS participations,
    active members, jobs reported and a Fabrique promotion, as the snapshots computed by the seed
    say; and the funders' actions carry the seed's targets."""
    import datetime

    from django.utils import timezone

    from quai.models import FinancedAction, IndicatorSnapshot

    call_command("seed_demo", "--quiet-logins")
    this_year = timezone.localdate().year
    years = range(settings.QUAI_PROGRAMME_START.year, this_year + 1)
    assert len(years) >= 3
    yearly = {(row.code, row.period_start.year): row.value
              for row in IndicatorSnapshot.objects.filter(period_kind="year", code__in=["ESS-2", "MEM-1", "FAB-1", "NUM-1"])}
    for year in years:
        for code in ("ESS-2", "MEM-1", "FAB-1"):
            assert yearly[(code, year)] > 0, (code, year)
    assert yearly[("NUM-1", this_year)] > 0
    months = IndicatorSnapshot.objects.filter(code="ESS-2", period_kind="month", value__gt=0).count()
    assert months >= 24  # month-by-month charts with two years of bars at least
    assert IndicatorSnapshot.objects.filter(code="ESS-1", period_kind="all", period_end=timezone.localdate() + datetime.timedelta(days=1)).get().value > 0
    targets = {}
    for action in FinancedAction.objects.all():
        targets.update(action.targets)
    assert targets == {"FAB-1": 8, "FAB-2": 8, "ESS-1": 10000, "PRJ-2": 120}
