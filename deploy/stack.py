"""The portal as production runs it, on this machine's loopback, for deploy/fuzz.py, load.py and faults.py:
a fresh database with the demo city, a superuser and a partner API key, and gunicorn with the production
settings (DEBUG off, PostgreSQL, Redis)."""

import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_ONLY = {"DJANGO_DEBUG", "DJANGO_STATICFILES_STORAGE", "PUBLIC_CACHE_SECONDS", "DJANGO_READ_DOT_ENV_FILE"}
PYTHON = sys.executable
# How long one manage.py step of a rehearsal may take (seconds; 0: no limit). collectstatic compresses every file
# with Brotli and gzip, which on a loaded machine takes well past ten minutes: it has its own, unlimited by default.
MANAGE_TIMEOUT = float(os.environ.get("STACK_MANAGE_TIMEOUT", "1800")) or None
COLLECTSTATIC_TIMEOUT = float(os.environ.get("STACK_COLLECTSTATIC_TIMEOUT", "0")) or None

CREDENTIALS = """
import json
from django.contrib.auth.models import User
from partnerships.models import Partner, PartnerAPIKey
User.objects.create_superuser({user!r}, "ops@example.org", {password!r})
partner = Partner.objects.order_by("pk").first()
_, key = PartnerAPIKey.objects.create_key(name="ops run", partner=partner)
print(json.dumps({{"api_key": key, "partner": partner.pk}}))
"""


@dataclass
class Portal:
    env: dict[str, str]
    run: Path
    user: str = "ops"
    password: str = ""
    api_key: str = ""


def portal_env(run: Path, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The production environment: only what a real deployment would set, plus loopback-only cookies."""
    inherited = {name: value for name, value in os.environ.items() if name not in DEVELOPMENT_ONLY}
    return {
        **inherited,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_COOKIES": "false",  # plain HTTP on loopback
        "DJANGO_STATIC_ROOT": str(run / "static"),
        "DJANGO_VAR_DIR": str(run),
        "DJANGO_MEDIA_ROOT": str(run / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(run / "private"),
        "DJANGO_OPEN_DATA_ROOT": str(run / "open-data"),
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(env: dict[str, str], *args: str, timeout: float | None = MANAGE_TIMEOUT) -> str:
    try:
        done = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as error:
        limit = "STACK_COLLECTSTATIC_TIMEOUT" if args[:1] == ("collectstatic",) else "STACK_MANAGE_TIMEOUT"
        raise RuntimeError(f"manage.py {' '.join(args)} took more than {timeout:.0f} s (raise {limit})") from error
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(portal: Portal, *, pg: dict[str, str] | None) -> None:
    """A fresh database (dropped if left over) with migrations, the demo city, static files and credentials.
    `pg` holds the PG* variables that reach the server as a superuser; None for the first look's SQLite
    file, which migrate creates in the run's own folder."""
    if pg is not None:
        env = {**os.environ, **pg}
        name = portal.env["DATABASE_URL"].rsplit("/", 1)[1]
        subprocess.run(["dropdb", "--if-exists", "--force", name], env=env, check=True)
        subprocess.run(["createdb", name], env=env, check=True)
    manage(portal.env, "migrate", "--noinput")
    manage(portal.env, "load_demo")
    manage(portal.env, "collectstatic", "--noinput", timeout=COLLECTSTATIC_TIMEOUT)
    portal.password = secrets.token_urlsafe(16)
    script = CREDENTIALS.format(user=portal.user, password=portal.password)
    out = manage(portal.env, "shell", "--no-imports", "-c", script)
    portal.api_key = json.loads(out.strip().splitlines()[-1])["api_key"]


def spawn(portal: Portal, name: str, *command: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    log = open(portal.run / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, cwd=ROOT, env=env or portal.env, stdout=log, stderr=log, start_new_session=True)


def gunicorn(portal: Portal, port: int, *, workers: int | None = None, name: str = "gunicorn") -> subprocess.Popen:
    """gunicorn with the project's gunicorn.conf.py (its worker count unless `workers` is given)."""
    env = portal.env | ({"GUNICORN_WORKERS": str(workers)} if workers else {})
    command = [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}", "smartcity.wsgi"]
    process = spawn(portal, name, *command, env=env)
    wait_for(f"http://127.0.0.1:{port}/healthz", process=process)
    return process


def wait_for(url: str, seconds: float = 60, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process for {url} exited with {process.returncode}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=2).read()
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def stop(*processes: subprocess.Popen) -> None:
    """Stop the process groups this run started (and only those)."""
    for process in processes:
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        if process is not None:
            try:
                process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def fetch(url: str, *, data: bytes | None = None, headers: dict | None = None, timeout: float = 10):
    """(status, body, seconds): 599 when no HTTP answer came at all."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started
    except OSError:
        return 599, b"", time.monotonic() - started


def staff_session(base: str, user: str, password: str) -> dict[str, str]:
    """Log in through the admin's login form; the headers a browser then sends (session cookie, CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": user, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
    request = urllib.request.Request(
        f"{base}/admin/login/", data=urllib.parse.urlencode(form).encode(), headers={"Referer": f"{base}/admin/"}
    )
    opener.open(request).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("the staff login did not succeed")
    return {
        "Cookie": f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}",
        "X-CSRFToken": cookies["csrftoken"],
    }
