"""Staff powers need a second factor verified in the session.

A password alone must never open staff powers: a staff (or superuser) session counts as "second
factor done" only when allauth verified a TOTP code or a recovery code *in that session* — at login
(the MFA stage), when re-authenticating, or when the account's TOTP was just activated with a code.
allauth keeps the log of what was verified in the session (`get_authentication_records`), for the
logged-in user only; a new login starts a new log.

Until then the request's user is a *demoted copy* (`demote`): not staff, not superuser, no
permission, exactly a plain member for every page, service and API call, because they all read
`request.user` (and DRF's session authentication reads the Django request's user). The copy still
saves with its real roles, so a member page that saves the account (name, language) never strips
them.
"""

from __future__ import annotations

import copy

from allauth.account.authentication import get_authentication_records
from django.conf import settings

SECOND_FACTOR_METHOD = "mfa"  # allauth's record for a verified TOTP / recovery code / WebAuthn key


def is_privileged(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))


def second_factor_verified(request, user) -> bool:
    """Did allauth verify a second factor (TOTP or recovery code) for `user` in this session?"""
    return any(record.get("method") == SECOND_FACTOR_METHOD for record in get_authentication_records(request, user))


def second_factor_pending(user) -> bool:
    """True for the demoted copy of a staff account whose session has no second factor yet."""
    return bool(getattr(user, "second_factor_pending", False))


def demote(user):
    """A copy of `user` with the powers of a plain member (see the module docstring)."""
    demoted = copy.copy(user)
    real_roles = (user.is_staff, user.is_superuser)
    demoted.is_staff = demoted.is_superuser = False
    # ModelBackend answers has_perm()/get_all_permissions() from these caches when they exist.
    demoted._perm_cache = demoted._user_perm_cache = demoted._group_perm_cache = set()
    demoted.second_factor_pending = True

    def save(*args, **kwargs):
        demoted.is_staff, demoted.is_superuser = real_roles
        try:
            type(demoted).save(demoted, *args, **kwargs)
        finally:
            demoted.is_staff = demoted.is_superuser = False

    demoted.save = save
    return demoted


def user_for_request(request, user):
    """`user` as its powers stand in this request: demoted while a staff session lacks the second factor."""
    if settings.QUAI_STAFF_MFA_REQUIRED and is_privileged(user) and not second_factor_verified(request, user):
        return demote(user)
    return user


def record_second_factor_on_totp_activation(sender, request, user, authenticator, **kwargs):
    """Activating TOTP means typing a valid code from the new authenticator: it verifies the second
    factor for this session, as allauth's MFA stage would (same record, same function)."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(request, user, SECOND_FACTOR_METHOD, id=authenticator.pk, type=authenticator.type, activated=True)
