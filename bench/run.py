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
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.endpoints import CEILING, ENDPOINTS  # noqa: E402

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
        "from partnerships.models import Partner, PartnerAPIKey;"
        "_, key = PartnerAPIKey.objects.create_key(name='bench', partner=Partner.objects.get(slug='telkom'));"
        "print(key)"
    )
    key = manage(env, "shell", "--no-imports", "-c", script, capture=True).strip().splitlines()[-1]
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


def wrk(port: int, path: str, key: str | None, seconds: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"]
    if key:
        command[1:1] = ["-H", f"Authorization: Api-Key {key}"]
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
        for scale in args.scales:
            wrk(ports[scale], path, header, 2, args.connections)  # warm-up (and, when on, fill the cache)
        wrk(ceiling_port, CEILING[1], None, 1, args.connections)
        runs = {scale: [] for scale in args.scales}
        for _ in range(args.repeats):
            ceiling = wrk(ceiling_port, CEILING[1], None, args.seconds, args.connections)
            ceilings.append(ceiling)
            for scale in args.scales:
                port = ports[scale]
                run = wrk(port, path, header, args.seconds, args.connections)
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


def run_phases(env, key: str, args) -> dict:
    results = {str(scale): {} for scale in args.scales}
    for index, scale in enumerate(args.scales):
        counted = subprocess.run(
            [PYTHON, "bench/queries.py", key],
            cwd=ROOT,
            env=at_scale(env, index, scale),
            capture_output=True,
            text=True,
            check=True,
        )
        results[str(scale)]["queries"] = json.loads(counted.stdout.strip().splitlines()[-1])
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
        finally:
            for server in servers:
                stop(server)
        for scale in args.scales:
            results[str(scale)][phase] = measured[scale]
    return results


def markdown(results: dict, args) -> str:
    scales = sorted(results, key=int)
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
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[100, 10000])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
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
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=1))
    table = markdown(results, args)
    (out / "latest.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
