from celery import shared_task


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def incubator_kpi_reminders() -> int:
    """Periodic: the quarterly KPI report reminder (each once per project, quarter and founder, by outbox key)."""
    from incubator.services import kpi_reminders_send

    return kpi_reminders_send()
