from celery import shared_task

from coworking import services


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def send_booking_reminders() -> int:
    """Daily: remind each member of tomorrow's bookings (once per booking, through the outbox)."""
    return services.booking_reminders_send()


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def release_no_shows() -> int:
    """Every few minutes: free desks not checked in after the site's release time."""
    return services.bookings_release_no_shows()
