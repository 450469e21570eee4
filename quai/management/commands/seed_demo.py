import random
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from quai.registry import registry

# Any constant: two seed_demo runs started at once wait for each other instead of racing.
SEED_LOCK_ID = 72_17_0001


class Command(BaseCommand):
    help = (
        "Load realistic French demo data for every app (idempotent: a second run adds nothing). "
        "--scale N multiplies volumes for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="volume multiplier (default 1)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")

    def handle(self, *args, scale, seed, quiet_logins, **options):
        if scale < 1:
            scale = 1
        rng = random.Random(seed)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [SEED_LOCK_ID])
        try:
            for seeder in registry.seeders:
                started = time.perf_counter()
                if seeder.own_transactions:
                    seeder.func(scale=scale, rng=rng, stdout=self.stdout)
                else:
                    with transaction.atomic():
                        seeder.func(scale=scale, rng=rng, stdout=self.stdout)
                self.stdout.write(f"seed_demo: {seeder.name} ({time.perf_counter() - started:.1f} s)")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SEED_LOCK_ID])
        if not quiet_logins:
            print_demo_logins(self.stdout)


def print_demo_logins(stdout) -> None:
    for seeder in registry.seeders:
        if seeder.report is not None:
            seeder.report(stdout)
