"""Background jobs of the portal as a whole, and the one way to enqueue a job safely."""

import logging
from datetime import timedelta

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import cache as public_cache
from .models import PublishableModel

logger = logging.getLogger(__name__)


def enqueue(task, **kwargs) -> None:
    """Send `task` once the current transaction commits. A broker that is away does not fail the save:
    the error is logged and the periodic jobs, which scan the database, catch up when it is back.

    Nobody waits for the result (the job records its outcome in the database), so the web process never
    subscribes to the result backend: with Redis down that subscription retried for about 20 s and then
    raised RuntimeError, turning a committed save into a 500."""

    def send():
        try:
            task.apply_async(
                kwargs=kwargs, ignore_result=True, retry=True, retry_policy=settings.CELERY_ENQUEUE_RETRY_POLICY
            )
        except OperationalError:
            logger.warning("broker unreachable: %s not queued now; its periodic run will catch up", task.name)
        except Exception:  # the save has committed: whatever the broker does, the answer must not be an error
            logger.exception("could not queue %s; its periodic run will catch up", task.name)

    transaction.on_commit(send)


@shared_task
def refresh_cache_for_lifted_embargoes(*, window_minutes: int = 10) -> int:
    """Start a new public-cache generation when any record's publish-from moment passed in the last
    `window_minutes` (runs every five minutes: the window overlaps so a late run misses nothing)."""
    now = timezone.now()
    since = now - timedelta(minutes=window_minutes)
    lifted = sum(
        model.objects.filter(publish_from__gt=since, publish_from__lte=now).count()
        for model in apps.get_models()
        if issubclass(model, PublishableModel)
    )
    if lifted:
        public_cache.invalidate()
    return lifted


@shared_task(
    soft_time_limit=settings.CELERY_FILE_JOB_TIME_LIMITS[0], time_limit=settings.CELERY_FILE_JOB_TIME_LIMITS[1]
)
def rebuild_open_data() -> int:
    """Nightly: the CSV and JSON dumps of every public list, swapped in whole."""
    from .opendata import open_data_build

    return len(open_data_build()["datasets"])
