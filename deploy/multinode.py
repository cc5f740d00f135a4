#!/usr/bin/env python
"""Two portal nodes behind nginx on this machine's loopback, one killed under load.

Brings up nginx (Debian package) in front of two gunicorn nodes, a Celery worker and beat, all on
the same PostgreSQL and Redis; checks that a login survives moving between nodes; drives reads and
writes through nginx; kills one node mid-load; and reports requests sent and failed, and writes
acknowledged against writes found in the database.

Each request is judged by when it *started*: one that started before nginx could have noticed the dead node
(in flight on it, or sent in the second after the kill) may fail, and is reported apart; one that started after
must not. A write that failed (a 502 from nginx, or no answer) may still have been committed by the killed node
before it died: those are reported as committed-but-unacknowledged, found by their natural key (the day), and
are no failure; nginx does not resend them (deploy/nginx-multinode.conf), so none is written twice. Exit status
0 only when no request started after the notice failed and no acknowledged write is missing.

    .venv/bin/python deploy/multinode.py [--seconds 20] [--clients 12] [--request-timeout 10]
                                         [--start-timeout 120] [--notice-seconds 1]

Every option also reads an environment variable (MULTINODE_SECONDS, MULTINODE_CLIENTS,
MULTINODE_REQUEST_TIMEOUT, MULTINODE_START_TIMEOUT, MULTINODE_NOTICE_SECONDS): a loaded machine needs longer.
"""

import argparse
import base64
import datetime
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT, PORT_A, PORT_B = 8400, 8401, 8402
DATABASE = "kc_multinode"
USER, PASSWORD = "loadtester", secrets.token_urlsafe(12)
INDICATOR_ID = 900001  # fixed, so the writes can name it (the API names a relation by id); far past the demo's
READS = [
    "/",
    "/en/",
    "/programs/",
    "/pillars/society/",
    "/api/v1/programs/?limit=20",
    "/api/v1/indicators/",
    "/map/",
    "/api/v1/assets/geojson/",
]


