#!/usr/bin/env python
"""The performance benchmark: the portal against bare Django, in one run, at two data scales side by side.

It prepares one database per scale: the demo city plus `generate_portfolio N` (N programs, N/2 indicators
with 10 measurements each, assets, services, MoUs and evaluation findings), and a partner key. It counts
each endpoint's database queries in-process (bench/queries.py). Then, once with the public cache off
(cold) and once on (warm), it serves each scale with gunicorn under the production settings on
PostgreSQL and Redis, and measures with wrk. Each endpoint's repeats are interleaved: a bare Django view
defined only here (bench/urls.py, the framework's ceiling on this machine), then the endpoint at each
scale. So every ratio compares runs taken seconds apart, which a shared, noisy machine needs.
Medians of the repeats. Results: printed, and bench/results/latest.{json,md}.

    .venv/bin/python bench/run.py [--scales 100 10000] [--seconds 5] [--repeats 3]
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.endpoints import AS_A_BROWSER, BROWSER_HEADERS, CEILING, ENDPOINTS, SIZED, UNDER_WRITES  # noqa: E402
from deploy import replica as replica_cluster  # noqa: E402

PYTHON = sys.executable
# Where the benchmark runs: override to share a machine (BENCH_PORT .. +N, BENCH_DATABASE_*, BENCH_REDIS's databases).
BASE_PORT = int(os.environ.get("BENCH_PORT", "8500"))
DATABASE = os.environ.get("BENCH_DATABASE", "kc_bench")
REDIS = os.environ.get("BENCH_REDIS", "127.0.0.1:6379")
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "6"))  # and the next ones, one per scale


def environment(run: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": f"redis://{REDIS}/{REDIS_DB}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(run / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "API_ANONYMOUS_RATE": "100000000/minute",  # measure the portal, not its throttle
        "API_PARTNER_KEY_RATE": "100000000/minute",
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "4"),
    }


def at_scale(env, index: int, programs: int) -> dict[str, str]:
    """The environment of one scale: its own database and Redis database."""
    return {
        **env,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}_{programs}",
        "REDIS_URL": f"redis://{REDIS}/{REDIS_DB + index}",
    }


def manage(env, *args, capture=False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return result.stdout if capture else ""


def createdb(name: str, template: str | None = None) -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    copy = ["-T", template] if template else []
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", *copy, name], check=True)


def prepare(env, scales: list[int]) -> str:
    """The demo city and a partner key in a template database, copied and grown once per scale."""
    createdb(DATABASE)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    script = (
        "from partnerships.models import Commitment, PartnerAPIKey;"
        "commitment = Commitment.objects.order_by('pk').first();"  # the key's partner reports on it
        "_, key = PartnerAPIKey.objects.create_key(name='bench', partner=commitment.partner);"
        "print(key, commitment.pk)"
    )
    key, commitment = manage(env, "shell", "--no-imports", "-c", script, capture=True).strip().splitlines()[-1].split()
    env["BENCH_COMMITMENT"] = commitment
    for index, programs in enumerate(scales):
        print(f"scale {programs} programs: generating…", flush=True)
        createdb(f"{DATABASE}_{programs}", template=DATABASE)
        scaled = at_scale(env, index, programs)
        subprocess.run(
            ["redis-cli", "-h", REDIS.split(":")[0], "-p", REDIS.split(":")[1], "-n", str(REDIS_DB + index), "flushdb"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        manage(scaled, "generate_portfolio", str(programs), "--verbosity", "0")
    return key


def serve(env, port: int, cache_seconds: int) -> subprocess.Popen:
    env = {**env, "PUBLIC_CACHE_SECONDS": str(cache_seconds)}
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "-c",
        "gunicorn.conf.py",
        "-b",
        f"127.0.0.1:{port}",
        "--access-logfile",
        "/dev/null",
        "bench.wsgi",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def to_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(port: int, path: str, key: str | None, seconds: int, connections: int, headers=()) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"]
    if key:
        command[1:1] = ["-H", f"Authorization: Api-Key {key}"]
    for header in headers:
        command[1:1] = ["-H", header]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": to_ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    }


def median_of(runs: list[dict]) -> dict:
    return {field: statistics.median(run[field] for run in runs) for field in runs[0]}


def measure_phase(phase: str, ports: dict[int, int], key: str, args) -> dict:
    """{scale: {endpoint: medians and ratio}}, each endpoint's repeats interleaved with the ceiling's."""
    ceiling_port = ports[CEILING[0]]
    results = {scale: {} for scale in args.scales}
    ceilings = []
    for name, path, with_key in ENDPOINTS:
        header = key if with_key else None
        extra = BROWSER_HEADERS if name in AS_A_BROWSER else ()
        for scale in args.scales:
            wrk(ports[scale], path, header, 2, args.connections, extra)  # warm-up (and, when on, fill the cache)
        wrk(ceiling_port, CEILING[1], None, 1, args.connections)
        runs = {scale: [] for scale in args.scales}
        for _ in range(args.repeats):
            ceiling = wrk(ceiling_port, CEILING[1], None, args.seconds, args.connections)
            ceilings.append(ceiling)
            for scale in args.scales:
                port = ports[scale]
                run = wrk(port, path, header, args.seconds, args.connections, extra)
                runs[scale].append({**run, "ratio": run["rps"] / ceiling["rps"]})
        for scale in args.scales:
            row = results[scale][name] = median_of(runs[scale])
            row["ratio"] = round(row["ratio"], 3)
            print(
                f"  {phase:5} {name:26} {scale:>6}  {row['rps']:8.1f} req/s  p50 {row['p50']:7.2f} ms  "
                f"p99 {row['p99']:7.2f} ms  ratio {row['ratio']:.3f}  errors {row['errors']:.0f}",
                flush=True,
            )
        if len(args.scales) > 1:  # time at the largest scale over time at the smallest, pair by pair
            small, large = runs[args.scales[0]], runs[args.scales[-1]]
            growth = statistics.median(a["rps"] / b["rps"] for a, b in zip(small, large, strict=True))
            results[args.scales[-1]][name]["time_vs_smallest"] = round(growth, 2)
    ceiling = {**median_of(ceilings), "ratio": 1.0}
    for scale in args.scales:
        results[scale][CEILING[0]] = ceiling
    print(f"  {phase:5} {CEILING[0]:26} median of {len(ceilings)} runs: {ceiling['rps']:.1f} req/s", flush=True)
    return results


class Poster(threading.Thread):
    """A partner's system posting progress reports on one of its commitments, `rate` a second, with its key."""

    def __init__(self, port: int, key: str, commitment: str, rate: float = 10):
        super().__init__(daemon=True)
        self.url, self.key, self.commitment, self.rate = (
            f"http://127.0.0.1:{port}/api/v1/progress-reports/",
            key,
            commitment,
            rate,
        )
        self.stopping, self.sent, self.failed = threading.Event(), 0, 0
        self.started_at = self.stopped_at = 0.0

    def run(self):
        day = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        self.started_at = next_at = time.monotonic()
        while not self.stopping.is_set():
            body = {"commitment": int(self.commitment), "reported_on": day, "quantity_reached": "1", "note": "bench"}
            request = urllib.request.Request(
                self.url,
                data=json.dumps(body).encode(),
                method="POST",
                headers={"Authorization": f"Api-Key {self.key}", "Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    ok = response.status == 201
            except (urllib.error.URLError, OSError):
                ok = False
            self.sent += ok
            self.failed += not ok
            next_at += 1 / self.rate
            time.sleep(max(0.0, next_at - time.monotonic()))
        self.stopped_at = time.monotonic()

    def stop(self) -> dict:
        self.stopping.set()
        self.join(timeout=30)
        seconds = max(self.stopped_at - self.started_at, 1e-9)
        return {"posted": self.sent, "failed": self.failed, "per_second": round(self.sent / seconds, 1)}


def fetch_size(port: int, path: str, key: str | None, coding: str | None) -> tuple[int, str]:
    headers = {"Accept-Encoding": coding or "identity"}
    if key:
        headers["Authorization"] = f"Api-Key {key}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return len(response.read()), response.headers.get("Content-Encoding") or "identity"


def sizes(port: int, key: str) -> dict:
    """Bytes on the wire per answer: raw, gzip, brotli (what a browser that accepts them receives)."""
    found = {}
    for name, path, with_key in SIZED:
        row = {}
        for coding in (None, "gzip", "br"):
            size, used = fetch_size(port, path, key if with_key else None, coding)
            row[coding or "raw"] = size
            row[f"{coding or 'raw'}_encoding"] = used
        found[name] = row
    return found


def under_writes(port: int, ceiling_port: int, key: str, commitment: str, args) -> dict:
    """Warm ratios of UNDER_WRITES while a partner posts progress reports at --post-rate a second."""
    paths = {name: path for name, path, _key in ENDPOINTS}
    poster = Poster(port, key, commitment, args.post_rate)
    poster.start()
    time.sleep(1)
    results = {}
    try:
        for name in UNDER_WRITES:
            runs = []
            for _ in range(args.repeats):
                ceiling = wrk(ceiling_port, CEILING[1], None, args.seconds, args.connections)
                run = wrk(port, paths[name], None, args.seconds, args.connections)
                runs.append({**run, "ratio": run["rps"] / ceiling["rps"]})
            results[name] = {k: round(v, 3) for k, v in median_of(runs).items()}
            print(f"  writes {name:26} ratio {results[name]['ratio']:.3f}", flush=True)
    finally:
        results["poster"] = poster.stop()
    print(f"  writes poster: {results['poster']}", flush=True)
    return results


def run_phases(env, key: str, args) -> dict:
    results = {str(scale): {} for scale in args.scales}
    for index, scale in enumerate(args.scales):
        scaled = at_scale(env, index, scale)
        for script, field in (("bench/queries.py", "queries"), ("bench/downloads.py", "downloads")):
            counted = subprocess.run(
                [PYTHON, script, key], cwd=ROOT, env=scaled, capture_output=True, text=True, check=True
            )
            results[str(scale)][field] = json.loads(counted.stdout.strip().splitlines()[-1])
    for phase, cache_seconds in (("cold", 0), ("warm", 300)):
        # One server per scale, and one of its own for the ceiling, so that no run inherits another's workers.
        ports = {scale: BASE_PORT + index for index, scale in enumerate(args.scales)}
        ports[CEILING[0]] = BASE_PORT + len(args.scales)
        servers = [
            serve(at_scale(env, index, scale), ports[scale], cache_seconds) for index, scale in enumerate(args.scales)
        ]
        servers.append(serve(at_scale(env, 0, args.scales[0]), ports[CEILING[0]], cache_seconds))
        try:
            measured = measure_phase(phase, ports, key, args)
            if phase == "warm":
                for scale in args.scales:
                    results[str(scale)]["sizes"] = sizes(ports[scale], key)
                largest = args.scales[-1]
                results[str(largest)]["under_writes"] = under_writes(
                    ports[largest], ports[CEILING[0]], key, env["BENCH_COMMITMENT"], args
                )
        finally:
            for server in servers:
                stop(server)
        for scale in args.scales:
            results[str(scale)][phase] = measured[scale]
    return results


def database_transactions(port: int, database: str) -> int:
    sql = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
    return int(replica_cluster.psql(sql, port=port, database=database))


def replica_share(env, key: str, args) -> dict:
    """With a streaming replica (deploy/replica.py) and DATABASE_REPLICA_URL, the share of the database's
    transactions the replica served while public pages and API lists are read (cache off, so they reach the
    database) and a partner posts progress reports."""
    reason = replica_cluster.available()
    if reason:
        print(f"replica: skipped ({reason})", flush=True)
        return {"skipped": reason}
    index, scale = len(args.scales) - 1, args.scales[-1]
    scaled = at_scale(env, index, scale)
    database = scaled["DATABASE_URL"].rsplit("/", 1)[1]
    print("replica: copying the primary (pg_basebackup)…", flush=True)
    with replica_cluster.streaming_replica(port=args.replica_port) as url_for:
        replica_cluster.wait_until("SELECT true", database=database, port=args.replica_port)
        port = BASE_PORT + len(args.scales) + 1
        server = serve({**scaled, "DATABASE_REPLICA_URL": url_for(database)}, port, 0)
        before = (database_transactions(5432, database), database_transactions(args.replica_port, database))
        poster = Poster(port, key, env["BENCH_COMMITMENT"], args.post_rate)
        poster.start()
        try:
            for path in ("/", "/programs/", "/api/v1/programs/?limit=50"):
                wrk(port, path, None, args.seconds, args.connections)
        finally:
            posts = poster.stop()
            stop(server)  # closing its connections flushes their statistics
        time.sleep(1)
        after = (database_transactions(5432, database), database_transactions(args.replica_port, database))
    primary, replica = after[0] - before[0], after[1] - before[1]
    result = {"primary": primary, "replica": replica, "share": round(replica / max(1, primary + replica), 3), **posts}
    print(f"replica: {result}", flush=True)
    return result


def markdown(results: dict, args) -> str:
    scales = sorted((name for name in results if name.isdigit()), key=int)
    lines = [
        f"Benchmark: {args.repeats} runs of {args.seconds} s each, {args.connections} connections, medians. "
        "Each run of an endpoint follows a run of the bare Django view (the ceiling); "
        "ratio = req/s ÷ that ceiling's req/s.",
        "",
        "| endpoint | scale | queries | cold req/s | cold p50 / p99 ms | cold ratio | warm req/s | warm p50 / p99 ms "
        "| warm ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, _path, _key in [CEILING, *ENDPOINTS]:
        for scale in scales:
            cold, warm = results[scale]["cold"][name], results[scale]["warm"][name]
            lines.append(
                f"| {name} | {scale} | {results[scale]['queries'].get(name, '–')} | {cold['rps']:.0f} | "
                f"{cold['p50']:.1f} / {cold['p99']:.1f} | {cold['ratio']:.3f} | {warm['rps']:.0f} | "
                f"{warm['p50']:.1f} / {warm['p99']:.1f} | {warm['ratio']:.3f} |"
            )
    if len(scales) > 1:
        large = results[scales[-1]]
        lines += [
            "",
            f"Time per request at {scales[-1]} programs over the time at {scales[0]}, cold, median of adjacent runs: "
            + ", ".join(f"{name} {large['cold'][name]['time_vs_smallest']:.2f}×" for name, _p, _k in ENDPOINTS)
            + ".",
        ]
    lines += extra_sections(results, scales, args)
    return "\n".join(lines) + "\n"


def kib(size: int) -> str:
    return f"{size / 1024:.1f}"


def extra_sections(results: dict, scales: list[str], args) -> list[str]:
    lines = ["", "Bytes on the wire per answer, KiB (raw / gzip / brotli; a browser gets the smallest it accepts):", ""]
    lines += ["| answer | " + " | ".join(f"{scale}: raw / gzip / br" for scale in scales) + " |"]
    lines += ["|---|" + "---|" * len(scales)]
    for name, _path, _key in SIZED:
        cells = []
        for scale in scales:
            row = results[scale].get("sizes", {}).get(name)
            cells.append(f"{kib(row['raw'])} / {kib(row['gzip'])} / {kib(row['br'])}" if row else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Answers to a partner's key are never compressed (BREACH: its own records beside reflected filters).",
        "",
        "Whole-list downloads, streamed in-process (rows, raw and gzip KiB, peak Python memory while streaming):",
        "",
        "| download | " + " | ".join(f"{scale}: rows, raw / gzip KiB, peak KiB" for scale in scales) + " |",
        "|---|" + "---|" * len(scales),
    ]
    for name in results[scales[0]].get("downloads", {}):
        cells = []
        for scale in scales:
            row = results[scale]["downloads"][name]
            cells.append(f"{row['rows'] or '–'}, {kib(row['raw_bytes'])} / {kib(row['gzip_bytes'])}, {row['peak_kib']}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    writes = results[scales[-1]].get("under_writes")
    if writes:
        poster = writes["poster"]
        lines += [
            "",
            f"Warm ratios at {scales[-1]} programs while a partner's system posts progress reports "
            f"({poster['per_second']}/s achieved, {poster['posted']} posted, {poster['failed']} failed; each post "
            "starts a new public-cache generation): "
            + ", ".join(f"{name} {writes[name]['ratio']:.3f}" for name in UNDER_WRITES)
            + ".",
        ]
    replica = results.get("replica")
    if replica and "share" in replica:
        lines += [
            "",
            f"Read replica at {scales[-1]} programs (cache off, reads of /, /programs/ and the API list while a "
            f"partner posts {replica['per_second']}/s): the replica served {replica['replica']} of "
            f"{replica['replica'] + replica['primary']} database transactions ({replica['share']:.1%}); "
            f"{replica['posted']} posts acknowledged, {replica['failed']} failed.",
        ]
    elif replica:
        lines += ["", f"Read replica: skipped ({replica.get('skipped')})."]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[100, 10000])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--post-rate", type=float, default=10, help="progress reports a second during the writes run")
    parser.add_argument("--replica-port", type=int, default=int(os.environ.get("BENCH_REPLICA_PORT", "5442")))
    parser.add_argument("--no-replica", action="store_true", help="skip the read-replica run")
    args = parser.parse_args()
    if min(args.scales) < 1 or min(args.seconds, args.repeats, args.connections) < 1:
        parser.error("scales, seconds, repeats and connections must be positive")
    args.scales = sorted(set(args.scales))
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    run = Path(tempfile.mkdtemp(prefix="kota-bench-"))
    env = environment(run)
    key = prepare(env, args.scales)
    results = run_phases(env, key, args)
    if not args.no_replica:
        results["replica"] = replica_share(env, key, args)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=1))
    table = markdown(results, args)
    (out / "latest.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
