"""Issue 23, item 15: the rehearsals judge what happened, not when the answer came back.

`make multinode` counts a request by the time it started (one in flight on the killed node may fail; one sent
after nginx noticed may not) and reports writes the killed node committed without answering apart from lost ones;
the stack's manage.py steps (collectstatic above all) are not killed after a fixed 600 s; the replica rehearsal
never edits the primary's shared pg_hba.conf, starts its standby from a configuration directory of its own, and
waits for it with a deadline of its own rather than pg_ctl's 60 s."""

import http.server
import os
import shutil
import subprocess
import tempfile
import threading
import time
from argparse import Namespace
from pathlib import Path

import pytest

from deploy import multinode, replica, stack
from tests.workers import worker_port

SESSION_OK = {"nodes_seen": ["a", "b"], "admin_pages_as_logged_in_user": "6/6"}


class SlowBadGateway(http.server.BaseHTTPRequestHandler):
    """nginx answering 502 for a request that was in flight on the node that died: the answer comes late."""

    def do_GET(self):  # noqa: N802
        time.sleep(1.0)
        self.send_response(502)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_gateway():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SlowBadGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_request_in_flight_at_the_kill_counts_by_its_start(slow_gateway):
    load = multinode.Load(1, 0, request_timeout=5)
    load.base = slow_gateway
    load.notice_at = time.monotonic() + 0.3  # the request starts now and is answered after the notice
    load.client(0, stop_at=time.monotonic() + 0.01)
    assert load.counts["failed"] == 1
    assert load.counts["failed_started_before_notice"] == 1 and load.counts["failed_started_after_notice"] == 0


def test_a_request_sent_after_the_notice_that_fails_is_a_failure(slow_gateway):
    load = multinode.Load(1, 0, request_timeout=5)
    load.base = slow_gateway
    load.notice_at = time.monotonic() - 1
    load.client(0, stop_at=time.monotonic() + 0.01)
    assert load.counts["failed_started_after_notice"] == 1


def test_committed_but_unacknowledged_writes_are_reported_apart_and_are_no_failure():
    load = multinode.Load(1, 0)
    load.acknowledged_days = {"1990-01-02", "1990-01-03"}
    load.unacknowledged_days = {"1990-01-04", "1990-01-05"}
    args = Namespace(seconds=1, clients=1, request_timeout=10)
    found = {"1990-01-02", "1990-01-03", "1990-01-04"}
    report, ok = multinode.judge(load, found, SESSION_OK, args)
    assert ok and report["committed_but_unacknowledged"] == 1 and report["acknowledged_writes_lost"] == 0
    assert report["unacknowledged_not_written"] == 1
    report, ok = multinode.judge(load, found - {"1990-01-03"}, SESSION_OK, args)
    assert not ok and report["acknowledged_writes_lost"] == 1


def test_the_drills_timeouts_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("MULTINODE_REQUEST_TIMEOUT", "42")
    monkeypatch.setenv("MULTINODE_START_TIMEOUT", "900")
    monkeypatch.setattr("sys.argv", ["multinode.py", "--clients", "3"])
    args = multinode.options()
    assert (args.request_timeout, args.start_timeout, args.clients) == (42, 900, 3)


def test_collectstatic_is_not_killed_after_600_seconds():
    assert stack.COLLECTSTATIC_TIMEOUT is None or stack.COLLECTSTATIC_TIMEOUT > 600


def test_a_manage_step_over_its_limit_says_which_setting_raises_it():
    env = {**os.environ}
    with pytest.raises(RuntimeError, match="STACK_MANAGE_TIMEOUT"):
        stack.manage(env, "shell", "--no-imports", "-c", "import time; time.sleep(30)", timeout=1)


def test_the_replica_rehearsal_never_edits_the_primarys_pg_hba():
    """Where the primary admits no replication, the rehearsal refuses with the line to add, and leaves the shared
    pg_hba.conf as it was (the old one added a line for its run: another run on the same server could meet it, or
    lose it halfway, as a standby left waiting for WAL showed on this machine)."""
    if replica.available() is not None and "pg_hba" not in replica.available():
        pytest.skip(replica.available())
    if replica.replication_refused() is None:
        pytest.skip("the primary admits replication here: tests/test_replica.py runs the whole rehearsal")
    hba = Path(replica.psql("SHOW hba_file"))
    before = hba.read_text()
    with pytest.raises(RuntimeError, match="pg_hba"), replica.streaming_replica(port=worker_port(5447)):
        pass
    assert hba.read_text() == before


@pytest.mark.skipif(not (replica.BIN / "initdb").exists(), reason="no PostgreSQL server binaries")
def test_a_standby_starts_from_its_own_configuration_directory(monkeypatch):
    """A fresh cluster with standby.signal is a standby in recovery: started by the rehearsal's own `Standby.start`,
    from its own configuration directory, with its own deadline."""
    monkeypatch.setattr(replica, "START_SECONDS", 120.0)
    top = Path(tempfile.mkdtemp(prefix="kc_standby_test_"))  # not under pytest's 0700 folder: postgres walks it
    base = top / "standby"
    data, conf, socket_dir = base / "data", base / "conf", base / "socket"
    for folder in (base, conf, socket_dir):
        folder.mkdir(parents=True, exist_ok=True)
    port = worker_port(5448)
    replica._own_configuration(conf, port=port, socket_dir=socket_dir)
    if os.geteuid() == 0:
        for path in (top, base, conf, socket_dir, *conf.iterdir()):
            os.chown(path, *_postgres_ids())
    subprocess.run(replica.as_postgres([str(replica.BIN / "initdb"), "-D", str(data), "-U", "postgres"]),
                   check=True, capture_output=True)  # fmt: skip
    (data / "standby.signal").write_text("")
    os.chown(data / "standby.signal", *_postgres_ids()) if os.geteuid() == 0 else None
    try:
        replica.Standby(data=data, conf=conf, log=base / "log", port=port).start()
        assert replica.psql("SHOW hba_file", port=port) == str(conf / "pg_hba.conf")
        assert replica.psql("SELECT pg_is_in_recovery()", port=port) == "t"
        assert not (data / "pg_hba.conf").exists()
    finally:
        subprocess.run(replica.as_postgres([str(replica.BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       check=False, capture_output=True)  # fmt: skip
        shutil.rmtree(top, ignore_errors=True)


def _postgres_ids() -> tuple[int, int]:
    import pwd

    entry = pwd.getpwnam("postgres")
    return entry.pw_uid, entry.pw_gid
