#!/usr/bin/env python
"""Faults on this machine, on a PostgreSQL cluster and a Redis of this script's own (never the shared ones).

Starts PostgreSQL 15 (initdb into a temporary folder, port 5434, trust on 127.0.0.1) and redis-server
(port 6390), prepares the demo city there, and runs gunicorn (production settings), a Celery worker and
beat against them. Then:

1. Redis stopped: public pages, the API and the admin still answer (from the database, slower); nothing
   is lost; when Redis returns, caching resumes.
2. The broker unreachable (Redis is the broker) while staff save records through the API and ask for
   report files: every save succeeds; the jobs run once the broker is back (the periodic job finds the
   reports still queued in the database and builds them).
3. PostgreSQL stopped and started again under load: /healthz answers 503 while it is down, the portal
   recovers without a restart, and no acknowledged write is lost.

Reports the figures as JSON; exit status 0 only when every expectation held.

    .venv/bin/python deploy/faults.py [--down-seconds 5] [--clients 8]
"""

import argparse
import datetime
import itertools
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg2
import stack

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT, REDIS_PORT, PORT = 5434, 6390, 8630
DATABASE = "kc_faults"
READS = ["/", "/programs/", "/pillars/society/", "/api/v1/programs/?limit=20", "/api/v1/indicators/", "/map/"]
FAULT_INDICATOR_ID = 900001  # fixed, so the writes can name it (the API names a relation by id); far past the demo's
FAULT_INDICATOR = f"""
from pillars.models import Agency, Indicator
Indicator.objects.create(pk={FAULT_INDICATOR_ID}, slug="faults", name_ind="Uji gangguan", unit="x",
                         publication="published", owner_agency=Agency.objects.order_by("pk").first())
"""


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Postgres:
    """A throwaway PostgreSQL cluster run as the postgres system user (PostgreSQL refuses root)."""

    def __init__(self, port: int):
        self.port = port
        self.data = Path(tempfile.mkdtemp(prefix="kota-faults-pg-"))
        shutil.chown(self.data, "postgres", "postgres")

    def ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=on"
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data / "db"), "-l", str(self.data / "log"), "-o", options]
        subprocess.run(["runuser", "-u", "postgres", "--", *command, *args], check=True, stdout=subprocess.DEVNULL)

    def create(self) -> None:
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data / "db"), "-U", "postgres", "--auth=trust"]
        subprocess.run(["runuser", "-u", "postgres", "--", *initdb], check=True, stdout=subprocess.DEVNULL)
        self.ctl("-w", "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "-w", "stop")  # a restart as an operator does it: sessions are cut off

    def start(self) -> None:
        self.ctl("-w", "start")

    def remove(self) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.data / "db"), "-m", "immediate"]
            + ["stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.data, ignore_errors=True)

    def query(self, sql: str) -> list[tuple]:
        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=DATABASE)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        finally:
            connection.close()


