"""Production mode: required variables, and `check --deploy` passes with no warning."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    drop = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in drop}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_production_requires_secrets():
    result = run_manage("check", QUAI_ENV="production", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "ALLOWED_HOSTS" in result.stderr


def test_production_passes_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        QUAI_ENV="production",
        SECRET_KEY="x" * 20 + "-production-test-key-with-enough-entropy-9f8e7d6c5b4a",
        ALLOWED_HOSTS="quai.example.org",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_never_use_sqlite():
    from django.conf import settings

    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.TIME_ZONE == "Europe/Paris" and settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "fr"


@pytest.mark.django_db
def test_french_first_english_available(client):
    response = client.get("/accounts/login/")
    assert 'lang="fr"' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert 'lang="en"' in response.content.decode()
