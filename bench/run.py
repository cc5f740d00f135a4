#!/usr/bin/env python
"""The performance benchmark: the portal against a bare Django project, in one run, at one or more data scales.

It prepares one database per scale: the demo city plus `generate_portfolio N` (N programs, N/2 indicators
with 10 measurements each, assets, services, MoUs and evaluation findings), and a partner key. It counts
each endpoint's database queries in-process (bench/queries.py), and those of one progress report posted with
the key. Then, once with the public cache off (cold) and once on (warm), it serves each scale with gunicorn
under the production settings on PostgreSQL and Redis, and measures with wrk (a timeout longer than the slowest
request; timeouts are reported). The ceiling is a real bare Django project of its own (bench/bare/: one view,
Django's default middleware, the same gunicorn settings), and beside it two peers over the same database, a
minimal DRF ListAPIView and a minimal template page of 50 rows: each API answer is compared with the first,
each page with the second. Each endpoint's repeats are interleaved with the ceiling's and its peer's, so every
ratio compares runs taken seconds apart, which a shared, noisy machine needs. Medians of the repeats.
Then, warm, the pages and lists again while a partner's system posts progress reports at 2, 10 and 30 a second
(the rate achieved is reported). The results are written after each step (an optional step that fails, the
replica's, is reported and the rest kept): printed, and bench/results/latest.{json,md}.

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
import traceback
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.endpoints import (  # noqa: E402
    BROWSER_HEADERS,
    CEILING,
    ENDPOINTS,
    PEERS,
    POST_RATES,
    SIZED,
    UNDER_WRITES,
)
from deploy import replica as replica_cluster  # noqa: E402

PYTHON = sys.executable
# Where the benchmark runs: override to share a machine (BENCH_PORT .. +N, BENCH_DATABASE_*, BENCH_REDIS's databases).
BASE_PORT = int(os.environ.get("BENCH_PORT", "8500"))
DATABASE = os.environ.get("BENCH_DATABASE", "kc_bench")
REDIS = os.environ.get("BENCH_REDIS", "127.0.0.1:6379")
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "6"))  # and the next ones, one per scale
# seconds: far longer than the slowest request measured (the whole assets GeoJSON at 10,000 programs, p99 1.6 s), so
# none is dropped unseen; wrk's timeouts are reported per endpoint all the same
WRK_TIMEOUT = 30


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


def serve(env, port: int, cache_seconds: int, application: str = "bench.wsgi") -> subprocess.Popen:
    """gunicorn with the portal's settings file (gunicorn.conf.py) serving `application`: the portal with the
    benchmark's trivial view (bench.wsgi), or the bare project (bench.bare.wsgi)."""
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
        application,
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    for _ in range(100):
        try:
            path = "/bare" if application == "bench.bare.wsgi" else "/healthz"
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2).read()
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


def wrk(port: int, path: str, key: str | None, seconds: int, connections: int, headers=BROWSER_HEADERS) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={WRK_TIMEOUT}s",
        "--latency",
        f"http://127.0.0.1:{port}{path}",
    ]
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
        + (sum(map(int, socket_errors.groups()[:3])) if socket_errors else 0),
        "timeouts": int(socket_errors.group(4)) if socket_errors else 0,
    }


def median_of(runs: list[dict]) -> dict:
    return {field: statistics.median(run[field] for run in runs) for field in runs[0]}


