"""Benchmarks (`make bench`), not timed tests: they print a table and never fail on a time.

Two floors, both served by the same stack: the *page floor* (`/bench/page-floor/`: a logged-in
member's page through every middleware, rendering base.html with one indexed query of its own) is
what any page costs before its own work, and every page is printed as a ratio to it; the *bare
floor* (`/bench/floor/`: one indexed query, no session, no template) stays as a second reference.
Pages are timed in alternating rounds with both floors (`paired_with_floor`), so all three see the
same machine state.
"""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.bench)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    session = getattr(config, "_benchmarksession", None)
    if session is not None and session.benchmarks:
        _benchmarks_table(terminalreporter, session)
    paired = getattr(config, "_quai_paired_rows", [])
    if paired:
        terminalreporter.write_sep("-", "Pages paired with the floors: rounds alternate bare floor, page floor and page (medians of per-round ratios)")
        terminalreporter.write_line(f"{'page':<60} {'median (ms)':>12} {'× page floor':>13} {'× bare floor':>13} {'queries':>8}")
        for name, median_ms, ratio, bare_ratio, queries in paired:
            terminalreporter.write_line(f"{name:<60} {median_ms:>12.2f} {ratio:>13.2f} {bare_ratio:>13.2f} {queries:>8}")
    _paired_growth(terminalreporter, [(row[0], row[1], row[2]) for row in paired])
    _impact_table(terminalreporter, getattr(config, "_quai_impact_rows", []))
    _table(terminalreporter, "Measured once", ("what", "value", "unit"), "{:.1f}", "{}", getattr(config, "_quai_facts", []))
    _table(terminalreporter, "HTTP throughput (loopback)",
           ("scenario", "req/s", "p95 (ms)"), "{:.1f}", "{:.1f}", getattr(config, "_quai_extra_rows", []))


def _benchmarks_table(terminalreporter, session) -> None:
    floor = next((b for b in session.benchmarks if b.name.startswith("test_floor")), None)
    terminalreporter.write_sep("=", "Quai benchmarks: median per call, and ratio to the floor")
    terminalreporter.write_line(f"{'benchmark':<60} {'median (ms)':>12} {'× floor':>9}  {'data':<20}")
    for bench in sorted(session.benchmarks, key=lambda b: b.name):
        median_ms = bench.stats.median * 1000
        ratio = bench.stats.median / floor.stats.median if floor else float("nan")
        data = ", ".join(f"{key} {value:,}".replace(",", " ") for key, value in sorted(bench.extra_info.items()))
        terminalreporter.write_line(f"{bench.name:<60} {median_ms:>12.3f} {ratio:>9.2f}  {data:<20}")
    # Growth: each benchmark measured at two volumes (`…_1_demo_volume[x]` / `…_2_grown_volume[x]`).
    by_name = {bench.name: bench for bench in session.benchmarks}
    pairs = [(name, name.replace("_1_demo_volume", "_2_grown_volume")) for name in by_name if "_1_demo_volume" in name]
    pairs = [(small, big) for small, big in pairs if big in by_name]
    if pairs:
        terminalreporter.write_sep("-", "Growth, unpaired: median at the grown volume ÷ at the demo volume (machine drift included)")
        for small, big in pairs:
            growth = by_name[big].stats.median / by_name[small].stats.median
            terminalreporter.write_line(f"{small.replace('_1_demo_volume', ''):<60} {growth:>12.2f}")


def _impact_table(terminalreporter, rows) -> None:
    """Each impact indicator (engine: its queryset and aggregate) against its hand-written SQL, paired rounds."""
    if not rows:
        return
    terminalreporter.write_sep("-", "Impact: engine vs hand-written SQL, paired rounds (medians; ratios = medians of per-round ratios)")
    # "in execute": time inside cursor.execute, each side (the query at the server and the round
    # trip); the rest is Python (the engine: building and compiling the queryset, reading the result).
    terminalreporter.write_line(f"{'indicator (window)':<60} {'engine (ms)':>12} {'SQL (ms)':>9} {'× SQL':>7} "
                                f"{'engine in execute':>18} {'SQL in execute':>15} {'× in execute':>13}")
    for name, orm_ms, sql_ms, ratio, db_ms, sql_db_ms, db_ratio in rows:
        terminalreporter.write_line(f"{name:<60} {orm_ms:>12.2f} {sql_ms:>9.2f} {ratio:>7.2f} {db_ms:>18.2f} {sql_db_ms:>15.2f} {db_ratio:>13.2f}")


