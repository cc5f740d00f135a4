#!/usr/bin/env python
"""Load on the portal as production runs it: wrk against gunicorn (gunicorn.conf.py, DEBUG off, PostgreSQL,
Redis with the public cache on), anonymous GETs rotating over the public pages and the API.

Prepares a fresh database with the demo city, checks that every path answers 200, then runs wrk once
(64 connections, 60 seconds by default) and reports requests per second, p50/p90/p99 latency and errors
as JSON. Exit status 0 only when no request failed (socket errors, timeouts, or a status other than 2xx/3xx).

    .venv/bin/python deploy/load.py [--connections 64] [--seconds 60]

The per-address API throttle (API_ANONYMOUS_RATE, 300/minute) is lifted for the run: every request comes
from 127.0.0.1, and the point is what the portal serves, not how fast one address is refused.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import stack

PORT = 8620
PATHS = [
    "/",
    "/en/",
    "/programs/",
    "/programs/{program}/",
    "/pillars/society/",
    "/indicators/",
    "/services/",
    "/map/",
    "/partnerships/",
    "/partnerships/partners/",
    "/evaluations/",
    "/api/v1/programs/?limit=20",
    "/api/v1/programs/{program}/",
    "/api/v1/indicators/",
    "/api/v1/measurements/?limit=50",
    "/api/v1/pillars/",
    "/api/v1/mous/",
    "/api/v1/partners/",
    "/api/v1/services/",
    "/api/v1/assets/geojson/",
]
# wrk: each connection walks the path list from its own starting point; done() prints one JSON line.
WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
function setup(thread) thread:set("offset", math.random(#paths)) end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[((counter + (offset or 0)) %% #paths) + 1], {["Accept-Language"] = "id"})
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "max_us": %%d, ' ..
    '"connect_errors": %%d, "read_errors": %%d, "write_errors": %%d, "timeouts": %%d, "bad_status": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
"""


def expand(paths: list[str], base: str) -> list[str]:
    status, body, _ = stack.fetch(f"{base}/api/v1/programs/?limit=1", headers={"Accept": "application/json"})
    program = json.loads(body)["results"][0]["slug"]
    return [path.format(program=program) for path in paths]


def check_paths(base: str, paths: list[str]) -> list[str]:
    """Every path answers 200 before the run (this also fills the public cache, as real traffic would)."""
    return [f"{path}: {status}" for path in paths if (status := stack.fetch(base + path)[0]) != 200]


def run_wrk(base: str, paths: list[str], connections: int, seconds: int, run: Path) -> dict:
    script = run / "load.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(path) for path in paths)})
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), base]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    figures = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    errors = sum(figures[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts", "bad_status"))
    return {
        "requests": figures["requests"],
        "requests_per_second": round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
        "latency_ms": {name: round(figures[f"{name}_us"] / 1000, 1) for name in ("p50", "p90", "p99", "max")},
        "errors": errors,
        "error_detail": {key: figures[key] for key in figures if key.endswith(("errors", "timeouts", "status"))},
        "wrk_output": out.strip().splitlines()[:12],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database", default="kc_load", help="dropped and created afresh on the server below")
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", default="5432")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    run = Path(tempfile.mkdtemp(prefix="kota-load-"))
    database_url = f"postgres://postgres@{args.pg_host}:{args.pg_port}/{args.database}"
    portal = stack.Portal(
        env=stack.portal_env(run, database_url, args.redis_url, API_ANONYMOUS_RATE="1000000/minute"), run=run
    )
    server = None
    try:
        stack.prepare(portal, pg={"PGHOST": args.pg_host, "PGPORT": args.pg_port, "PGUSER": "postgres"})
        server = stack.gunicorn(portal, args.port)
        base = f"http://127.0.0.1:{args.port}"
        paths = expand(PATHS, base)
        failing = check_paths(base, paths)
        if failing:
            print(json.dumps({"paths_not_200": failing}, indent=2))
            return 1
        report = {
            "connections": args.connections,
            "seconds": args.seconds,
            "gunicorn_workers": "gunicorn.conf.py default (2 x cores + 1)",
            "paths": paths,
            **run_wrk(base, paths, args.connections, args.seconds, run),
            "server_errors_logged": (run / "gunicorn.log").read_text().count('"status": 5'),
        }
        print(json.dumps(report, indent=2))
        return 0 if report["errors"] == 0 and report["server_errors_logged"] == 0 else 1
    finally:
        stack.stop(server)


if __name__ == "__main__":
    sys.exit(main())
