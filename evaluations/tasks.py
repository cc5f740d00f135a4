"""Scheduled jobs of the evaluations app (schedules in settings.CELERY_BEAT_SCHEDULE)."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_kwargs={"max_retries": 5})
def send_overdue_follow_up_digests() -> int:
    """Daily: each agency's editors hear of their overdue follow-up actions, once a day."""
    from evaluations.services import follow_up_digests_send  # lazy: imported at Celery start-up

    return follow_up_digests_send(today=timezone.localdate())
