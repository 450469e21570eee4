"""Who is logged in, without a query on every page.

Django's backends read the user's row on every request. These read it once per process and keep
it while no user changes (any save or delete of a user, or of their groups or permissions,
replaces the "users" generation: at once in this process, within a second in the others; see
quai.gencache). The rows stay in the process (never in Redis: they carry password hashes), and
each request gets its own copy, so nothing a request does to request.user reaches another one.
Bulk updates of users send no signal: the member import bumps the generation itself.
"""

import copy

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from quai.gencache import Generation

users_generation = Generation("users", shared=False, local_size=4096)


class CachedUserMixin:
    def get_user(self, user_id):
        parent = super()
        user = users_generation.get_or_compute(str(user_id), lambda: parent.get_user(user_id))
        return copy.copy(user) if user is not None else None


class CachedModelBackend(CachedUserMixin, ModelBackend):
    pass


class CachedAuthenticationBackend(CachedUserMixin, AuthenticationBackend):
    """allauth's backend (log in by e-mail), with the cached `get_user`."""
