from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists
from django.utils.functional import SimpleLazyObject

from quai.registry import registry


def _member_links(user) -> list:
    links = [link for link in registry.member_links if link.visible is None or link.visible(user)]
    conditional = [link for link in links if link.visible_if is not None]
    if not conditional:
        return links
    # One query answers every link's condition (EXISTS subqueries), however many apps add links.
    flags = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(**{f"link_{i}": Exists(link.visible_if(user)) for i, link in enumerate(conditional)})
        .values(*[f"link_{i}" for i in range(len(conditional))])
        .first()
        or {}
    )
    hidden = {link.url_name for i, link in enumerate(conditional) if not flags.get(f"link_{i}")}
    return [link for link in links if link.url_name not in hidden]


def quai(request):
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return {
        "QUAI_SITE_NAME": settings.QUAI_SITE_NAME,
        "staff_sections": registry.staff_sections if authenticated and user.is_staff else [],
        # Lazy: a response that never renders the navigation (JSON, files) pays nothing.
        "member_links": SimpleLazyObject(lambda: _member_links(user)) if authenticated else [],
    }
