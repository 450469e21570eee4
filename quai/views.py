from urllib.parse import urlencode

import redis
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.cache import cache
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from quai.models import AuditLog, OutboxMessage
from quai.permissions import StaffRequiredMixin
from quai.registry import home_panels_for


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # report, do not raise: this is the health page
        return f"error: {type(exc).__name__}"


def _check_redis() -> str:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


@never_cache
def healthz(request):
    """Liveness and readiness: 200 when PostgreSQL and Redis both answer, 503 otherwise."""
    checks = {"database": _check_database(), "redis": _check_redis()}
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    try:
        body["celery_heartbeat"] = cache.get("quai:heartbeat")
    except Exception:
        body["celery_heartbeat"] = None
    return JsonResponse(body, status=200 if healthy else 503)


def bench_floor(request):
    """The bare floor of `make bench`: a view doing one indexed query (primary-key lookup), no page."""
    exists = OutboxMessage.objects.filter(pk=1).exists()
    return JsonResponse({"ok": True, "exists": exists})


@login_required
def bench_page_floor(request):
    """The page floor of `make bench`: what any member's page costs before its own work.

    A logged-in member's page through the whole middleware stack (session, authentication, CSRF,
    locale, CSP), rendering base.html (header, navigation, language switch), with one indexed
    query of its own. Every page is measured as a ratio to it. A POST writes one row (an audit
    entry) and redirects, as a form does: the floor of the write throughput.
    """
    if request.method == "POST":
        with transaction.atomic():
            AuditLog.objects.create(actor=request.user, action="bench.page_floor", target_type="members.user", target_id=str(request.user.pk))
        return redirect("bench_page_floor")
    latest = OutboxMessage.objects.filter(pk=1).first()
    return render(request, "bench/page_floor.html", {"latest": latest})


def admin_login(request):
    """The Django admin has no login form of its own: a password alone must never open it.

    Anonymous visitors go through allauth's login (password, then the TOTP step), keeping `next`;
    staff arrive here only once their second factor is verified (quai.middleware), and go on.
    """
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url or reverse('admin:index')})}")
    if not request.user.is_staff:
        raise PermissionDenied(_("Your account has no access to the administration."))
    return redirect(next_url or reverse("admin:index"))


def home(request):
    """Members: what is next for them (bookings, events, membership, programme); visitors: the agenda."""
    return render(request, "home.html", {"panels": home_panels_for(request.user)})


class StaffHomeView(StaffRequiredMixin, TemplateView):
    """Where staff land: today's figures (each linking to its list) and impact (targets, trend, comparison).

    Queries: each app's "today" card (one each), outbox failures (1), the snapshots (1), the last
    impact run (1) — whatever the volume of data.
    """

    template_name = "quai/staff_home.html"

    def get_context_data(self, **kwargs):
        from django.urls import reverse
        from django.utils import timezone

        from quai.impact import impact_block
        from quai.models import ImpactRun
        from quai.registry import registry

        today = timezone.localdate()
        cards = []
        for card in registry.staff_cards:
            data = card.compute(today)
            url = data.get("url") or (reverse(card.url_name) if card.url_name else "")
            cards.append({"label": card.label, "value": data["value"], "detail": data.get("detail", ""), "url": url,
                          "detail_url": data.get("detail_url", "")})
        failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()
        cards.append({"label": _("Outbox failures"), "value": failed, "detail": "",
                      "url": reverse("admin:quai_outboxmessage_changelist") + "?status__exact=failed"})
        cards.append(_heartbeat_card())
        impact_html, computed_at = impact_block(today)
        return {
            **super().get_context_data(**kwargs),
            "today": today, "cards": cards, "impact_block": impact_html, "impact": {"computed_at": computed_at},
            "run": ImpactRun.objects.first(),
        }


def _heartbeat_card() -> dict:
    import datetime

    from django.utils import timezone
    from django.utils.dateparse import parse_datetime
    from django.utils.timesince import timesince

    try:
        stamp = cache.get("quai:heartbeat")
    except Exception:
        stamp = None
    beat = parse_datetime(stamp) if stamp else None
    if beat is None:
        return {"label": _("Background worker"), "value": _("no signal"), "url": "", "warning": True,
                "detail": _("No heartbeat received: is the Celery worker running? Reminders, e-mails and impact figures wait for it.")}
    late = timezone.now() - beat > datetime.timedelta(minutes=5)
    return {
        "label": _("Background worker"), "value": _("late") if late else _("running"),
        "detail": _("last heartbeat %(ago)s ago") % {"ago": timesince(beat)}, "url": "", "warning": late,
    }


def bad_request(request, exception=None):
    """handler400 (SuspiciousOperation, BadRequest, too many fields): the 400 page, with the site's layout."""
    return render(request, "400.html", {"message": _("The request could not be read. Reload the page and try again.")}, status=400)
