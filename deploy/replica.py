#!/usr/bin/env python
"""A streaming replica of the primary PostgreSQL on loopback, for the replica test and the benchmark.

    with streaming_replica() as url_for:        # url_for("kotacerdas") -> postgres://...:5442/kotacerdas
        ...

It copies the primary (127.0.0.1:5432) with `pg_basebackup -R` (which writes the standby's connection to the
primary) into a fresh data directory and starts it as a hot standby on its own port, as the `postgres` OS user
when run as root (PostgreSQL refuses to run as root). The standby's configuration (postgresql.conf, its own
pg_hba.conf and pg_ident.conf) lives in a directory of its own beside the copy, named with `-c config_file=`, so
nothing of the primary's configuration is read or written: the primary's pg_hba.conf is shared with every other
database on the server and is never edited. The primary must admit replication from 127.0.0.1 (the operator adds
`host replication postgres 127.0.0.1/32 trust`, or a password rule, once); `available()` says so when it does
not, and callers skip with that reason. The standby gets REPLICA_START_SECONDS (300) to start and to accept
connections in recovery (`pg_ctl -t`, then a readiness loop), not pg_ctl's default 60 s. wal_level=replica and
max_wal_senders are PostgreSQL's defaults; the copy fails with PostgreSQL's own message if they were turned
down. Run alone, it starts a replica and waits (Ctrl+C stops).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PRIMARY_HOST, PRIMARY_PORT = "127.0.0.1", 5432
HBA_LINE = "host replication postgres 127.0.0.1/32 trust"  # what the operator adds to the primary, once
START_SECONDS = float(os.environ.get("REPLICA_START_SECONDS", "300"))  # a loaded machine replays WAL slowly


def available() -> str | None:
    """None when a replica can be started here, else the reason it cannot."""
    missing = [name for name in ("pg_basebackup", "pg_ctl") if not (BIN / name).exists()]
    if missing:
        return f"PostgreSQL server binaries not found in {BIN} ({', '.join(missing)}); set PG_BIN"
    if not shutil.which("psql"):
        return "psql not found"
    try:
        return replication_refused()
    except subprocess.CalledProcessError as error:
        return f"the primary did not answer: {error.stderr or error}"


def replication_refused() -> str | None:
    """The reason the primary's pg_hba.conf admits no replication from 127.0.0.1, or None when it does."""
    rules = psql(
        "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host' AND 'replication' = ANY(database) "
        "AND (address = '127.0.0.1' OR address IS NULL OR address = 'all')"
    )
    if rules != "0":
        return None
    return f"the primary's pg_hba.conf admits no replication from 127.0.0.1: add {HBA_LINE!r} once"


