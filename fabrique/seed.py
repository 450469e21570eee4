def seed_fabrique(*, scale, rng, stdout):
    pass
