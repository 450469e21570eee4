"""The project holder's next deadline on the home page."""

from django.utils import timezone

from fabrique.models import Deliverable, Enrolment


def programme_panel(user) -> dict | None:
    enrolment = (
        Enrolment.objects.filter(holder=user, cohort__end__gte=timezone.localdate()).select_related("cohort").order_by("cohort__start").first()
    )
    if enrolment is None:
        return None
    # The next deadline is the next deliverable still to hand in (not submitted, or sent back).
    next_deliverable = (
        enrolment.deliverables.filter(status__in=[Deliverable.Status.TODO, Deliverable.Status.CHANGES_REQUESTED])
        .order_by("due_on", "pk")
        .first()
    )
    return {"enrolment": enrolment, "next_deliverable": next_deliverable, "today": timezone.localdate()}
