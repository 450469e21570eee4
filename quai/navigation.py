"""Member navigation: which conditional links a person sees.

Each app's `visible_if` is a QuerySet; all of them are answered in ONE query (EXISTS subqueries)
per page, whatever the number of apps. Not cached: the answer follows the data at once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists

from quai.registry import registry


def member_links(user) -> list:
    links = [link for link in registry.member_links if link.visible is None or link.visible(user)]
    conditional = [link for link in links if link.visible_if is not None]
    if not conditional:
        return links
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
