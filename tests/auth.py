"""Logging people in for tests, the way allauth records it in the session.

A staff session has staff powers only once allauth verified a second factor in it
(quai.second_factor). These helpers write the same session records as a real login:

- `login_staff_with_second_factor(client, user)`: password, then a TOTP code (allauth's MFA step);
- `login_without_second_factor(client, user)`: password only (what /admin/login/ used to accept).

Both work with Django's `Client` and DRF's `APIClient` (session authentication). The root
conftest makes `client.force_login(staff)` mean "with the second factor", so that tests about
staff features read simply; tests about the missing second factor use the second helper.
"""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from django.http import HttpRequest
from django.test import Client

# The original, before the root conftest wraps it (see conftest.py).
_django_force_login = Client.force_login


def _record(client, user, *methods: tuple[str, dict]) -> None:
    session = client.session  # a fresh store bound to the client's session cookie
    request = HttpRequest()
    request.session = session
    for method, data in methods:
        record_authentication(request, user, method, **data)
    session.save()


def login_without_second_factor(client, user) -> None:
    """Log `user` in with a password only: for staff, a plain member until a code is verified."""
    _django_force_login(client, user)
    _record(client, user, ("password", {"email": user.email}))


STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the secret StaffFactory gives every staff account


def login_staff_with_second_factor(client, user) -> None:
    """Log `user` in as allauth does after the password and a valid TOTP code.

    An account without an authenticator gets one first (secret STAFF_TOTP_SECRET), as the real
    flow requires: there is no verified code without a TOTP set up.
    """
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    totp = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
    if totp is None:
        totp = TOTP.activate(user, STAFF_TOTP_SECRET).instance
    _django_force_login(client, user)
    _record(client, user, ("password", {"email": user.email}), ("mfa", {"id": totp.pk, "type": totp.type}))
