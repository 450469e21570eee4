from celery import shared_task


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def fabrique_reminders() -> int:
    """Periodic: deliverable due in 3 days, overdue, session tomorrow (each reminder once, by outbox key)."""
    from fabrique.services import send_reminders

    return send_reminders()
