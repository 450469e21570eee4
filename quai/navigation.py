"""Member navigation: which conditional links a person sees, answered once and cached.

Each app's `visible_if` is a QuerySet; all of them are answered in ONE query (EXISTS subqueries),
then cached per person and local day (`quai.gencache`): the answers are dropped as soon as a model
that a link declared in `refresh_on` changes (subscriptions, enrolments, projects: rare writes).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists
from django.utils import timezone

from quai.gencache import Generation
from quai.registry import registry

links_generation = Generation("nav")


def refresh_links_on(model_labels) -> None:
    links_generation.watch(model_labels)


def _hidden(user, conditional) -> frozenset[str]:
    flags = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(**{f"link_{i}": Exists(link.visible_if(user)) for i, link in enumerate(conditional)})
        .values(*[f"link_{i}" for i in range(len(conditional))])
        .first()
        or {}
    )
    return frozenset(link.url_name for i, link in enumerate(conditional) if not flags.get(f"link_{i}"))


def member_links(user) -> list:
    links = [link for link in registry.member_links if link.visible is None or link.visible(user)]
    conditional = [link for link in links if link.visible_if is not None]
    if not conditional:
        return links
    hidden = links_generation.get_or_compute(
        f"{user.pk}:{timezone.localdate().isoformat()}", lambda: _hidden(user, conditional)
    )
    return [link for link in links if link.url_name not in hidden]
