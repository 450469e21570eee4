from celery import shared_task
from django.utils import timezone

from quai import outbox
from quai.impact import compute_impact  # noqa: F401  (defined beside the impact runs it executes)
from quai.outbox import deliver_outbox_message  # noqa: F401  (defined beside the outbox it delivers)


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def outbox_sweep() -> int:
    """Periodic: deliver messages that were written while the broker was down, or that failed."""
    return outbox.outbox_sweep()


@shared_task(acks_late=True, time_limit=30, soft_time_limit=25)
def heartbeat() -> str:
    """Periodic: proves beat → Redis → worker works end to end; /healthz shows when it last ran."""
    from django.core.cache import cache

    stamp = timezone.now().isoformat()
    cache.set("quai:heartbeat", stamp, timeout=None)
    return stamp
