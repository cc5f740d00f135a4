#!/usr/bin/env python
"""The performance benchmark: the portal against bare Django, in one run, at two data scales.

For each scale it generates the dataset (demo city plus N generated programs, half as many indicators
with 10 measurements each, assets and services), counts each endpoint's database queries, serves the
portal with gunicorn under the production settings on PostgreSQL and Redis, and measures with wrk:
first with the public cache off (cold), then on (warm), each time beside a bare Django view defined
only here (bench/urls.py), the framework's ceiling on this machine. Medians of repeated runs;
ratios to the ceiling measured in the same phase. Results: printed, and bench/results/latest.{json,md}.

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
PORT = 8500
DATABASE = "kc_bench"


def environment(run: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": "redis://127.0.0.1:6379/6",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(run / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "API_ANONYMOUS_RATE": "100000000/minute",  # measure the portal, not its throttle
        "API_PARTNER_KEY_RATE": "100000000/minute",
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "4"),
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


def prepare(env):
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    subprocess.run(["redis-cli", "-n", "6", "flushdb"], check=True, stdout=subprocess.DEVNULL)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    script = (
        "from partnerships.models import Partner, PartnerAPIKey;"
        "_, key = PartnerAPIKey.objects.create_key(name='bench', partner=Partner.objects.get(slug='telkom'));"
        "print(key)"
    )
    return manage(env, "shell", "--no-imports", "-c", script, capture=True).strip().splitlines()[-1]


def serve(env, cache_seconds: int) -> subprocess.Popen:
    env = {**env, "PUBLIC_CACHE_SECONDS": str(cache_seconds)}
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "-c",
        "gunicorn.conf.py",
        "-b",
        f"127.0.0.1:{PORT}",
        "--access-logfile",
        "/dev/null",
        "bench.wsgi",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2).read()
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


def wrk(path: str, key: str | None, seconds: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{PORT}{path}"]
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


def measure_phase(phase: str, key: str, args) -> dict:
    results = {}
    for name, path, with_key in [CEILING, *ENDPOINTS]:
        wrk(path, key if with_key else None, 1, args.connections)  # warm-up (and, when on, fill the cache)
        runs = [wrk(path, key if with_key else None, args.seconds, args.connections) for _ in range(args.repeats)]
        results[name] = median_of(runs)
        print(
            f"  {phase:5} {name:26} {results[name]['rps']:9.1f} req/s  p50 {results[name]['p50']:7.2f} ms  "
            f"p99 {results[name]['p99']:7.2f} ms  errors {results[name]['errors']:.0f}",
            flush=True,
        )
    ceiling = results[CEILING[0]]["rps"]
    for row in results.values():
        row["ratio"] = round(row["rps"] / ceiling, 3)
    return results


def run_scale(env, key: str, programs: int, args) -> dict:
    print(f"scale {programs} programs: generating…", flush=True)
    manage(env, "generate_portfolio", str(programs), "--verbosity", "0")
    queries = json.loads(
        subprocess.run([PYTHON, "bench/queries.py", key], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    phases = {}
    for phase, cache_seconds in (("cold", 0), ("warm", 300)):
        process = serve(env, cache_seconds)
        try:
            phases[phase] = measure_phase(phase, key, args)
        finally:
            stop(process)
    return {"queries": queries, **phases}


def markdown(results: dict, args) -> str:
    scales = sorted(results, key=int)
    lines = [
        f"Benchmark: {args.repeats} runs of {args.seconds} s each, {args.connections} connections, medians; "
        "ratio = req/s ÷ the bare Django view's req/s in the same phase.",
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
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[100, 10000])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    run = Path(tempfile.mkdtemp(prefix="kota-bench-"))
    env = environment(run)
    key = prepare(env)
    results = {str(scale): run_scale(env, key, scale, args) for scale in args.scales}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=1))
    table = markdown(results, args)
    (out / "latest.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
