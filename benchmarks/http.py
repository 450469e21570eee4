"""Real HTTP load on loopback against gunicorn (2 workers), for throughput figures in `make bench`."""

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.db import connection

BASE = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(**extra_env: str) -> dict:
    """The environment of a server process on the test database (the one pytest-django created)."""
    db = connection.settings_dict
    env = dict(os.environ)
    host = db["HOST"] or ""
    env["DATABASE_URL"] = (
        f"postgresql://{db['USER']}@{host.replace('/', '%2F')}"
        + (f":{db['PORT']}" if db.get("PORT") else "")
        + f"/{db['NAME']}"
    )
    env["QUAI_ENV"] = "development"
    env["LOG_LEVEL"] = "WARNING"
    env.update(extra_env)
    return env


@contextlib.contextmanager
def celery_worker(queue: str | None = None):
    """A Celery worker as in production (prefork, 1 child) on the bench's Redis and test database,
    on `queue` when given; yields its process once it answers a ping."""
    command = [str(Path(sys.executable).parent / "celery"), "-A", "quai", "worker", "--concurrency", "1", "--loglevel", "WARNING"]
    proc = subprocess.Popen(command + (["-Q", queue] if queue else []), cwd=BASE, env=_server_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        from quai.celery import app

        for _ in range(60):
            if app.control.ping(timeout=1):
                break
            time.sleep(0.5)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=60)


@contextlib.contextmanager
def gunicorn(workers: int = 2, **extra_env: str):
    """Serve the test database (the one pytest-django created) with gunicorn on a free port;
    yields its URL (the master's pid is `gunicorn.pid` meanwhile)."""
    port = _free_port()
    env = _server_env(**extra_env)
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "quai.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(workers), "--log-level", "warning"],
        cwd=BASE, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    gunicorn.pid = proc.pid
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def measure(request_factory, *, total: int = 400, concurrency: int = 8) -> tuple[float, float]:
    """Fire `total` requests (request_factory(i) -> urllib Request) over `concurrency` threads.

    Returns (requests per second, p95 latency in ms). Non-2xx answers count as requests too:
    a benchmark of refusals (409) is legitimate; redirects (a form's 302) are not followed.
    """
    latencies: list[float] = []
    opener = urllib.request.build_opener(_NoRedirect)  # a redirect is an answer: not followed

    def one(i: int) -> None:
        started = time.perf_counter()
        try:
            with opener.open(request_factory(i), timeout=30) as response:
                response.read()
        except urllib.error.HTTPError as error:
            error.read()
        latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(total)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return total / elapsed, latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")


def median(values):
    return statistics.median(values)


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU time each of these processes has used so far, in seconds (Linux /proc);
    processes gone already are left out."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime and stime, fields 14 and 15
    return used


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []
