"""The member's membership on the home page."""

from django.utils import timezone

from members.models import Membership


def membership_panel(user) -> dict:
    today = timezone.localdate()
    membership = Membership.objects.filter(member=user).select_related("type").order_by("-ends_on").first()
    return {"membership": membership, "status": membership.status_on(today) if membership else None}
