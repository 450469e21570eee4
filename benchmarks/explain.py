"""The query plans of the hot queries, on the database DATABASE_URL points to (not a test).

    make manage ARGS="seed_demo --scale 1"     # or any scale
    .venv/bin/python -m benchmarks.explain    # same DATABASE_URL/REDIS_URL as make

Prints EXPLAIN (ANALYZE, BUFFERS) of: the day grid's bookings (must use
booking_resource_start_idx, the btree on (resource, lower(span))), and the staff member search
(must use profile_search_gin and user_search_gin).
"""

import datetime
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quai.settings")
    import django

    django.setup()
    from django.utils import timezone

    from coworking.models import Resource, Site
    from coworking.selectors import _active_bookings
    from coworking.time import PARIS, local_dt
    from members.selectors import member_list

    site = Site.objects.filter(is_active=True).order_by("pk").first()
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=1)
    ids = list(Resource.objects.filter(site=site, kind="desk", is_active=True).values_list("pk", flat=True))
    grid = _active_bookings(ids, local_dt(day, datetime.time(0)), local_dt(day + datetime.timedelta(days=1), datetime.time(0)))
    for title, queryset in (("grid: the day's bookings", grid), ("staff search: 'martin'", member_list(search="martin")[:50])):
        print(f"--- {title}\n{queryset.query}\n")
        print(queryset.explain(analyze=True, buffers=True), "\n")


if __name__ == "__main__":
    main()