def psql(sql: str, *, port: int = PRIMARY_PORT, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-h", PRIMARY_HOST, "-p", str(port), "-U", "postgres", "-d", database, "-Atc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Standby:
    """A running hot standby: called with a database name, its URL; `stop`, `start`, `pause` and `resume` rehearse
    its outages (a stopped server refuses connections, a paused one, SIGSTOP, accepts them and never answers)."""

    def __init__(self, *, data: Path, conf: Path, log: Path, port: int):
        self.data, self.conf, self.log, self.port = data, conf, log, port

    def __call__(self, database: str) -> str:
        return f"postgres://postgres@{PRIMARY_HOST}:{self.port}/{database}"

    def start(self) -> None:
        """Start with its own configuration and wait, up to START_SECONDS, until it answers in recovery."""
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):  # Debian's copy may carry the primary's
            (self.data / name).unlink(missing_ok=True)
        # fsync off: a throwaway copy, no minute-long fsync of the whole copy at its first start
        options = f"-c config_file={self.conf / 'postgresql.conf'} -c fsync=off"
        seconds = str(int(START_SECONDS))
        command = [str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", seconds]
        started = subprocess.run(as_postgres([*command, "start"]), capture_output=True, text=True)
        if started.returncode:
            raise RuntimeError(f"the replica did not start: {started.stdout}{started.stderr}{self.log.read_text()}")
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            with contextlib.suppress(subprocess.CalledProcessError):
                if psql("SELECT pg_is_in_recovery()", port=self.port) == "t":
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the replica did not answer as a standby within {START_SECONDS:.0f} s: see {self.log}")

    def stop(self) -> None:
        subprocess.run(
            as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop"]),
            check=False,
            capture_output=True,
        )

    def processes(self) -> list[int]:
        """The postmaster and every process it started (backends, the startup and WAL receiver processes)."""
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return []
        postmaster = int(pid_file.read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
        return [postmaster, *map(int, children)]

    def pause(self) -> None:
        """SIGSTOP the whole server: connections open, queries sent, and no answer ever comes (a hung machine)."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, number: int) -> None:
        for pid in self.processes():
            # A backend may exit between the listing and its signal (its client gone): it needs none then
            # (CI of 2026-12-07: ProcessLookupError on resume).
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)


@contextlib.contextmanager
def streaming_replica(port: int = 5442, data_dir: str | None = None):
    """Start a hot standby of the primary on `port`; yield it (a Standby: called with a database name, its URL)."""
    reason = available()
    if reason:
        raise RuntimeError(reason)
    base = Path(data_dir or tempfile.mkdtemp(prefix="kc_replica_"))
    data, conf, socket_dir, log = base / "data", base / "conf", base / "socket", base / "replica.log"
    if data.exists():
        shutil.rmtree(data)
    for folder in (socket_dir, conf):
        folder.mkdir(parents=True, exist_ok=True)
    _own_configuration(conf, port=port, socket_dir=socket_dir)
    if os.geteuid() == 0:
        for path in (base, socket_dir, conf, *conf.iterdir()):
            shutil.chown(path, "postgres", "postgres")
    # A replication slot keeps on the primary the WAL the standby has not received yet: without it, a busy
    # primary may recycle a segment between the copy and the standby's first start, and the standby never catches up.
    slot = f"kc_replica_{port}"
    psql(f"SELECT pg_drop_replication_slot('{slot}') FROM pg_replication_slots WHERE slot_name = '{slot}'")  # noqa: S608 - our own name
    subprocess.run(
        as_postgres(
            [str(BIN / "pg_basebackup"), "-h", PRIMARY_HOST, "-p", str(PRIMARY_PORT), "-U", "postgres"]
            + ["-D", str(data), "-R", "-X", "stream", "-c", "fast", "-C", "-S", slot]
        ),
        check=True,
        capture_output=True,
    )
    standby = Standby(data=data, conf=conf, log=log, port=port)
    try:
        standby.start()
        yield standby
    finally:
        standby.resume()  # a paused standby would not hear pg_ctl
        standby.stop()
        shutil.rmtree(base, ignore_errors=True)
        psql(f"SELECT pg_drop_replication_slot('{slot}')")  # the primary keeps no WAL for a standby that is gone


def _own_configuration(conf: Path, *, port: int, socket_dir: Path) -> None:
    """The standby's own configuration files, in a directory of their own (never the primary's)."""
    (conf / "postgresql.conf").write_text(
        "\n".join(
            [
                "# the replica rehearsal's own configuration (deploy/replica.py)",
                f"port = {port}",
                "listen_addresses = '127.0.0.1'",
                f"unix_socket_directories = '{socket_dir}'",
                "hot_standby = on",
                f"hba_file = '{conf / 'pg_hba.conf'}'",
                f"ident_file = '{conf / 'pg_ident.conf'}'",
                "",
            ]
        )
    )
    (conf / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    (conf / "pg_ident.conf").write_text("")


def wait_until(sql: str, *, database: str, port: int = 5442, timeout: float = 180) -> None:
    """Until `sql` answers true on the replica (a row written on the primary has been replayed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if psql(sql, port=port, database=database) == "t":
            return
        time.sleep(0.05)
    raise TimeoutError(f"the replica never answered true to {sql!r}")


if __name__ == "__main__":
    with streaming_replica() as url_for:
        print("replica up:", url_for("postgres"), "(Ctrl+C stops it)")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
