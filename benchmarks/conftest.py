"""Benchmarks (`make bench`), not timed tests: they print a table and never fail on a time.

Each benchmark belongs to a group; the summary at the end prints every median as a ratio to the
floor (a bare view doing one indexed query), so figures compare across machines.
"""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.bench)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    session = getattr(config, "_benchmarksession", None)
    if session is None or not session.benchmarks:
        return
    floor = next((b for b in session.benchmarks if b.name.startswith("test_floor")), None)
    terminalreporter.write_sep("=", "Quai benchmarks: median per call, and ratio to the floor")
    terminalreporter.write_line(f"{'benchmark':<60} {'median (ms)':>12} {'× floor':>9}")
    for bench in sorted(session.benchmarks, key=lambda b: b.name):
        median_ms = bench.stats.median * 1000
        ratio = bench.stats.median / floor.stats.median if floor else float("nan")
        terminalreporter.write_line(f"{bench.name:<60} {median_ms:>12.3f} {ratio:>9.2f}")
    extra = getattr(config, "_quai_extra_rows", [])
    if extra:
        terminalreporter.write_sep("-", "HTTP throughput (loopback)")
        terminalreporter.write_line(f"{'scenario':<60} {'req/s':>12} {'p95 (ms)':>9}")
        for name, rps, p95 in extra:
            terminalreporter.write_line(f"{name:<60} {rps:>12.1f} {p95:>9.1f}")


@pytest.fixture
def report_throughput(request):
    """Record an HTTP throughput row for the summary table: report_throughput(name, rps, p95_ms)."""
    rows = request.config.__dict__.setdefault("_quai_extra_rows", [])

    def add(name: str, rps: float, p95_ms: float) -> None:
        rows.append((name, rps, p95_ms))

    return add
