from celery import shared_task
from django.utils import timezone

from quai import outbox
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


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def compute_impact(run_id: int | None = None) -> str:
    """Nightly (beat, no id) or asked by staff (the id of a queued run): write the impact snapshots.

    Harmless when run twice: the run is claimed by a conditional UPDATE, and the snapshots are
    upserted (unchanged figures are not rewritten).
    """
    from quai import impact

    if run_id is None:
        run, created = impact.impact_run_request(by=None, enqueue=False)
        if not created:
            return "already-running"
        run_id = run.pk
    return impact.impact_run_execute(run_id=run_id)