def environment(run: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": "redis://127.0.0.1:6379/5",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_STATIC_ROOT": str(run / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_WORKERS": "2",
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(env):
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    script = (
        "from django.contrib.auth.models import User, Permission; from pillars.models import Indicator, Agency;"
        f"u = User.objects.create_user({USER!r}, password={PASSWORD!r}, is_staff=True, is_superuser=True);"
        f"Indicator.objects.create(pk={INDICATOR_ID}, slug='multinode', name_ind='Uji multinode', unit='x',"
        " publication='published', owner_agency=Agency.objects.first())"
    )
    manage(env, "shell", "-c", script)


def start(env, run: Path, start_timeout: float) -> dict[str, subprocess.Popen]:
    def spawn(name, *command):
        log = open(run / f"{name}.log", "w")  # noqa: SIM115 - closed with the process at the end
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)

    processes = {
        "node-a": spawn(
            "node-a", PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{PORT_A}", "smartcity.wsgi"
        ),
        "node-b": spawn(
            "node-b", PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{PORT_B}", "smartcity.wsgi"
        ),
        "worker": spawn(
            "worker", PYTHON, "-m", "celery", "-A", "smartcity", "worker", "--concurrency=1", "--loglevel=WARNING"
        ),
        "beat": spawn(
            "beat",
            PYTHON,
            "-m",
            "celery",
            "-A",
            "smartcity",
            "beat",
            "--loglevel=WARNING",
            f"--schedule={run / 'beat-schedule'}",
        ),
    }
    config = (ROOT / "deploy" / "nginx-multinode.conf").read_text()
    for key, value in {"run": run, "port": PORT, "port_a": PORT_A, "port_b": PORT_B}.items():
        config = config.replace(f"{{{key}}}", str(value))
    (run / "nginx.conf").write_text(config)
    subprocess.run(["nginx", "-c", str(run / "nginx.conf"), "-p", str(run)], check=True)
    for port in (PORT_A, PORT_B, PORT):
        wait_for(f"http://127.0.0.1:{port}/healthz", start_timeout)
    return processes


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def session_moves_between_nodes() -> dict:
    """Log in through nginx, then see the admin as that user on both nodes."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{PORT}"
    page = opener.open(f"{base}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/admin/"}
    ).encode()
    request = urllib.request.Request(f"{base}/admin/login/", data=form, headers={"Referer": f"{base}/admin/login/"})
    opener.open(request).read()
    upstreams, logged_in = set(), 0
    for _ in range(6):
        response = opener.open(f"{base}/admin/")
        upstreams.add(response.headers.get("X-Upstream"))
        logged_in += USER in response.read().decode()
    return {"nodes_seen": sorted(upstreams), "admin_pages_as_logged_in_user": f"{logged_in}/6"}


class Load:
    """Clients reading pages and writing measurements through nginx, counting every outcome by the time the
    request started (see the module)."""

    def __init__(self, clients: int, seconds: float, *, request_timeout: float = 10, notice_seconds: float = 1.0):
        self.clients, self.seconds = clients, seconds
        self.request_timeout, self.notice_seconds = request_timeout, notice_seconds
        self.base = f"http://127.0.0.1:{PORT}"  # nginx
        self.lock = threading.Lock()
        self.counts = {
            "sent": 0,
            "failed": 0,
            "failed_started_before_notice": 0,  # in flight on the killed node, or sent before nginx knew
            "failed_started_after_notice": 0,  # must be 0
            "writes_sent": 0,
            "writes_acknowledged": 0,
            "writes_unacknowledged": 0,  # a 5xx or no answer: maybe committed, maybe not
            "writes_rejected_as_repeat": 0,
        }
        self.acknowledged_days: set[str] = set()
        self.unacknowledged_days: set[str] = set()
        self.next_day = 0
        self.notice_at = None  # when nginx should have noticed the dead node

    def day(self) -> str:
        with self.lock:
            self.next_day += 1
            return (datetime.date(1990, 1, 1) + datetime.timedelta(days=self.next_day)).isoformat()

    def call(self, path, body=None, key=None):
        headers = {"Accept": "application/json"}
        if body is not None:
            headers |= {
                "Content-Type": "application/json",
                "Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
                "Idempotency-Key": key,
            }
        request = urllib.request.Request(f"{self.base}{path}", data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.request_timeout) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 599

    def write(self):
        day = self.day()
        body = json.dumps({"indicator": INDICATOR_ID, "measured_on": day, "value": "1"}).encode()
        status = self.call("/api/v1/measurements/", body, key=f"multinode-{day}")
        with self.lock:
            self.counts["writes_sent"] += 1
            if status == 201:
                self.counts["writes_acknowledged"] += 1
                self.acknowledged_days.add(day)
            elif status >= 500:
                self.counts["writes_unacknowledged"] += 1
                self.unacknowledged_days.add(day)
            elif status == 400:
                self.counts["writes_rejected_as_repeat"] += 1
        return status

    def client(self, number, stop_at):
        step = 0
        while time.monotonic() < stop_at:
            step += 1
            started = time.monotonic()
            status = self.write() if step % 5 == 0 else self.call(READS[(number + step) % len(READS)])  # 1 in 5
            with self.lock:
                self.counts["sent"] += 1
                if status >= 500:
                    self.counts["failed"] += 1
                    after = self.notice_at is not None and started > self.notice_at
                    self.counts["failed_started_after_notice" if after else "failed_started_before_notice"] += 1

    def run(self, kill):
        stop_at = time.monotonic() + self.seconds
        threads = [threading.Thread(target=self.client, args=(n, stop_at)) for n in range(self.clients)]
        for thread in threads:
            thread.start()
        time.sleep(self.seconds / 3)
        kill()
        self.notice_at = time.monotonic() + self.notice_seconds  # nginx marks a node failed on its first refusal
        for thread in threads:
            thread.join()


def stored_days(env) -> set[str]:
    script = (
        "import json; from pillars.models import Measurement; print(json.dumps([str(d) for d in "
        "Measurement.objects.filter(indicator__slug='multinode').values_list('measured_on', flat=True)]))"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def options():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    env = os.environ.get
    parser.add_argument("--seconds", type=float, default=float(env("MULTINODE_SECONDS", "20")))
    parser.add_argument("--clients", type=int, default=int(env("MULTINODE_CLIENTS", "12")))
    parser.add_argument("--request-timeout", type=float, default=float(env("MULTINODE_REQUEST_TIMEOUT", "10")))
    parser.add_argument("--start-timeout", type=float, default=float(env("MULTINODE_START_TIMEOUT", "120")))
    parser.add_argument("--notice-seconds", type=float, default=float(env("MULTINODE_NOTICE_SECONDS", "1")))
    return parser.parse_args()


def judge(load: Load, found: set[str], session: dict, args) -> tuple[dict, bool]:
    lost = sorted(load.acknowledged_days - found)
    committed_unacknowledged = sorted(load.unacknowledged_days & found)
    report = {
        "session": session,
        "load": load.counts,
        "writes_found": len(found),
        "acknowledged_writes_lost": len(lost),
        "lost_sample": lost[:5],
        "committed_but_unacknowledged": len(committed_unacknowledged),  # not a failure: the node died after commit
        "committed_but_unacknowledged_sample": committed_unacknowledged[:5],
        "unacknowledged_not_written": len(load.unacknowledged_days - found),
        "seconds": args.seconds,
        "clients": args.clients,
        "request_timeout": args.request_timeout,
    }
    ok = (
        not lost
        and load.counts["failed_started_after_notice"] == 0
        and session["admin_pages_as_logged_in_user"] == "6/6"
    )
    return report, ok


def main():
    args = options()
    if not shutil.which("nginx"):
        sys.exit("nginx is not installed: apt-get install nginx-light")
    run = Path(tempfile.mkdtemp(prefix="kota-multinode-"))
    env = environment(run)
    processes = {}
    try:
        prepare(env)
        processes = start(env, run, args.start_timeout)
        session = session_moves_between_nodes()
        load = Load(
            args.clients, args.seconds, request_timeout=args.request_timeout, notice_seconds=args.notice_seconds
        )
        load.run(kill=lambda: os.killpg(processes["node-a"].pid, signal.SIGKILL))
        report, ok = judge(load, stored_days(env), session, args)
        print(json.dumps(report, indent=2))
        return 0 if ok else 1
    finally:
        subprocess.run(
            ["nginx", "-c", str(run / "nginx.conf"), "-p", str(run), "-s", "stop"],
            stderr=subprocess.DEVNULL,
            check=False,
        )
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)


if __name__ == "__main__":
    sys.exit(main())
