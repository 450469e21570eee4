import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from members.models import User, normalize_email_address
from quai.outbox import outbox_enqueue_rendered
from quai.throttling import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        # Staff land on their back-office home once the second factor is done (a `next` still wins:
        # allauth only asks the adapter when there is none).
        if request.user.is_authenticated and request.user.is_staff:
            from django.urls import reverse

            return reverse("staff_home")
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request) -> str:
        # The same address as the API throttles (QUAI_NUM_PROXIES decides which X-Forwarded-For
        # entry is trusted); allauth's rate limits per "ip" count on it.
        return client_ip(request) or super().get_client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failed logins per IP and per "key", by default the e-mail alone: then
        # anyone who knows an address could lock its owner out with five wrong passwords. Keyed
        # per (IP, e-mail) instead, failures from one place never block the owner elsewhere; the
        # per-IP limit still stops one place from trying many accounts.
        return f"{self.get_client_ip(request)}:{super()._get_login_attempts_cache_key(request, **credentials)}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account e-mails (verification, reset, login codes) go through the outbox like all others."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        site = get_current_site(request)
        site.name = settings.QUAI_SITE_NAME  # "Bonjour de Le Quai des possibles", not of the host name
        ctx = {"request": request, "email": email, "current_site": site}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        outbox_enqueue_rendered(
            # Each account e-mail is a distinct event (a new code, a new link): a fresh key.
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            user=User.objects.filter(email=normalize_email_address(email)).first(),
        )

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        language = translation.get_language() or "fr"
        user.language = "en" if language.startswith("en") else "fr"
        if commit:
            user.save()
        return user
