"""Celery for real: a worker on the real Redis broker delivers a reminder; a broker that is away fails no save."""

import datetime
import logging

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from partnerships.tasks import send_mou_expiry_reminders
from pillars.models import Indicator
from pillars.tasks import flag_stale_indicators
from smartcity.celery import app
from smartcity.roles import DISKOMINFO_EDITOR
from smartcity.tasks import enqueue
from tests.partnerships.factories import MoUFactory
from tests.pillars.factories import IndicatorFactory


@pytest.fixture
def celery_worker():
    # A worker thread with its own database connection: the test data must be committed (transaction=True).
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_on_redis_delivers_an_mou_expiry_reminder(celery_worker, make_user):
    assert app.conf.broker_url.startswith("redis://") and not app.conf.task_always_eager
    make_user(email="staf@diskominfo.example").groups.add(Group.objects.get(name=DISKOMINFO_EDITOR))
    MoUFactory(title_ind="Nota Tower Bersama", valid_until=timezone.localdate() + datetime.timedelta(days=30))
    assert send_mou_expiry_reminders.delay().get(timeout=30) == 1
    assert [m.to for m in mail.outbox] == [["staf@diskominfo.example"]]
    assert "Nota Tower Bersama" in mail.outbox[0].subject
    assert send_mou_expiry_reminders.delay().get(timeout=30) == 0  # idempotent through the worker too


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_on_redis_flags_stale_indicators(celery_worker):
    indicator = IndicatorFactory(frequency="monthly")
    assert flag_stale_indicators.delay().get(timeout=30) == 1
    indicator.refresh_from_db()
    assert indicator.stale_since is not None


def test_a_broker_that_is_away_fails_no_save(django_capture_on_commit_callbacks, caplog, db):
    away = Celery("away", broker="redis://127.0.0.1:1/0", set_as_current=False)  # not the shared tasks' app
    away.conf.broker_connection_timeout = 0.5

    @away.task(name="tests.ring")
    def ring():
        return "rang"

    with caplog.at_level(logging.WARNING, logger="smartcity.tasks"):
        with django_capture_on_commit_callbacks(execute=True):
            indicator = IndicatorFactory(slug="tetap-tersimpan")
            enqueue(ring)
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert "broker unreachable" in caplog.text