def measure_phase(phase: str, ports: dict, key: str, args) -> dict:
    """{scale: {endpoint: medians, ratio to the bare view, ratio to its peer}}, each endpoint's repeats
    interleaved with the ceiling's and its peer's (bare project, port ports["bare"])."""
    bare = ports["bare"]
    results = {scale: {} for scale in args.scales}
    references = {name: [] for name, _path in [CEILING, *PEERS]}
    for name, path, with_key, peer in ENDPOINTS:
        header = key if with_key else None
        for scale in args.scales:
            wrk(ports[scale], path, header, 2, args.connections)  # warm-up (and, when on, fill the cache)
        runs = {scale: [] for scale in args.scales}
        for _ in range(args.repeats):
            ceiling = wrk(bare, CEILING[1], None, args.seconds, args.connections)
            references[CEILING[0]].append(ceiling)
            compared = None
            if peer:
                compared = wrk(bare, peer[1], None, args.seconds, args.connections)
                references[peer[0]].append(compared)
            for scale in args.scales:
                run = wrk(ports[scale], path, header, args.seconds, args.connections)
                run["ratio"] = run["rps"] / ceiling["rps"]
                run["peer_ratio"] = run["rps"] / compared["rps"] if compared else float("nan")
                runs[scale].append(run)
        for scale in args.scales:
            row = results[scale][name] = median_of(runs[scale])
            row["ratio"], row["peer_ratio"] = round(row["ratio"], 3), round(row["peer_ratio"], 3)
            row["peer"] = peer[0] if peer else None
            print(
                f"  {phase:5} {name:32} {scale:>6}  {row['rps']:8.1f} req/s  p50 {row['p50']:7.2f} ms  "
                f"p99 {row['p99']:7.2f} ms  ratio {row['ratio']:.3f}  to peer {row['peer_ratio']:.3f}  "
                f"errors {row['errors']:.0f}  timeouts {row['timeouts']:.0f}",
                flush=True,
            )
        if len(args.scales) > 1:  # time at the largest scale over time at the smallest, pair by pair
            small, large = runs[args.scales[0]], runs[args.scales[-1]]
            growth = statistics.median(a["rps"] / b["rps"] for a, b in zip(small, large, strict=True))
            results[args.scales[-1]][name]["time_vs_smallest"] = round(growth, 2)
    for reference, measured in references.items():
        if not measured:
            continue
        row = {**median_of(measured), "ratio": 1.0 if reference == CEILING[0] else None}
        for scale in args.scales:
            results[scale][reference] = row
        print(f"  {phase:5} {reference:32} median of {len(measured)} runs: {row['rps']:.1f} req/s", flush=True)
    return results


class Poster(threading.Thread):
    """A partner's system posting progress reports on one of its commitments, `rate` a second, with its key; the
    posts are sent on schedule from a pool of threads, so a slow answer does not slow the rate."""

    def __init__(self, port: int, key: str, commitment: str, rate: float = 10):
        super().__init__(daemon=True)
        self.url, self.key, self.commitment, self.rate = (
            f"http://127.0.0.1:{port}/api/v1/progress-reports/",
            key,
            commitment,
            rate,
        )
        self.stopping, self.sent, self.failed, self.lock = threading.Event(), 0, 0, threading.Lock()
        self.started_at = self.stopped_at = 0.0

    def post(self, day: str) -> None:
        body = {"commitment": int(self.commitment), "reported_on": day, "quantity_reached": "1", "note": "bench"}
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"Api-Key {self.key}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=WRK_TIMEOUT) as response:
                ok = response.status == 201
        except (urllib.error.URLError, OSError):
            ok = False
        with self.lock:
            self.sent += ok
            self.failed += not ok

    def run(self):
        day = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        with ThreadPoolExecutor(max_workers=16) as pool:
            self.started_at = next_at = time.monotonic()
            while not self.stopping.is_set():
                pool.submit(self.post, day)
                next_at += 1 / self.rate
                time.sleep(max(0.0, next_at - time.monotonic()))
            self.stopped_at = time.monotonic()

    def stop(self) -> dict:
        self.stopping.set()
        self.join(timeout=60)
        seconds = max(self.stopped_at - self.started_at, 1e-9)
        return {
            "asked_per_second": self.rate,
            "posted": self.sent,
            "failed": self.failed,
            "per_second": round(self.sent / seconds, 1),
        }


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


def under_writes(port: int, bare_port: int, key: str, commitment: str, args) -> dict:
    """Warm ratios of UNDER_WRITES while a partner posts progress reports, at each of POST_RATES a second (a rate
    that fails is reported as failed, and the other rates are measured)."""
    return {
        str(rate): optional(f"writes at {rate}/s", at_post_rate, rate, port, bare_port, key, commitment, args)
        for rate in args.post_rates
    }


def at_post_rate(rate: float, port: int, bare_port: int, key: str, commitment: str, args) -> dict:
    endpoints = {name: (path, with_key) for name, path, with_key, _peer in ENDPOINTS}
    poster = Poster(port, key, commitment, rate)
    poster.start()
    time.sleep(1)
    at_rate = {}
    try:
        for name in UNDER_WRITES:
            path, with_key = endpoints[name]
            runs = []
            for _ in range(args.repeats):
                ceiling = wrk(bare_port, CEILING[1], None, args.seconds, args.connections)
                run = wrk(port, path, key if with_key else None, args.seconds, args.connections)
                runs.append({**run, "ratio": run["rps"] / ceiling["rps"]})
            at_rate[name] = {k: round(v, 3) for k, v in median_of(runs).items()}
            print(f"  writes {rate:>3}/s {name:32} ratio {at_rate[name]['ratio']:.3f}", flush=True)
    finally:
        at_rate["poster"] = poster.stop()
    print(f"  writes {rate:>3}/s poster: {at_rate['poster']}", flush=True)
    return at_rate


