from coworking.models import Site

DEFAULT_SITE = {
    "slug": "ruche-saint-germain",
    "name": "la Ruche Saint-Germain",
    "address": "Le Quai des possibles, 78100 Saint-Germain-en-Laye",
}


def site_ensure_default() -> tuple[Site, bool]:
    """Create the deployment's first site if it does not exist yet (idempotent)."""
    return Site.objects.get_or_create(slug=DEFAULT_SITE["slug"], defaults=DEFAULT_SITE)
