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