def _paired_growth(terminalreporter, paired) -> None:
    """Growth with the machine's drift taken out: (page ÷ page floor) at the last volume measured ÷
    (page ÷ page floor) at the first, for each page paired at two volumes ("grid desks (N bookings)")."""
    by_page: dict[str, list[float]] = {}
    for name, _median, ratio in paired:
        by_page.setdefault(name.split(" (")[0], []).append(ratio)
    rows = [(page, ratios[0], ratios[-1] / ratios[0]) for page, ratios in by_page.items() if len(ratios) > 1]
    _table(terminalreporter, "Growth, paired: (page ÷ page floor) at the grown volume ÷ (page ÷ page floor) at the demo volume",
           ("page", "× page floor", "growth"), "{:.2f}", "{:.2f}", rows)


def _table(terminalreporter, title, header, first_format, second_format, rows) -> None:
    if not rows:
        return
    terminalreporter.write_sep("-", title)
    terminalreporter.write_line(f"{header[0]:<60} {header[1]:>12} {header[2]:>9}")
    for name, first, second in rows:
        terminalreporter.write_line(f"{name:<60} {first_format.format(first):>12} {second_format.format(second):>9}")


@pytest.fixture
def report_throughput(request):
    """Record an HTTP throughput row for the summary table: report_throughput(name, rps, p95_ms)."""
    rows = request.config.__dict__.setdefault("_quai_extra_rows", [])

    def add(name: str, rps: float, p95_ms: float) -> None:
        rows.append((name, rps, p95_ms))

    return add


@pytest.fixture
def report_fact(request):
    """Record a figure measured once (seeding time, memory): report_fact(what, value, unit)."""
    rows = request.config.__dict__.setdefault("_quai_facts", [])

    def add(what: str, value: float, unit: str) -> None:
        rows.append((what, value, unit))

    return add


def floor_client():
    """A logged-in member (no plan, no project) for the page floor, created once."""
    from django.test import Client

    from members.models import User

    user, _ = User.objects.get_or_create(email="bench-floor@example.org", defaults={"first_name": "Plancher"})
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def paired_with_floor(request):
    """Time a page against both floors in alternating rounds, so all see the same machine state
    (on a shared 2-core machine, two benchmarks run a minute apart can differ by 2× on their own).
    Records (name, median ms, × page floor, × bare floor, queries) for the summary; returns the
    ratio to the page floor. `queries` is the number of SQL queries of one warm request."""
    import statistics
    import time

    from django.db import connection
    from django.test import Client

    rows = request.config.__dict__.setdefault("_quai_paired_rows", [])

    def run(name: str, page_client, url: str, rounds: int = 100) -> float:
        bare, floor = Client(), floor_client()
        for _ in range(10):
            bare.get("/bench/floor/")
            floor.get("/bench/page-floor/")
            page_client.get(url)
        queries = []
        with connection.execute_wrapper(lambda execute, sql, params, many, context: queries.append(sql) or execute(sql, params, many, context)):
            assert page_client.get(url).status_code == 200
        bares, floors, pages = [], [], []
        for _ in range(rounds):
            started = time.perf_counter()
            bare.get("/bench/floor/")
            bares.append(time.perf_counter() - started)
            started = time.perf_counter()
            floor.get("/bench/page-floor/")
            floors.append(time.perf_counter() - started)
            started = time.perf_counter()
            response = page_client.get(url)
            pages.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        ratio = statistics.median(page / floor for page, floor in zip(pages, floors))
        bare_ratio = statistics.median(page / floor for page, floor in zip(pages, bares))
        rows.append((name, statistics.median(pages) * 1000, ratio, bare_ratio, len(queries)))
        return ratio

    return run