def run_phases(env, key: str, args, results: dict, save) -> dict:
    for index, scale in enumerate(args.scales):
        scaled = at_scale(env, index, scale)
        for command, field in (
            (["bench/queries.py", key, env["BENCH_COMMITMENT"]], "queries"),
            (["bench/downloads.py", key], "downloads"),
        ):
            counted = subprocess.run([PYTHON, *command], cwd=ROOT, env=scaled, capture_output=True, text=True)
            try:  # optional: a failure is reported and the measurements go on
                counted.check_returncode()
                results[str(scale)][field] = json.loads(counted.stdout.strip().splitlines()[-1])
            except (subprocess.CalledProcessError, ValueError, IndexError) as error:
                print(f"{field} at {scale}: failed ({error}): {counted.stderr[-500:]}", flush=True)
                results[str(scale)][field] = {}
    for phase, cache_seconds in (("cold", 0), ("warm", 300)):
        # One server per scale, and the bare project's, so that no run inherits another's workers.
        ports = {scale: BASE_PORT + index for index, scale in enumerate(args.scales)}
        ports["bare"] = BASE_PORT + len(args.scales)
        servers = [
            serve(at_scale(env, index, scale), ports[scale], cache_seconds) for index, scale in enumerate(args.scales)
        ]
        servers.append(serve(at_scale(env, 0, args.scales[0]), ports["bare"], cache_seconds, "bench.bare.wsgi"))
        try:
            measured = measure_phase(phase, ports, key, args)
            for scale in args.scales:
                results[str(scale)][phase] = measured[scale]
            save()
            if phase == "warm":
                for scale in args.scales:
                    results[str(scale)]["sizes"] = optional(f"sizes at {scale}", sizes, ports[scale], key)
                save()
                largest = args.scales[-1]
                results[str(largest)]["under_writes"] = optional(
                    "writes", under_writes, ports[largest], ports["bare"], key, env["BENCH_COMMITMENT"], args
                )
                save()
        finally:
            for server in servers:
                stop(server)
    return results


def optional(step: str, measure, *args) -> dict:
    """The result of an optional step, or {} when it fails: the failure is printed, the other measurements go on
    and are written."""
    try:
        return measure(*args)
    except Exception:  # noqa: BLE001 - whatever broke, the measurements so far are kept
        print(f"{step}: failed", flush=True)
        traceback.print_exc()
        return {}


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


def cell(row: dict | None, field: str, digits: int = 3) -> str:
    value = (row or {}).get(field)
    return "–" if value is None or value != value else f"{value:.{digits}f}"  # value != value: NaN


