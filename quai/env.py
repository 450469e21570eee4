"""Typed access to environment variables: settings read the environment only through here.

A missing required value fails loudly at start-up with the name of the variable, never later with
an obscure error.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()


def env_str(name: str, default=_MISSING) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfigured(
                f"The environment variable {name} is required here but is not set "
                "(see README.md, section Configuration)."
            )
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from None


def env_list(name: str, default=_MISSING) -> list[str]:
    value = env_str(name, default if default is _MISSING else ",".join(default))
    return [item.strip() for item in value.split(",") if item.strip()]


def env_date(name: str, default: str):
    """An ISO date (YYYY-MM-DD)."""
    import datetime

    value = env_str(name, default)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a date (YYYY-MM-DD), got {value!r}.") from None
