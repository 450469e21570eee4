from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from members.models import ApiToken
from quai.second_factor import demote


LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with a personal token (members.ApiToken, stored hashed)."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = ApiToken.objects.for_key(key).select_related("user").first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if token.expires_at <= now:
            expired_on = formats.date_format(timezone.localtime(token.expires_at), "DATE_FORMAT")
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s: create a new one on your account page.") % {"date": expired_on}
            )
        # Written at most once a minute, and by a conditional UPDATE (no lock, no read back), so
        # that a busy integration does not write on every call.
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_PRECISION).update(last_used_at=now)
        user = token.user
        if (user.is_staff or user.is_superuser) and not token.staff_powers:
            user = demote(user)  # minted before this account joined the staff: a member's token
        return (user, token)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "members.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Personal token: `Token <key>` (create one on your account page).",
        }
