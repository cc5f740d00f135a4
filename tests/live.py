"""Run the portal as a separate process, the way a user or a load balancer meets it."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def portal_env(**overrides: str | None) -> dict[str, str]:
    """This process's environment with `overrides` applied; a value of None removes the variable."""
    env = dict(os.environ)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def served_database_url() -> str:
    """The URL of the database pytest-django made for this run (committed rows are visible to a served portal;
    the database named in DATABASE_URL need not even exist)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# A command's time limit; a machine shared by many test runs may need more (LIVE_COMMAND_TIMEOUT, in seconds).
COMMAND_TIMEOUT = int(os.environ.get("LIVE_COMMAND_TIMEOUT", "300"))


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@contextlib.contextmanager
def serve(env: dict[str, str], *, workers: int = 1, threads: int = 1, port: int | None = None):
    """Start the portal under gunicorn on `port` (a free one by default) and yield its base URL once a worker
    answers."""
    port = port or free_port()
    command = [sys.executable, "-m", "gunicorn", "smartcity.wsgi", "--bind", f"127.0.0.1:{port}"]
    # The log goes to a file: a pipe nobody reads fills up after 64 KB, and then every worker blocks on it.
    # LIVE_LOG_DIR keeps it (serve-<port>.log) for a failure to be read afterwards.
    log_dir = os.environ.get("LIVE_LOG_DIR")
    errors = open(Path(log_dir) / f"serve-{port}.log", "w+") if log_dir else tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [*command, "--workers", str(workers), "--threads", str(threads)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):  # until a worker answers (any status), at most about 15 s
            if process.poll() is not None:
                errors.seek(0)
                raise RuntimeError(errors.read())
            with contextlib.suppress(OSError):
                get(f"{base}/healthz")
                break
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()  # a graceful stop; a loaded machine may need longer than the test will wait
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        errors.close()