class Redis:
    """A redis-server of this script's own, without persistence: a restart comes back empty, like a new node."""

    def __init__(self, port: int, run: Path):
        self.port, self.run, self.process = port, run, None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        log = open(self.run / "redis.log", "a")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 10
        while not port_in_use(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        stack.stop(self.process)
        self.process = None


class Client:
    """HTTP calls against the portal, as anonymous or as the logged-in staff member."""

    def __init__(self, base: str, staff: dict[str, str]):
        self.base, self.staff = base, staff
        self.days = itertools.count(1)
        self.lock = threading.Lock()

    def read(self, path: str, *, as_staff: bool = False):
        headers = {"Accept": "application/json" if path.startswith("/api/") else "text/html"}
        return stack.fetch(self.base + path, headers=headers | (self.staff if as_staff else {}))

    def write_measurement(self) -> tuple[int, str]:
        """POST one measurement on a day no other write uses; (status, day)."""
        with self.lock:
            day = (datetime.date(1990, 1, 1) + datetime.timedelta(days=next(self.days))).isoformat()
        body = json.dumps({"indicator": FAULT_INDICATOR_ID, "measured_on": day, "value": "1"}).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json", **self.staff}
        return stack.fetch(f"{self.base}/api/v1/measurements/", data=body, headers=headers)[0], day

    def request_report(self, year: int) -> int:
        form = urllib.parse.urlencode({"year": year, "format": "xlsx"}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base, **self.staff}
        status, _, _ = stack.fetch(f"{self.base}/evaluations/exports/", data=form, headers=headers)
        return status


def timed_reads(client: Client, paths: list[str], *, as_staff: bool = False) -> dict:
    results = [client.read(path, as_staff=as_staff) for path in paths]
    return {
        "requests": len(results),
        "not_200": sum(status != 200 for status, _, _ in results),
        "mean_ms": round(1000 * sum(seconds for _, _, seconds in results) / len(results), 1),
    }


def cache_state(client: Client, path: str) -> str:
    """X-Cache of an anonymous GET just after the same GET filled the cache: hit, miss, or an error."""
    request = urllib.request.Request(client.base + path, headers={"Accept": "text/html"})
    try:
        urllib.request.urlopen(request, timeout=10).read()
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.headers.get("X-Cache", "none")
    except OSError as error:
        return f"error: {error}"


def redis_stopped(client: Client, redis: Redis) -> dict:
    pages = READS * 3
    before = timed_reads(client, pages)
    before_admin = timed_reads(client, ["/admin/", "/admin/pillars/program/"] * 3, as_staff=True)
    hit_before = cache_state(client, "/programs/")
    redis.stop()
    during = timed_reads(client, pages)
    during_admin = timed_reads(client, ["/admin/", "/admin/pillars/program/"] * 3, as_staff=True)
    health = json.loads(client.read("/healthz")[1] or b"{}")
    hit_during = cache_state(client, "/programs/")
    redis.start()
    back = time.monotonic()
    while cache_state(client, "/programs/") != "hit" and time.monotonic() - back < 30:
        time.sleep(0.2)
    return {
        "before": {"public_and_api": before, "admin": before_admin, "x_cache": hit_before},
        "redis_down": {"public_and_api": during, "admin": during_admin, "x_cache": hit_during, "healthz": health},
        "caching_resumed_after_s": round(time.monotonic() - back, 2),
        "ok": before["not_200"] == during["not_200"] == during_admin["not_200"] == 0
        and hit_before == "hit"
        and hit_during != "hit",
    }


def broker_unreachable(client: Client, redis: Redis, postgres: Postgres, writes: int, wait: float) -> dict:
    redis.stop()
    started = time.monotonic()
    saved = [client.write_measurement() for _ in range(writes)]
    reports = [client.request_report(year) for year in (2021, 2022, 2023)]
    save_seconds = time.monotonic() - started
    redis.start()
    back = time.monotonic()
    queued_sql = "select status, count(*) from evaluations_reportexport group by status order by status"
    states = dict(postgres.query(queued_sql))
    while states.get("done", 0) < len(reports) and time.monotonic() - back < wait:
        time.sleep(2)
        states = dict(postgres.query(queued_sql))
    days = {day for status, day in saved if status == 201}
    stored = {
        str(row[0])
        for row in postgres.query(
            "select measured_on from pillars_measurement m join pillars_indicator i on i.id = m.indicator_id "
            "where i.slug = 'faults'"
        )
    }
    return {
        "api_saves": len(saved),
        "api_saves_acknowledged": len(days),
        "api_saves_found_in_database": len(days & stored),
        "report_requests": len(reports),
        "report_requests_accepted": sum(status in (200, 302) for status in reports),
        "mean_save_ms_while_broker_away": round(1000 * save_seconds / (writes + len(reports)), 1),
        "reports_after_broker_back": states,
        "jobs_done_after_broker_back_s": round(time.monotonic() - back, 1),
        "ok": len(days) == writes
        and days <= stored
        and all(status in (200, 302) for status in reports)
        and states.get("done", 0) == len(reports),
    }


class Load:
    """Clients reading and writing while PostgreSQL goes away; every outcome is kept with its moment."""

    def __init__(self, client: Client, clients: int):
        self.client, self.clients = client, clients
        self.outcomes: list[tuple[float, float, int]] = []  # (start, end, status)
        self.health: list[tuple[float, int]] = []
        self.acknowledged: set[str] = set()
        self.lock = threading.Lock()
        self.stop_at = 0.0

    def worker(self, number: int) -> None:
        for step in itertools.count():
            if time.monotonic() >= self.stop_at:
                return
            start = time.monotonic()
            if step % 5 == 4:
                status, day = self.client.write_measurement()
                if status == 201:
                    with self.lock:
                        self.acknowledged.add(day)
            else:
                status = self.client.read(READS[(number + step) % len(READS)])[0]
            with self.lock:
                self.outcomes.append((start, time.monotonic(), status))

    def watch_health(self) -> None:
        while time.monotonic() < self.stop_at:
            self.health.append((time.monotonic(), self.client.read("/healthz")[0]))
            time.sleep(0.2)

    def run(self, seconds: float, fault) -> dict:
        self.stop_at = time.monotonic() + seconds
        threads = [threading.Thread(target=self.worker, args=(n,)) for n in range(self.clients)]
        threads.append(threading.Thread(target=self.watch_health))
        for thread in threads:
            thread.start()
        moments = fault()
        for thread in threads:
            thread.join()
        return moments


def postgres_restarted(client: Client, postgres: Postgres, clients: int, down: float) -> dict:
    load = Load(client, clients)

    def fault():
        time.sleep(5)
        stopped = time.monotonic()
        postgres.stop()
        time.sleep(down)
        postgres.start()
        return stopped, time.monotonic()

    stopped, started = load.run(5 + down + 15, fault)
    recovered = next((moment for moment, status in load.health if moment > started and status == 200), None)
    down_health = [status for moment, status in load.health if stopped + 0.5 < moment < started - 0.2]
    settled = recovered or started
    stored = {
        str(row[0])
        for row in postgres.query(
            "select measured_on from pillars_measurement m join pillars_indicator i on i.id = m.indicator_id "
            "where i.slug = 'faults'"
        )
    }
    lost = sorted(load.acknowledged - stored)

    def failures(after: float, before: float) -> int:
        return sum(status >= 500 for start, _, status in load.outcomes if after <= start < before)

    return {
        "clients": clients,
        "database_down_s": round(started - stopped, 1),
        "requests": len(load.outcomes),
        "failed_before_stop": sum(status >= 500 for _, end, status in load.outcomes if end < stopped),
        "failed_in_flight_at_stop": sum(
            status >= 500 for start, end, status in load.outcomes if start < stopped <= end
        ),
        "failed_while_down": failures(stopped, settled),
        "served_while_down": sum(
            status < 500 for start, _, status in load.outcomes if stopped + 0.5 <= start < started
        ),
        "failed_after_recovery": failures(settled, float("inf")),
        "healthz_while_down": {str(code): down_health.count(code) for code in sorted(set(down_health))},
        "recovered_after_start_s": round(recovered - started, 2) if recovered else None,
        "writes_acknowledged": len(load.acknowledged),
        "acknowledged_writes_lost": len(lost),
        "ok": bool(recovered)
        and down_health
        and set(down_health) == {503}
        and failures(settled, float("inf")) == 0
        and not lost,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--down-seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--writes", type=int, default=20, help="API saves while the broker is away")
    parser.add_argument("--job-wait", type=float, default=180, help="seconds to wait for the jobs to catch up")
    args = parser.parse_args()
    for port in (PG_PORT, REDIS_PORT, PORT):
        if port_in_use(port):
            sys.exit(f"port {port} is in use: this script starts its own services there")
    run = Path(tempfile.mkdtemp(prefix="kota-faults-"))
    postgres, redis = Postgres(PG_PORT), Redis(REDIS_PORT, run)
    processes = []
    try:
        postgres.create()
        redis.start()
        database_url = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}"
        portal = stack.Portal(
            env=stack.portal_env(run, database_url, f"redis://127.0.0.1:{REDIS_PORT}/0", AXES_FAILURE_LIMIT="1000"),
            run=run,
        )
        stack.prepare(portal, pg={"PGHOST": "127.0.0.1", "PGPORT": str(PG_PORT), "PGUSER": "postgres"})
        stack.manage(portal.env, "shell", "--no-imports", "-c", FAULT_INDICATOR)
        processes.append(stack.gunicorn(portal, PORT, workers=2))
        celery = [stack.PYTHON, "-m", "celery", "-A", "smartcity"]
        processes.append(stack.spawn(portal, "worker", *celery, "worker", "--concurrency=1", "--loglevel=INFO"))
        processes.append(stack.spawn(portal, "beat", *celery, "beat", f"--schedule={run / 'beat'}", "--loglevel=INFO"))
        base = f"http://127.0.0.1:{PORT}"
        client = Client(base, stack.staff_session(base, portal.user, portal.password))
        report = {
            "redis_stopped": redis_stopped(client, redis),
            "broker_unreachable_while_staff_save": broker_unreachable(
                client, redis, postgres, args.writes, args.job_wait
            ),
            "postgres_restarted_under_load": postgres_restarted(client, postgres, args.clients, args.down_seconds),
            "logs": str(run),
        }
        print(json.dumps(report, indent=2))
        return 0 if all(part["ok"] for part in report.values() if isinstance(part, dict)) else 1
    finally:
        stack.stop(*processes)
        redis.stop()
        postgres.remove()


if __name__ == "__main__":
    sys.exit(main())
