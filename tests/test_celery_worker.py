"""A real Celery worker on the real Redis broker runs a scheduled job end to end."""

import pytest
from celery.contrib.testing.worker import start_worker

from pillars.tasks import flag_stale_indicators
from smartcity.celery import app
from tests.pillars.factories import IndicatorFactory


@pytest.fixture
def celery_worker():
    # A worker thread with its own database connection: the test data must be committed (transaction=True).
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_on_redis_flags_stale_indicators(celery_worker):
    assert app.conf.broker_url.startswith("redis://") and not app.conf.task_always_eager
    indicator = IndicatorFactory(frequency="monthly")
    result = flag_stale_indicators.delay()
    assert result.get(timeout=30) == 1
    indicator.refresh_from_db()
    assert indicator.stale_since is not None
