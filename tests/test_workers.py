"""tests/workers.py: each pytest-xdist worker reads and writes a Redis database and a var/ folder of its own, and binds
ports of its own."""

from django.conf import settings

from tests import workers
from tests.workers import RUN_REDIS_URL, WORKER, worker_port, worker_redis_url


def test_a_worker_moves_to_the_next_redis_databases_and_wraps_at_sixteen():
    assert worker_redis_url("redis://127.0.0.1:6379/1", 0) == "redis://127.0.0.1:6379/2"
    assert worker_redis_url("redis://127.0.0.1:6379/1", 1) == "redis://127.0.0.1:6379/3"
    assert worker_redis_url("redis://127.0.0.1:6379", 0) == "redis://127.0.0.1:6379/1"
    assert worker_redis_url("redis://:pw@redis.internal:6380/15", 0) == "redis://:pw@redis.internal:6380/0"


def test_the_settings_read_this_workers_redis_database_and_folder():
    if not WORKER:  # a run without workers keeps the URL and folder it was given
        assert "test-gw" not in str(settings.VAR_DIR)
        return
    assert settings.REDIS_URL == worker_redis_url(RUN_REDIS_URL, int(WORKER[2:])) != RUN_REDIS_URL
    assert settings.VAR_DIR.name == f"test-{WORKER}"
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL


def test_a_fixed_port_moves_a_hundred_per_worker(monkeypatch):
    assert worker_port(8171) == 8171 + 100 * (int(WORKER[2:]) if WORKER else 0)
    monkeypatch.setattr(workers, "WORKER_NUMBER", 0)
    assert worker_port(5442) == 5442  # one process, or the first worker: the port as written
    monkeypatch.setattr(workers, "WORKER_NUMBER", 3)
    assert [worker_port(p) for p in (5442, 8173, 8176)] == [5742, 8473, 8476]