def markdown(results: dict, args) -> str:
    scales = sorted((name for name in results if name.isdigit()), key=int)
    lines = [
        f"Benchmark: {args.repeats} runs of {args.seconds} s each, {args.connections} connections, wrk timeout "
        f"{WRK_TIMEOUT} s, medians. Ceiling: a bare Django project of its own (bench/bare/, one view, default "
        "middleware, same gunicorn settings); ratio = req/s ÷ the ceiling's req/s in the run just before. Peer: "
        "in the same bare project over the same database, a DRF ListAPIView (API answers) or a template page "
        "(pages) of 50 rows; to peer = req/s ÷ the peer's. Every request as a browser sends it "
        "(Accept-Encoding: gzip, br).",
        "",
        "| endpoint | scale | queries | cold req/s | cold p50 / p99 ms | cold ratio | cold to peer | warm req/s "
        "| warm p50 / p99 ms | warm ratio | warm to peer | raw / br KiB | timeouts |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in [CEILING[0], *(peer for peer, _path in PEERS), *(e[0] for e in ENDPOINTS)]:
        for scale in scales:
            cold, warm = results[scale].get("cold", {}).get(name), results[scale].get("warm", {}).get(name)
            if cold is None and warm is None:
                continue
            size = results[scale].get("sizes", {}).get(name)
            sized = f"{kib(size['raw'])} / {kib(size['br'])}" if size else "–"
            lines.append(
                f"| {name} | {scale} | {results[scale].get('queries', {}).get(name, '–')} | {cell(cold, 'rps', 0)} | "
                f"{cell(cold, 'p50', 1)} / {cell(cold, 'p99', 1)} | {cell(cold, 'ratio')} | {cell(cold, 'peer_ratio')} "
                f"| {cell(warm, 'rps', 0)} | {cell(warm, 'p50', 1)} / {cell(warm, 'p99', 1)} | {cell(warm, 'ratio')} "
                f"| {cell(warm, 'peer_ratio')} | {sized} "
                f"| {cell(cold, 'timeouts', 0)} / {cell(warm, 'timeouts', 0)} |"
            )
    post = results[scales[-1]].get("queries", {}).get("POST progress report") if scales else None
    if post is not None:
        lines += ["", f"One progress report posted with a partner key: {post} queries."]
    if len(scales) > 1:
        large = results[scales[-1]]
        lines += [
            "",
            f"Time per request at {scales[-1]} programs over the time at {scales[0]}, cold, median of adjacent runs: "
            + ", ".join(
                f"{name} {large['cold'][name]['time_vs_smallest']:.2f}×"
                for name, *_rest in ENDPOINTS
                if "time_vs_smallest" in large.get("cold", {}).get(name, {})
            )
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
        "Whole-list downloads, streamed in-process (rows, raw and gzip KiB, peak Python memory while streaming):",
        "",
        "| download | " + " | ".join(f"{scale}: rows, raw / gzip KiB, peak KiB" for scale in scales) + " |",
        "|---|" + "---|" * len(scales),
    ]
    for name in results[scales[0]].get("downloads", {}):
        cells = []
        for scale in scales:
            row = results[scale].get("downloads", {}).get(name)
            if row is None:
                cells.append("–")
                continue
            cells.append(f"{row['rows'] or '–'}, {kib(row['raw_bytes'])} / {kib(row['gzip_bytes'])}, {row['peak_kib']}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    writes = results[scales[-1]].get("under_writes") if scales else None
    if writes:
        lines += [
            "",
            f"Warm ratios to the bare view at {scales[-1]} programs while a partner's system posts progress reports "
            "(asked and achieved rate, posts acknowledged and failed):",
            "",
            "| posts/s asked | achieved | posted / failed | " + " | ".join(UNDER_WRITES) + " |",
            "|---|---|---|" + "---|" * len(UNDER_WRITES),
        ]
        for rate, measured in writes.items():
            poster = measured.get("poster")
            if poster is None:
                lines.append(f"| {rate} | failed | – | " + " | ".join("–" for _ in UNDER_WRITES) + " |")
                continue
            lines.append(
                f"| {rate} | {poster['per_second']} | {poster['posted']} / {poster['failed']} | "
                + " | ".join(cell(measured.get(name), "ratio") for name in UNDER_WRITES)
                + " |"
            )
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
    parser.add_argument("--post-rates", type=float, nargs="+", default=POST_RATES, help="progress reports a second")
    parser.add_argument("--replica-port", type=int, default=int(os.environ.get("BENCH_REPLICA_PORT", "5442")))
    parser.add_argument("--no-replica", action="store_true", help="skip the read-replica run")
    args = parser.parse_args()
    if min(args.scales) < 1 or min(args.seconds, args.repeats, args.connections) < 1:
        parser.error("scales, seconds, repeats and connections must be positive")
    args.scales = sorted(set(args.scales))
    args.post_rate = max(args.post_rates)  # the replica run's
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    run = Path(tempfile.mkdtemp(prefix="kota-bench-"))
    env = environment(run)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    results = {str(scale): {} for scale in args.scales}

    def save():
        (out / "latest.json").write_text(json.dumps(results, indent=1))
        (out / "latest.md").write_text(markdown(results, args))

    key = prepare(env, args.scales)
    try:
        run_phases(env, key, args, results, save)
    finally:
        save()  # a measurement that broke stops the run, and what was measured before it is written
    if not args.no_replica:
        try:  # optional: its failure is reported, and every result above is kept
            results["replica"] = replica_share(env, key, args)
        except Exception as error:  # noqa: BLE001 - whatever broke, the measurements so far are written
            traceback.print_exc()
            results["replica"] = {"skipped": f"failed: {error!r}"[:300]}
    save()
    print(markdown(results, args))


if __name__ == "__main__":
    main()
