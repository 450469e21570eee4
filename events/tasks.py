from celery import shared_task

from events import services


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def send_event_reminders() -> int:
    """Daily: remind confirmed participants of tomorrow's events (once each, through the outbox)."""
    return services.event_reminders_send()


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def send_feedback_requests() -> int:
    """Daily: ask yesterday's participants for their feedback (once each)."""
    return services.feedback_requests_send()
