from django.conf import settings
from django.utils.functional import SimpleLazyObject

from quai.navigation import member_links
from quai.registry import registry
from quai.staff_nav import staff_navigation


def quai(request):
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return {
        "QUAI_SITE_NAME": settings.QUAI_SITE_NAME,
        "staff_sections": registry.staff_sections if authenticated and user.is_staff else [],
        # Lazy: a response that never renders the navigation (JSON, files) pays nothing.
        "member_links": SimpleLazyObject(lambda: member_links(user)) if authenticated else [],
        # The side navigation of staff_base.html (no query: the registry and the URL resolver).
        "staff_nav": SimpleLazyObject(lambda: staff_navigation(request.get_full_path())) if authenticated and user.is_staff else [],
    }
