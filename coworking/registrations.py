"""What `coworking` contributes to the shared registries."""

from quai.registry import Seeder, register_seeder


def _seed_site(*, scale, rng, stdout):
    from coworking.services import site_ensure_default

    site_ensure_default()


register_seeder(Seeder(name="coworking.site", func=_seed_site, order=20))
