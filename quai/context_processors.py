from django.conf import settings

from quai.registry import registry


def quai(request):
    user = getattr(request, "user", None)
    member_links = []
    if user is not None and user.is_authenticated:
        member_links = [link for link in registry.member_links if link.visible is None or link.visible(user)]
    return {
        "QUAI_SITE_NAME": settings.QUAI_SITE_NAME,
        "staff_sections": registry.staff_sections if user is not None and user.is_staff else [],
        "member_links": member_links,
    }
