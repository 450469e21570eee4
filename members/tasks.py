from celery import shared_task

from members import services


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def send_membership_reminders() -> int:
    """Daily: expiry reminders 30 and 7 days before, and on expiry (each once, through the outbox)."""
    return services.membership_reminders_send()


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def flag_inactive_members() -> int:
    return services.members_flag_inactive()
